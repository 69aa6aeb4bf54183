import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { RunComfyClient } from '../transport';
import { readRequestId } from './parameters';
import { mapWithConcurrency } from './pool';
import type { ItemResult } from './results';
import { failure, finishItems } from './results';

const LOOKUP_CONCURRENCY = 5;

/**
 * The one-request operations (status, result, cancel): each item's request id is looked up, a
 * few at a time, and a failure names the request id it was about.
 */
export async function lookUpEach(
	ctx: IExecuteFunctions,
	lookUp: (
		client: RunComfyClient,
		requestId: string,
	) => Promise<{ json: IDataObject; binary?: IBinaryKeyData; status?: string }>,
): Promise<INodeExecutionData[]> {
	const indexes = ctx.getInputData().map((_, itemIndex) => itemIndex);
	const client = await RunComfyClient.create(ctx);
	const results = await mapWithConcurrency(indexes, LOOKUP_CONCURRENCY, async (itemIndex) => {
		let requestId: string | undefined;
		try {
			requestId = readRequestId(ctx, itemIndex);
			const { json, binary, status } = await lookUp(client, requestId);
			return { itemIndex, requestId, status, item: { json, binary } } as ItemResult;
		} catch (error) {
			return failure(ctx, itemIndex, error, { requestId });
		}
	});
	return finishItems(ctx, results, 'Request IDs in this run');
}
