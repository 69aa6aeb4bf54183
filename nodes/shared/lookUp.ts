import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { RunComfyClient } from './transport';
import { readEach, readJob, readRequestId } from './parameters';
import { mapWithConcurrency } from './pool';
import type { ItemResult } from './results';
import { failure, finishItems } from './results';

const LOOKUP_CONCURRENCY = 5;

/**
 * The one-request operations (status, result, cancel): every Request ID is read first, so a bad
 * one stops the node before any request (without Continue On Fail); then each is looked up, a few
 * at a time, and a failure names the request id it was about.
 */
export async function lookUpEach(
	ctx: IExecuteFunctions,
	lookUp: (
		client: RunComfyClient,
		requestId: string,
	) => Promise<{ json: IDataObject; binary?: IBinaryKeyData; status?: string }>,
): Promise<INodeExecutionData[]> {
	const { valid, invalid } = await readEach(ctx, (itemIndex) => readRequestId(ctx, itemIndex));
	const results: ItemResult[] = [...invalid];
	if (valid.length > 0) {
		const client = await RunComfyClient.create(ctx);
		const found = await mapWithConcurrency(valid, LOOKUP_CONCURRENCY, async (entry) => {
			const { itemIndex, value: requestId } = entry;
			try {
				readJob(ctx, client, itemIndex, requestId);
				const { json, binary, status } = await lookUp(client, requestId);
				const deploymentId = client.deploymentFor(requestId);
				if (deploymentId) json.deploymentId = deploymentId;
				return { itemIndex, requestId, status, item: { json, binary } } as ItemResult;
			} catch (error) {
				return failure(ctx, itemIndex, client.toError(error), { requestId });
			}
		});
		results.push(...found);
	}
	return finishItems(ctx, results, 'Request IDs in this run');
}
