import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as dryRun from './dryRun.operation';
import { cancel, checkJob, getResult, getStatus, waitForCompletion } from './lookUps.operation';
import type { Operation } from './descriptions';
import * as generate from './generate.operation';
import * as submit from './submit.operation';

/** Operations with one output; Check Job routes to two (Completed, Still Running). */
const operations: Record<
	Exclude<Operation, 'checkJob'>,
	{ execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]> }
> = {
	generate,
	submit,
	getStatus,
	waitForCompletion,
	getResult,
	cancel,
	dryRun,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as Operation;
	if (operation === 'checkJob') return await checkJob.execute.call(this);
	const handler = operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	const creates = operation === 'generate' || operation === 'submit';
	if (this.getNode().retryOnFail && creates && typeof this.addExecutionHints === 'function') {
		this.addExecutionHints({
			type: 'warning',
			location: 'outputPane',
			message:
				'Retry On Fail re-runs every item of this node. The node already retries each RunComfy request itself, and jobs created by an earlier try in this execution are reused rather than paid for again; turn Retry On Fail off to keep runs simple.',
		});
	}
	return [await handler.execute.call(this)];
}
