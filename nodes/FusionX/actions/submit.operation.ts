import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CreatedJobs } from '../../shared/jobs/createdJobs';
import { FIELDS } from '../helpers/input';
import { readApiInputs } from '../helpers/apiInput';
import { readOptions } from '../../shared/parameters';
import type { ItemResult } from '../../shared/results';
import { finishItems } from '../../shared/results';
import { RetryMemory } from '../../shared/jobs/retryMemory';
import { checkAgainAt } from '../../shared/jobs/schedule';
import { guardSpending, priceOf, reportCost } from '../../shared/jobs/spending';
import type { Submitted } from '../../shared/jobs/submission';
import { submitJobs } from '../../shared/jobs/submission';
import { MODEL_ID } from '../model';
import type { RunComfyClient } from '../../shared/transport';
import { RunComfyClient as Client } from '../../shared/transport';

/** Submit and return at once: the request id and the URLs to follow the job with. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting']);
	const { inputs, invalid } = await readApiInputs(this);
	const results: ItemResult[] = [...invalid];
	if (inputs.length > 0) {
		const client = await Client.create(this);
		await guardSpending(this, client, options, inputs.length, async () => {
			const price = await priceOf(client, MODEL_ID);
			return inputs.map(() => price);
		});
		const memory = RetryMemory.open(this);
		const created = new CreatedJobs(this, client);
		try {
			const plan = {
				modelId: MODEL_ID,
				inputs,
				limit: options.maxConcurrency,
				volatileKeys: [FIELDS.seed.apiName],
			};
			const { submitted, failed } = await submitJobs(this, client, plan, memory, created);
			results.push(...failed, ...submitted.map((job) => submittedItem(client, job)));
		} finally {
			await created.close();
		}
		memory.settle(this, results);
		reportCost(this, results);
	}
	return finishItems(this, results);
}

function submittedItem(client: RunComfyClient, job: Submitted): ItemResult {
	const { itemIndex, requestId, answer, input } = job;
	const status = answer.status ?? 'in_queue';
	return {
		itemIndex,
		requestId,
		status,
		item: {
			json: {
				requestId,
				status,
				statusUrl: client.jobUrl(requestId, 'status'),
				resultUrl: client.jobUrl(requestId, 'result'),
				cancelUrl: client.jobUrl(requestId, 'cancel'),
				seed: input[FIELDS.seed.apiName],
				checkAgainAt: checkAgainAt({ status, queue_position: answer.queue_position }),
			},
		},
	};
}
