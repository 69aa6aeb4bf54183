import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CreatedJobs } from '../../shared/jobs/createdJobs';
import { abandonJobs, completeJobs } from '../../shared/jobs/outcomes';
import { RetryMemory } from '../../shared/jobs/retryMemory';
import { guardSpending, reportCost } from '../../shared/jobs/spending';
import { readOptions } from '../../shared/parameters';
import type { ItemResult } from '../../shared/results';
import { finishItems } from '../../shared/results';
import { RunComfyClient } from '../../shared/transport';
import { readModelInputs } from '../helpers/input';
import { modelFacts, shownInput, submitToModels } from '../helpers/jobs';
import { ModelCache } from '../helpers/models';
import { DOWNLOAD_LABEL, noSchemaHint } from './common';

/** Submit every item's job, wait for all of them together, return one item per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting', 'waiting', 'resulting'], DOWNLOAD_LABEL);
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readModelInputs(this, new ModelCache(this, client));
	noSchemaHint(this, inputs);
	const results: ItemResult[] = [...invalid];
	if (inputs.length === 0) return finishItems(this, results);
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
		results.push(...failed);
		const tracked = submitted.map(({ itemIndex, requestId, submittedAt, reused }) => ({
			itemIndex,
			requestId,
			startedAt: submittedAt,
			justSubmitted: !reused,
		}));
		const completion = {
			...options,
			delivers: 'any' as const,
			openJobs: memory.isLastTry ? ('cancel' as const) : ('leaveForRetry' as const),
		};
		if (failed.length > 0 && !this.continueOnFail()) {
			results.push(...(await abandonJobs(this, client, tracked, completion)));
		} else {
			const ran = new Map(submitted.map((job) => [job.itemIndex, job]));
			results.push(
				...(await completeJobs(this, client, tracked, completion, (itemIndex) => {
					const job = ran.get(itemIndex)!;
					return { ...modelFacts(job.model), input: shownInput(job.input) };
				})),
			);
		}
	} finally {
		await created.close();
	}
	memory.settle(this, results);
	reportCost(this, results);
	return finishItems(this, results);
}
