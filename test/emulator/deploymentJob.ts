/**
 * A request to a Serverless deployment: a Job (same scripts, same clock-derived status) with a cold
 * start before it, a cancel that may keep it running a while, and ComfyUI `outputs` (or a LoRA's
 * `output`) built from its workflow.
 */
import { Job, type JobDefaults, type JobScript } from './job';
import { outputsOf, type OutputFile, type Workflow } from './workflows';

export const ACTIVE = ['in_queue', 'in_progress'];
export const SUCCESS = ['completed', 'succeeded'];
const DEFAULT_CANCEL_RUN_MS = 1000;

export interface DeploymentJobInit {
	deploymentId: string;
	kind: 'comfy' | 'lora';
	/** The graph it runs (the deployment's with overrides applied, or the inline one). */
	workflow?: Workflow;
	coldStartMs: number;
	rawBody: string;
	bigIntegers: Set<string>;
	webhook?: { url: string; intermediate: boolean };
}

const iso = (ms: number) => new Date(ms).toISOString();

export class DeploymentJob extends Job {
	readonly deploymentId: string;
	readonly kind: 'comfy' | 'lora';
	readonly workflow?: Workflow;
	/** Extra time in queue while an instance boots (0 when one was warm). */
	readonly coldStartMs: number;
	readonly rawBody: string;
	/** Paths (JSON of the key array) of integers beyond 2^53 kept as digit strings in `input`. */
	readonly bigIntegers: Set<string>;
	readonly webhook?: { url: string; intermediate: boolean };
	readonly cancelRunMs: number;
	cancelRequestedAt?: number;
	/** Set when its deployment was disabled or deleted while it was active: it fails then. */
	abortedAt?: number;
	abortReason?: string;

	constructor(
		id: string,
		input: Record<string, unknown>,
		script: JobScript,
		submitIndex: number,
		createdAt: number,
		defaults: JobDefaults,
		init: DeploymentJobInit,
	) {
		super(id, input, script, submitIndex, createdAt, defaults);
		this.deploymentId = init.deploymentId;
		this.kind = init.kind;
		this.workflow = init.workflow;
		this.coldStartMs = init.coldStartMs;
		this.rawBody = init.rawBody;
		this.bigIntegers = init.bigIntegers;
		this.webhook = init.webhook;
		this.cancelRunMs = script.cancelRunMs ?? DEFAULT_CANCEL_RUN_MS;
	}

	get cancelledStatus(): string {
		return this.script.cancelledStatus ?? 'cancelled';
	}

	/** When it leaves the queue (queue time, then the cold start). */
	get startsAt(): number {
		return this.createdAt + this.queueMs + this.coldStartMs;
	}

	get endsAt(): number {
		return this.startsAt + this.durationMs;
	}

	/** When and how it ends; `at` undefined: never (outcome 'never', no cancel). */
	ending(): { at?: number; status: string } {
		if (this.cancelled) return { at: this.cancelledAt, status: this.cancelledStatus };
		if (this.abortedAt !== undefined) return { at: this.abortedAt, status: 'failed' };
		if (this.cancelRequestedAt !== undefined) {
			return { at: this.cancelRequestedAt + this.cancelRunMs, status: this.cancelledStatus };
		}
		if (this.outcome === 'never') return { status: 'in_progress' };
		return { at: this.endsAt, status: this.outcome };
	}

	statusAt(now: number): string {
		const end = this.ending();
		if (end.at !== undefined && now >= end.at) return end.status;
		return now < this.startsAt ? 'in_queue' : 'in_progress';
	}

	get finishedAt(): number {
		return this.ending().at ?? this.endsAt;
	}

	/** Whether an instance took it up by `now` (it was not cancelled or failed while queued). */
	startedBy(now: number): boolean {
		if (this.cancelled || now < this.startsAt) return false;
		return this.abortedAt === undefined || this.abortedAt > this.startsAt;
	}

	/** GPU time billed by `now`: the cold start and the run, not the queue. */
	billedMsAt(now: number): number {
		if (this.cancelled) return 0;
		const from = this.createdAt + this.queueMs;
		return Math.max(0, Math.min(now, this.finishedAt) - from);
	}

	get instanceId(): string {
		return `i-${this.deploymentId.slice(-4)}-1`;
	}

	/** The output files' names (what `/files/{request_id}/{name}` serves once it succeeded). */
	fileNames(base: string): string[] {
		return this.outputFiles(base).map((file) => file.filename);
	}

	/** `outputs` (ComfyUI) or `output` (LoRA) of a success, as RunComfy shapes them. */
	successFields(base: string): Record<string, unknown> {
		if (this.kind === 'lora') {
			if ('output' in this.script) return { output: this.script.output };
			return { output: { images: this.outputFiles(base).map((file) => file.url) } };
		}
		if ('outputs' in this.script) return { outputs: this.script.outputs };
		return { outputs: outputsOf(this.workflow ?? {}, this.namer(base)) };
	}

	errorField(): unknown {
		const message = this.script.error ?? this.abortReason ?? 'Workflow execution failed';
		if (this.script.errorShape === 'array') {
			const debugInfo = { exception_type: 'RuntimeError', node_id: null };
			return [{ errorCode: 'EXECUTION_ERROR', error: message, debugInfo }];
		}
		return { type: 'execution_error', message };
	}

	/** The result once it ended (the caller answers active jobs with their status). */
	finishedBody(base: string, now: number): Record<string, unknown> {
		const status = this.statusAt(now);
		const body: Record<string, unknown> = {
			request_id: this.id,
			status,
			created_at: iso(this.createdAt),
			finished_at: iso(this.finishedAt),
		};
		if (SUCCESS.includes(status)) Object.assign(body, this.successFields(base));
		if (status === 'failed') body.error = this.errorField();
		return { ...body, ...this.script.resultExtra };
	}

	private outputFiles(base: string): OutputFile[] {
		const files: OutputFile[] = [];
		const namer = this.namer(base, files);
		if (this.kind === 'lora') namer('lora', 'png');
		else outputsOf(this.workflow ?? {}, namer);
		return files;
	}

	private namer(base: string, into: OutputFile[] = []): (stem: string, ext: string) => OutputFile {
		const counters = new Map<string, number>(); // per prefix and extension, as ComfyUI counts
		return (stem, ext) => {
			const counter = (counters.get(`${stem}.${ext}`) ?? 0) + 1;
			counters.set(`${stem}.${ext}`, counter);
			const filename = `${stem}_${String(counter).padStart(5, '0')}_.${ext}`;
			const url = `${base}/files/${this.id}/${encodeURIComponent(filename)}`;
			const file = { filename, subfolder: '', type: 'output', url };
			into.push(file);
			return file;
		};
	}
}
