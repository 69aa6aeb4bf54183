import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failure, finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';

/** One item with the balance, whatever the number of input items: it is one account. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await RunComfyClient.create(this);
	try {
		const balanceUsd = await client.balance();
		return finishItems(this, [
			{ itemIndex: 0, item: { json: { balanceUsd: balanceUsd ?? null, currency: 'USD' } } },
		]);
	} catch (error) {
		return finishItems(this, [failure(this, 0, client.toError(error))]);
	}
}
