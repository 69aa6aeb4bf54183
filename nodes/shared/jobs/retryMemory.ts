import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * n8n's Retry On Fail runs the node again with the same items — after a throw, and also when the
 * first output item carries `json.error` (Continue On Fail). Each item must keep the one job it
 * got on the first try, so while Retry On Fail is on, what each try submitted is remembered for
 * the tries that follow: a job that exists is reused (however it ended), and an item whose submit
 * may have reached RunComfy is never sent again. Only a hash of each input is kept.
 */

export interface RememberedJob {
	fingerprint: string;
	/** Absent when the submit failed after it may have reached RunComfy. */
	requestId?: string;
	/** The values that differ between tries (a random seed): what the job really ran with. */
	volatile?: IDataObject;
}

interface Entry {
	at: number;
	tries: number;
	jobs: Map<number, RememberedJob>;
	/** The previous try's jobs, cancelled on a Stop until this try takes them over. */
	heldBy?: HeldJobs;
}

/** Jobs a try left for the next one: handed over when it opens, or cancelled if it never does. */
export interface HeldJobs {
	handOver: () => void;
	cancelLeftForRetry: () => Promise<void>;
}

const memory = new Map<string, Entry>();
/** The tries (n8n gives each its own context) that opened their memory. */
const openedTries = new WeakSet<IExecuteFunctions>();
const REMEMBER_MS = 24 * 60 * 60 * 1000;
/** n8n's own bounds for Max Tries. */
const TRIES = { default: 3, min: 2, max: 5 };

export class RetryMemory {
	private constructor(
		private readonly key: string | undefined,
		private readonly entry: Entry,
		readonly maxTries: number,
	) {}

	/** This try's memory; one entry per execution, node and run. Counts the try. */
	static open(ctx: IExecuteFunctions): RetryMemory {
		const now = Date.now();
		for (const [key, entry] of memory) if (now - entry.at > REMEMBER_MS) memory.delete(key);
		const node = ctx.getNode();
		const executionId = ctx.getExecutionId();
		openedTries.add(ctx);
		if (!node.retryOnFail || !executionId) {
			return new RetryMemory(undefined, { at: now, tries: 1, jobs: new Map() }, 1);
		}
		const key = keyOf(ctx, executionId, node.name);
		const entry: Entry = memory.get(key) ?? { at: now, tries: 0, jobs: new Map() };
		entry.heldBy?.handOver();
		entry.heldBy = undefined;
		entry.tries++;
		memory.set(key, entry);
		return new RetryMemory(key, entry, maxTriesOf(node));
	}

	/**
	 * A try that failed before it opened its memory (an input it could not read, a spending guard)
	 * took nothing over. On the last try nobody else will: the jobs left for it are cancelled.
	 */
	static async settleUntaken(ctx: IExecuteFunctions): Promise<void> {
		const node = ctx.getNode();
		const executionId = ctx.getExecutionId();
		if (openedTries.has(ctx) || !node.retryOnFail || !executionId) return;
		const key = keyOf(ctx, executionId, node.name);
		const entry = memory.get(key);
		if (!entry?.heldBy) return;
		// This try counts, though it failed before it opened.
		entry.tries++;
		if (entry.tries < maxTriesOf(node)) return;
		memory.delete(key);
		await entry.heldBy.cancelLeftForRetry();
	}

	/** No try follows this one: open jobs must be settled now, not left for a retry. */
	get isLastTry(): boolean {
		return this.entry.tries >= this.maxTries;
	}

	get(itemIndex: number): RememberedJob | undefined {
		return this.entry.jobs.get(itemIndex);
	}

	remember(itemIndex: number, job: RememberedJob): void {
		if (this.key) this.entry.jobs.set(itemIndex, job);
	}

	/**
	 * After the try: forgotten once no retry can follow, else kept for it (answers true). n8n
	 * retries when the node throws or its first output item carries an error.
	 */
	settle(ctx: IExecuteFunctions, results: Array<{ itemIndex: number; error?: unknown }>): boolean {
		if (!this.key) return false;
		const failed = results.filter((result) => result.error);
		const first = results.reduce<(typeof results)[number] | undefined>(
			(lowest, result) => (!lowest || result.itemIndex < lowest.itemIndex ? result : lowest),
			undefined,
		);
		const retryFollows = failed.length > 0 && (!ctx.continueOnFail() || !!first?.error);
		if (this.isLastTry || !retryFollows) {
			memory.delete(this.key);
			return false;
		}
		return true;
	}

	/** Until the next try opens, `jobs` keeps cancelling what it left for it on a Stop. */
	holdUntilNextTry(jobs: HeldJobs): void {
		this.entry.heldBy = jobs;
	}
}

function keyOf(ctx: IExecuteFunctions, executionId: string, nodeName: string): string {
	return `${executionId}|${nodeName}|${ctx.getWorkflowDataProxy(0).$runIndex}`;
}

/** n8n's Max Tries, within its own bounds. */
function maxTriesOf(node: { maxTries?: number }): number {
	return Math.min(TRIES.max, Math.max(TRIES.min, node.maxTries || TRIES.default));
}

/** cyrb53: a 53-bit string hash, so a remembered input costs a number, not the whole input. */
export function hash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		h1 = Math.imul(h1 ^ code, 2654435761);
		h2 = Math.imul(h2 ^ code, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The same item with the same inputs, leaving out the keys that may differ between tries. */
export function fingerprint(input: IDataObject, volatileKeys: readonly string[]): string {
	const rest = { ...input };
	for (const key of volatileKeys) delete rest[key];
	return hash(JSON.stringify(rest));
}
