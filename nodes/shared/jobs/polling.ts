import type { IExecuteFunctions } from 'n8n-workflow';

import {
	backoffDelay,
	type JobAnswer,
	type Reply,
	type RunComfyClient,
	type RunComfyError,
} from '../transport';
import { mapWithConcurrency } from '../pool';

/**
 * The one place that waits: every open job is polled together, one request per job per
 * interval, so N jobs take about as long as the longest one.
 */

export const SUCCESS_STATUSES = new Set(['completed', 'succeeded']);
/** Ended without a result: the job is over. */
export const FAILED_STATUSES = new Set(['failed', 'cancelled', 'canceled']);
const PENDING_STATUSES = new Set(['in_queue', 'in_progress']);
/** Passing failures tolerated in a row before a job is given up on. */
export const MAX_CONSECUTIVE_FAILURES = 10;
/** An undocumented status is polled a few more times, then reported: never looped on forever. */
const MAX_UNKNOWN_STATUS_POLLS = 3;
const MAX_PARALLEL_POLLS = 20;
/** After a failed status check the next waits 1.5 times longer, from one poll interval. */
const FAILURE_BACKOFF_FACTOR = 1.5;
/** While queued, polls slow down gently up to this multiple of the poll interval. */
const QUEUED_BACKOFF = { factor: 1.25, maxMultiple: 2 };

export interface TrackedJob {
	itemIndex: number;
	requestId: string;
	/** When the wait for this job began (submit time for `generate`). */
	startedAt: number;
	/** Submitted by this run a moment ago: the first look waits one poll interval. */
	justSubmitted?: boolean;
}

export type JobOutcome =
	| { kind: 'done'; answer: JobAnswer; waitedMs: number }
	| { kind: 'failed'; status: string; answer: JobAnswer; waitedMs: number }
	| { kind: 'unknownStatus'; status: string; answer: JobAnswer; waitedMs: number }
	| { kind: 'timedOut'; status?: string; waitedMs: number }
	| { kind: 'pollError'; error: RunComfyError; status?: string; waitedMs: number }
	/** Left open because the wait was stopped early (another item failed). */
	| { kind: 'open'; status?: string; waitedMs: number };

export interface WaitOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	/** Stop waiting for the others as soon as one job ends badly. */
	stopOnFailure: boolean;
}

interface JobState extends TrackedJob {
	nextPollAt: number;
	interval: number;
	failures: number;
	unknownPolls: number;
	status?: string;
	queuePosition?: number;
	finalPoll?: boolean;
}

/**
 * Polls the result call (it answers the status while running and everything once done, so one
 * request per poll) until each job ends, fails or times out.
 */
export async function waitForJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	jobs: TrackedJob[],
	options: WaitOptions,
): Promise<Map<string, JobOutcome>> {
	return await new Waiter(ctx, client, jobs, options).run();
}

class Waiter {
	private readonly outcomes = new Map<string, JobOutcome>();
	private readonly open = new Map<string, JobState>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: RunComfyClient,
		jobs: TrackedJob[],
		private readonly options: WaitOptions,
	) {
		for (const job of jobs) {
			this.open.set(job.requestId, {
				...job,
				// A job just submitted cannot be done yet; a resumed one may be.
				nextPollAt: job.justSubmitted ? job.startedAt + options.pollIntervalMs : Date.now(),
				interval: options.pollIntervalMs,
				failures: 0,
				unknownPolls: 0,
			});
		}
	}

	async run(): Promise<Map<string, JobOutcome>> {
		while (this.open.size > 0) {
			const due = this.dueJobs();
			await mapWithConcurrency(due, MAX_PARALLEL_POLLS, async (job) => await this.poll(job));
			for (const job of due) {
				if (job.finalPoll && this.open.has(job.requestId)) {
					this.settle(job, { kind: 'timedOut', status: job.status, waitedMs: this.waited(job) });
				}
			}
			if (this.options.stopOnFailure && this.anyFailed()) {
				this.leaveOpen();
				break;
			}
			if (this.open.size === 0) break;
			await this.client.pause(Math.max(this.nextWake() - Date.now(), 0));
		}
		return this.outcomes;
	}

	/** Jobs to look at now; at the deadline each gets one last look, so a just-finished one counts. */
	private dueJobs(): JobState[] {
		const now = Date.now();
		for (const job of this.open.values()) {
			if (!job.finalPoll && now - job.startedAt >= this.options.timeoutMs) {
				job.finalPoll = true;
				job.nextPollAt = now;
			}
		}
		return [...this.open.values()].filter((job) => job.nextPollAt <= now);
	}

	private nextWake(): number {
		return Math.min(
			...[...this.open.values()].map((job) =>
				Math.min(job.nextPollAt, job.startedAt + this.options.timeoutMs),
			),
		);
	}

	private anyFailed(): boolean {
		return [...this.outcomes.values()].some((outcome) => outcome.kind !== 'done');
	}

	private leaveOpen(): void {
		for (const job of this.open.values()) {
			this.outcomes.set(job.requestId, {
				kind: 'open',
				status: job.status,
				waitedMs: this.waited(job),
			});
		}
	}

	private async poll(job: JobState): Promise<void> {
		let reply: Reply;
		try {
			reply = await this.client.result(job.requestId, false);
		} catch (caught) {
			this.onFailure(job, this.client.toError(caught));
			return;
		}
		this.onAnswer(job, reply);
	}

	private onFailure(job: JobState, error: RunComfyError): void {
		if (!error.isTransient || job.failures + 1 >= MAX_CONSECUTIVE_FAILURES) {
			this.settle(job, {
				kind: 'pollError',
				error,
				status: job.status,
				waitedMs: this.waited(job),
			});
			return;
		}
		job.failures++;
		const { pollIntervalMs } = this.options;
		const delay = backoffDelay(
			job.failures,
			error.details.retryAfterMs,
			pollIntervalMs,
			FAILURE_BACKOFF_FACTOR,
		);
		job.nextPollAt = Date.now() + Math.max(delay, job.interval);
		this.log(
			job,
			`status check failed (${error.message}); next try in ${Math.round(delay / 1000)} s`,
		);
	}

	private onAnswer(job: JobState, { answer, retryAfterMs }: Reply): void {
		job.failures = 0;
		const status = String(answer.status ?? '').toLowerCase();
		if (status !== job.status || answer.queue_position !== job.queuePosition) {
			const position =
				typeof answer.queue_position === 'number' ? ` at position ${answer.queue_position}` : '';
			this.log(job, `${status || 'no status'}${position}`);
		}
		job.status = status;
		job.queuePosition = answer.queue_position;
		const waitedMs = this.waited(job);
		// Only the status says a job succeeded; whether its output is usable is judged after.
		if (SUCCESS_STATUSES.has(status)) {
			this.settle(job, { kind: 'done', answer, waitedMs });
		} else if (FAILED_STATUSES.has(status)) {
			this.settle(job, { kind: 'failed', status, answer, waitedMs });
		} else if (PENDING_STATUSES.has(status) || ++job.unknownPolls < MAX_UNKNOWN_STATUS_POLLS) {
			if (PENDING_STATUSES.has(status)) job.unknownPolls = 0;
			this.scheduleNext(job, status === 'in_queue', retryAfterMs);
		} else {
			this.settle(job, { kind: 'unknownStatus', status: status || 'missing', answer, waitedMs });
		}
	}

	/** While queued, polls slow down gently; Retry-After is honoured when the server sends it. */
	private scheduleNext(job: JobState, queued: boolean, retryAfterMs?: number): void {
		const { pollIntervalMs } = this.options;
		job.interval = queued
			? Math.min(job.interval * QUEUED_BACKOFF.factor, pollIntervalMs * QUEUED_BACKOFF.maxMultiple)
			: pollIntervalMs;
		job.nextPollAt = Date.now() + Math.max(job.interval, retryAfterMs ?? 0);
	}

	private settle(job: JobState, outcome: JobOutcome): void {
		this.outcomes.set(job.requestId, outcome);
		this.open.delete(job.requestId);
	}

	private waited(job: JobState): number {
		return Date.now() - job.startedAt;
	}

	private log(job: JobState, text: string): void {
		this.ctx.logger.info(`RunComfy job ${job.requestId} (item ${job.itemIndex}): ${text}`);
	}
}
