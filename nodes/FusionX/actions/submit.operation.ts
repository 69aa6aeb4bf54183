import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { FIELDS } from '../helpers/input';
import type { ItemResult } from '../helpers/items';
import { finishItems } from '../helpers/items';
import { readApiInputs, readOptions } from '../helpers/parameters';
import { settleRememberedJobs, submitJobs } from '../helpers/submission';
import { RunComfyClient } from '../transport';

/** Submit and return at once: the request id and the URLs to follow the job with. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this);
	const { inputs, invalid } = await readApiInputs(this);
	const results: ItemResult[] = [...invalid];
	if (inputs.length > 0) {
		const client = await RunComfyClient.create(this);
		const { submitted, failed } = await submitJobs(
			this,
			client,
			inputs,
			options.maxConcurrency,
			new Set(),
		);
		results.push(...failed);
		for (const { itemIndex, requestId, answer } of submitted) {
			const input = inputs.find((entry) => entry.itemIndex === itemIndex)!.input;
			results.push({
				itemIndex,
				requestId,
				status: answer.status ?? 'in_queue',
				item: {
					json: {
						requestId,
						status: answer.status ?? 'in_queue',
						statusUrl: answer.status_url ?? `${client.baseUrl}/v1/requests/${requestId}/status`,
						resultUrl: answer.result_url ?? `${client.baseUrl}/v1/requests/${requestId}/result`,
						cancelUrl: answer.cancel_url ?? `${client.baseUrl}/v1/requests/${requestId}/cancel`,
						seed: input[FIELDS.seed.apiName],
					},
				},
			});
		}
	}
	settleRememberedJobs(this, results);
	return finishItems(this, results);
}
