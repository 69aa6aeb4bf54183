import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/results';
import { failure, finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';

/** The deployment operations that are one call per item (get, create, update, delete). */
export async function eachItem(
	ctx: IExecuteFunctions,
	call: (client: RunComfyClient, itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const results: ItemResult[] = [];
	const client = await RunComfyClient.create(ctx);
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			const found = await call(client, itemIndex);
			results.push(...found.map((json) => ({ itemIndex, item: { json } })));
		} catch (error) {
			results.push(failure(ctx, itemIndex, client.toError(error)));
			if (!ctx.continueOnFail()) break;
		}
	}
	return finishItems(ctx, results);
}
