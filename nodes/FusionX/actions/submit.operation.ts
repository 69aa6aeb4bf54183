import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { submittedItem, withPaidJobs } from '../../shared/jobs/paidRun';
import { guardSpending, priceOf } from '../../shared/jobs/spending';
import { submitJobs } from '../../shared/jobs/submission';
import { readOptions } from '../../shared/parameters';
import { finishItems } from '../../shared/results';
import { RunComfyClient } from '../../shared/transport';
import { readApiInputs } from '../helpers/apiInput';
import { FIELDS } from '../helpers/input';
import { MODEL_ID } from '../model';
import { VOLATILE_KEYS } from './generate.operation';

/** Submit and return at once: the request id and the URLs to follow the job with. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting']);
	const { inputs, invalid } = await readApiInputs(this);
	if (inputs.length === 0) return finishItems(this, invalid);
	const client = await RunComfyClient.create(this);
	await guardSpending(this, client, options, inputs.length, async () => {
		const price = await priceOf(client, MODEL_ID);
		return inputs.map(() => price);
	});
	return await withPaidJobs(this, client, invalid, async (jobs) => {
		const plan = {
			target: { model: MODEL_ID },
			inputs,
			limit: options.maxConcurrency,
			volatileKeys: VOLATILE_KEYS,
		};
		const { submitted, failed } = await submitJobs(this, client, plan, jobs.memory, jobs.created);
		const items = submitted.map((job) =>
			submittedItem(client, job, { seed: job.input[FIELDS.seed.apiName] }),
		);
		return [...failed, ...items];
	});
}
