import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import type { Operation } from './descriptions';
import * as getModel from './getModel.operation';
import * as getResult from './getResult.operation';
import * as getStatus from './getStatus.operation';
import * as listModels from './listModels.operation';
import * as run from './run.operation';
import * as submit from './submit.operation';
import * as waitForCompletion from './waitForCompletion.operation';

const operations: Record<
	Operation,
	{ execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]> }
> = {
	run,
	submit,
	getStatus,
	waitForCompletion,
	getResult,
	cancel,
	listModels,
	getModel,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const handler = operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	const creates = operation === 'run' || operation === 'submit';
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
