import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pathSegment } from '../../../shared/transport';
import { deploymentJson, readDeploymentId } from '../../helpers/deployments';
import { capacityBody } from './capacity';
import { eachItem } from './records';

/**
 * Instances, keep-warm, queue size, enabled. The API refuses an update without `name`, so the
 * current name is read and sent again unless a new one is given.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await eachItem(this, async (client, itemIndex) => {
		const id = readDeploymentId(this, itemIndex);
		const fields = (this.getNodeParameter('updateFields', itemIndex, {}) ?? {}) as IDataObject;
		let body: IDataObject;
		try {
			body = capacityBody(fields);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
		if (typeof fields.enabled === 'boolean') body.is_enabled = fields.enabled;
		if (Object.keys(body).length === 0 && !fields.name) {
			throw new NodeOperationError(this.getNode(), 'Update Fields is empty: add what to change', {
				itemIndex,
			});
		}
		const path = `/${pathSegment(id)}`;
		const name = String(fields.name ?? '').trim();
		body.name = name || ((await client.deployments('GET', path)) as IDataObject).name;
		return [deploymentJson((await client.deployments('PATCH', path, { body })) as IDataObject)];
	});
}
