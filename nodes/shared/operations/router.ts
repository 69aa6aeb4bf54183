import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RetryMemory } from '../jobs/retryMemory';

export interface Operation {
	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;
}

/** An operation that routes its items to several outputs (Check Job). */
export interface RoutingOperation {
	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;
}

export interface Operations {
	single: Record<string, Operation>;
	routing: Record<string, RoutingOperation>;
	/** Operations that create paid jobs: Retry On Fail is worth a warning there. */
	creating: string[];
}

/** Runs the operation the node is set to, as n8n's own versioned nodes route theirs. */
export async function route(
	ctx: IExecuteFunctions,
	operations: Operations,
): Promise<INodeExecutionData[][]> {
	const operation = String(ctx.getNodeParameter('operation', 0));
	const routing = operations.routing[operation];
	if (routing) return await routing.execute.call(ctx);
	const handler = operations.single[operation];
	if (!handler) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported`);
	}
	if (!operations.creating.includes(operation)) return [await handler.execute.call(ctx)];
	if (ctx.getNode().retryOnFail) warnRetryOnFail(ctx);
	let finished = false;
	try {
		const items = await handler.execute.call(ctx);
		finished = true;
		return [items];
	} finally {
		// Jobs an earlier try left for this one must not outlive a last try that failed early.
		if (!finished) await RetryMemory.settleUntaken(ctx);
	}
}

function warnRetryOnFail(ctx: IExecuteFunctions): void {
	if (typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({
		type: 'warning',
		location: 'outputPane',
		message:
			'Retry On Fail re-runs every item of this node. The node already retries each RunComfy request itself, and jobs created by an earlier try in this execution are reused rather than paid for again; turn Retry On Fail off to keep runs simple.',
	});
}
