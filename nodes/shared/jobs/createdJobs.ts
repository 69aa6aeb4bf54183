import type { IExecuteFunctions } from 'n8n-workflow';

import { sleep } from '../sleep';
import type { RunComfyClient } from '../transport';

/**
 * The jobs this node run created, cancelled at RunComfy when the user stops the execution: those
 * known at the Stop, and those whose submit was still on the wire and answers after it. Once the
 * node has returned, a later Stop (during another node) leaves them alone: by then each was
 * delivered or reported. Except the jobs left for Retry On Fail's next try: until that try takes
 * them over, nothing else would cancel or report them, so a Stop between the tries still does.
 */
export class CreatedJobs {
	private readonly ids = new Set<string>();
	private readonly cancels: Array<Promise<void>> = [];
	private open = true;
	private stopped = false;
	private leftForRetry = new Set<string>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: RunComfyClient,
	) {
		// n8n versions without the hook have no Stop to follow; there the jobs run on.
		if (typeof ctx.onExecutionCancellation === 'function') {
			ctx.onExecutionCancellation(() => this.onStop());
		}
	}

	add(requestId: string): void {
		this.ids.add(requestId);
		if (this.stopped && this.open) this.cancel(requestId);
	}

	has(requestId: string): boolean {
		return this.ids.has(requestId);
	}

	/**
	 * The node is returning: nothing is cancelled after this but `leftForRetry`, the unfinished
	 * jobs a next try will reuse. After a Stop it first waits for the cancels already sent: n8n 2.x
	 * authenticates each request in an expression sandbox that it releases once the node has
	 * returned, so the node must not return before they are out.
	 */
	async close(leftForRetry: string[] = []): Promise<void> {
		this.open = false;
		if (!this.stopped) this.leftForRetry = new Set(leftForRetry);
		await Promise.all(this.cancels);
	}

	/** The next try has taken the jobs left for it over: they are its own to cancel now. */
	handOver(): void {
		this.leftForRetry.clear();
	}

	/** The next try failed before it could take them over, and it was the last: cancel them. */
	async cancelLeftForRetry(): Promise<void> {
		const ids = [...this.leftForRetry];
		this.leftForRetry.clear();
		this.ctx.logger.warn(
			`RunComfy: the last try of Retry On Fail failed before it took over ${ids.length} unfinished job(s); cancelling them: ${ids.join(', ')}`,
		);
		for (const requestId of ids) this.cancel(requestId);
		await Promise.all(this.cancels);
	}

	private onStop(): void {
		if (this.stopped) return;
		const toCancel = this.open ? this.ids : this.leftForRetry;
		if (toCancel.size === 0 && !this.open) return;
		this.stopped = true;
		for (const requestId of toCancel) this.cancel(requestId);
	}

	private cancel(requestId: string): void {
		const sent = this.client.cancelDetached(requestId).then(
			async (answer) => {
				if (answer.status !== 'cancellation_requested') {
					this.ctx.logger.info(
						`RunComfy job ${requestId}: execution stopped, cancel answered ${answer.outcome ?? answer.status}`,
					);
					return;
				}
				this.ctx.logger.warn(
					`RunComfy job ${requestId}: execution stopped, cancellation requested; a running job may keep running and billing until it ends: followed until it does`,
				);
				await followToEnd(this.ctx, this.client, requestId);
			},
			(error: Error) =>
				this.ctx.logger.warn(
					`RunComfy job ${requestId}: execution stopped, cancel failed (${error.message}); the job may still run`,
				),
		);
		this.cancels.push(sent);
	}
}

/** How long a job asked to cancel is followed after a Stop, and how often it is looked at. */
export const FOLLOW_AFTER_STOP = { ms: 10 * 60_000, everyMs: 5_000 };

const ENDED = new Set(['completed', 'succeeded', 'failed', 'cancelled', 'canceled']);

/**
 * A deployment's running job goes on (and bills) after `cancellation_requested`: it is looked at
 * until it ends, and the log says how it ended or that it was still running when the node gave up.
 */
async function followToEnd(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	requestId: string,
): Promise<void> {
	const started = Date.now();
	// A queued job ends at once: look soon, then less often.
	for (let wait = 500; Date.now() - started < FOLLOW_AFTER_STOP.ms; wait *= 2) {
		await sleep(Math.min(wait, FOLLOW_AFTER_STOP.everyMs));
		const status = await client.statusDetached(requestId).then(
			(answer) => String(answer.status ?? '').toLowerCase(),
			() => '',
		);
		if (ENDED.has(status)) {
			const seconds = Math.round((Date.now() - started) / 1000);
			ctx.logger.warn(
				`RunComfy job ${requestId}: after the Stop it ran ${seconds} s more and ended ${status}`,
			);
			return;
		}
	}
	ctx.logger.warn(
		`RunComfy job ${requestId}: still running ${Math.round(FOLLOW_AFTER_STOP.ms / 60_000)} min after the Stop; it may still be billing: check it with Job → Get Status and this request id`,
	);
}
