import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CreatedJobs } from '../../shared/jobs/createdJobs';
import { RetryMemory } from '../../shared/jobs/retryMemory';
import { checkAgainAt } from '../../shared/jobs/schedule';
import { guardSpending, reportCost } from '../../shared/jobs/spending';
import { readOptions } from '../../shared/parameters';
import type { ItemResult } from '../../shared/results';
import { finishItems } from '../../shared/results';
import { RunComfyClient } from '../../shared/transport';
import { readModelInputs } from '../helpers/input';
import type { SubmittedToModel } from '../helpers/jobs';
import { modelFacts, submitToModels } from '../helpers/jobs';
import { ModelCache } from '../helpers/models';
import { noSchemaHint } from './common';

/** Submit and return at once: the request id and the URLs to follow the job with. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting']);
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readModelInputs(this, new ModelCache(this, client));
	noSchemaHint(this, inputs);
	const results: ItemResult[] = [...invalid];
	if (inputs.length > 0) {
		await guardSpending(this, client, options, inputs.length, async () =>
			inputs.map((entry) => entry.model),
		);
		const memory = RetryMemory.open(this);
		const created = new CreatedJobs(this, client);
		try {
			const jobs = { memory, created };
			const { submitted, failed } = await submitToModels(
				this,
				client,
				inputs,
				options.maxConcurrency,
				jobs,
			);
			results.push(...failed, ...submitted.map((job) => submittedItem(client, job)));
		} finally {
			await created.close();
		}
		memory.settle(this, results);
		reportCost(this, results);
	}
	return finishItems(this, results);
}

function submittedItem(client: RunComfyClient, job: SubmittedToModel): ItemResult {
	const { itemIndex, requestId, answer } = job;
	const status = answer.status ?? 'in_queue';
	return {
		itemIndex,
		requestId,
		status,
		item: {
			json: {
				requestId,
				status,
				...modelFacts(job.model),
				statusUrl: client.jobUrl(requestId, 'status'),
				resultUrl: client.jobUrl(requestId, 'result'),
				cancelUrl: client.jobUrl(requestId, 'cancel'),
				checkAgainAt: checkAgainAt({ status, queue_position: answer.queue_position }),
			},
		},
	};
}
