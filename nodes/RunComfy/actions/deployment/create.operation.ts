import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { deploymentJson } from '../../helpers/deployments';
import { readCapacity } from './capacity';
import { eachItem } from './records';

/** A new deployment of a saved workflow version; min instances above 0 bill while idle. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await eachItem(this, async (client, itemIndex) => {
		const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '')).trim();
		const body = {
			name: text('deploymentName'),
			workflow_id: text('workflowId'),
			workflow_version: text('workflowVersion'),
			hardware: [text('hardware')],
			...{ min_instances: 0, max_instances: 1, queue_size: 1, keep_warm_duration_in_seconds: 60 },
			...readCapacitySafely(this, itemIndex),
		};
		for (const [label, value] of [
			['Name', body.name],
			['Workflow ID', body.workflow_id],
			['Workflow Version', body.workflow_version],
		]) {
			if (!value)
				throw new NodeOperationError(this.getNode(), `${label} is required`, { itemIndex });
		}
		return [deploymentJson((await client.deployments('POST', '', { body })) as never)];
	});
}

function readCapacitySafely(ctx: IExecuteFunctions, itemIndex: number) {
	try {
		return readCapacity(ctx, itemIndex, 'capacity');
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}
