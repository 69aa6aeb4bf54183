import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failure, finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';
import { deploymentEntries, deploymentJson } from '../../helpers/deployments';

/** Every deployment of the account, one item each (the API answers them all at once). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await RunComfyClient.create(this);
	try {
		const records = deploymentEntries(await client.deployments('GET', ''));
		return finishItems(
			this,
			records.map((record) => ({ itemIndex: 0, item: { json: deploymentJson(record) } })),
		);
	} catch (error) {
		return finishItems(this, [failure(this, 0, client.toError(error))]);
	}
}
