import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { pathSegment } from '../../../shared/transport';
import { readDeploymentId } from '../../helpers/deployments';
import { eachItem } from './records';

/** Deletes a deployment for good: its running and queued requests fail. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await eachItem(this, async (client, itemIndex) => {
		const id = readDeploymentId(this, itemIndex);
		await client.deployments('DELETE', `/${pathSegment(id)}`);
		return [{ deploymentId: id, deleted: true }];
	});
}
