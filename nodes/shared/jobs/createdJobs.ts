import type { IExecuteFunctions } from 'n8n-workflow';

import type { RunComfyClient } from '../transport';

/**
 * The jobs this node run created, cancelled at RunComfy when the user stops the execution: those
 * known at the Stop, and those whose submit was still on the wire and answers after it. Once the
 * node has returned, a later Stop (during another node) leaves them alone: by then each was
 * delivered or reported.
 */
export class CreatedJobs {
	private readonly ids = new Set<string>();
	private readonly cancels: Array<Promise<void>> = [];
	private open = true;
	private stopped = false;

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
	 * The node is returning: nothing is cancelled after this. After a Stop it first waits for
	 * the cancels already sent: n8n 2.x authenticates each request in an expression sandbox that
	 * it releases once the node has returned, so the node must not return before they are out.
	 */
	async close(): Promise<void> {
		this.open = false;
		await Promise.all(this.cancels);
	}

	private onStop(): void {
		if (!this.open || this.stopped) return;
		this.stopped = true;
		for (const requestId of this.ids) this.cancel(requestId);
	}

	private cancel(requestId: string): void {
		const sent = this.client.cancelDetached(requestId).then(
			(answer) =>
				this.ctx.logger.info(
					`RunComfy job ${requestId}: execution stopped, cancel answered ${answer.outcome ?? answer.status}`,
				),
			(error: Error) =>
				this.ctx.logger.warn(
					`RunComfy job ${requestId}: execution stopped, cancel failed (${error.message}); the job may still run`,
				),
		);
		this.cancels.push(sent);
	}
}
