/**
 * A job of the emulator (Model API or Serverless deployment) and how a test scripts it. Status is
 * derived from the clock on each look-up: no timers.
 */
import type { CatalogModel } from './catalogModels';

/** How a served file behaves (a model job's video, or any file of a deployment job). */
export interface FileServing {
	contentType?: string;
	body?: string;
	cutAfterBytes?: number;
	/** How many downloads are cut (default: all). */
	cutTimes?: number;
	trickle?: boolean;
	/** Sends this many bytes (at most the file), then nothing: the connection stays open until
	 * the client aborts or the emulator stops. */
	stallAfterBytes?: number;
	/** Deployment jobs: applies only to the files whose name ends with this (e.g. '.mp4'). */
	only?: string;
}

export interface WebhookQuirks {
	/** The final delivery is sent twice. */
	twice?: boolean;
	/** An `in_progress` event is delivered after the final one. */
	outOfOrder?: boolean;
	/** Deliveries not sent on purpose (recorded with status 'dropped'): the final one, or all. */
	drop?: 'final' | 'all';
}

export interface JobScript {
	queueMs?: number;
	durationMs?: number;
	/** 'completed' | 'succeeded' | 'failed' | 'cancelled' | 'never' | any literal status. Default:
	 * 'completed' for model jobs, the Serverless `successStatus` ('succeeded') for deployment jobs. */
	outcome?: 'completed' | 'succeeded' | 'failed' | 'cancelled' | 'never' | string;
	error?: string;
	videos?: number;
	videoBytes?: number;
	cost?: number;
	noPosition?: boolean;
	/** Replaces the result's `output` as it is (null, {}, {videos: []}, a file: URL…). */
	output?: unknown;
	/** Deployment jobs (ComfyUI): replaces the result's `outputs` as it is. */
	outputs?: unknown;
	/** Extra fields merged into the finished result (e.g. an `error` beside a success). */
	resultExtra?: Record<string, unknown>;
	/** How the video file (deployment jobs: every output file) is served. */
	video?: FileServing;
	/** Deployment jobs: a cancelled job's status spelling, 'cancelled' (default) or 'canceled'. */
	cancelledStatus?: string;
	/** Deployment jobs: how long a running job goes on after `cancellation_requested` (1000 ms). */
	cancelRunMs?: number;
	/** Deployment jobs: a failure's `error` as `{type, message}` (default) or
	 * `[{errorCode, error, debugInfo}]`. */
	errorShape?: 'object' | 'array';
	/** Deployment jobs: webhook delivery quirks. */
	webhook?: WebhookQuirks;
}

export interface JobDefaults {
	queueMs: number;
	durationMs: number;
	videoBytes: number;
	outcome?: string;
}

/** One submitted job. Its status is derived from the clock on each look-up, so no timers. */
export class Job {
	readonly queueMs: number;
	readonly durationMs: number;
	readonly videoBytes: number;
	readonly videoCount: number;
	readonly outcome: string;
	cancelled = false;
	cancelledAt?: number;
	cancelAttempts = 0;
	/** Downloads of this job's video cut off so far. */
	cuts = 0;
	/** Set for a job of a catalog model other than FusionX. */
	model?: CatalogModel;

	constructor(
		readonly id: string,
		readonly input: Record<string, unknown>,
		readonly script: JobScript,
		readonly submitIndex: number,
		readonly createdAt: number,
		defaults: JobDefaults,
	) {
		this.queueMs = script.queueMs ?? defaults.queueMs;
		this.durationMs = script.durationMs ?? defaults.durationMs;
		this.videoBytes = script.videoBytes ?? defaults.videoBytes;
		this.videoCount = Math.max(1, script.videos ?? 1);
		this.outcome = script.outcome ?? defaults.outcome ?? 'completed';
	}

	/** Alias of `input`: the submitted JSON body. */
	get body(): Record<string, unknown> {
		return this.input;
	}

	get status(): string {
		return this.statusAt(Date.now());
	}

	statusAt(now: number): string {
		if (this.cancelled) return 'cancelled';
		if (now < this.createdAt + this.queueMs) return 'in_queue';
		if (this.outcome === 'never' || now < this.endsAt) return 'in_progress';
		return this.outcome;
	}

	get endsAt(): number {
		return this.createdAt + this.queueMs + this.durationMs;
	}

	get finishedAt(): number {
		return this.cancelledAt ?? this.endsAt;
	}
}
