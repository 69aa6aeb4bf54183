import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { submittedItem, withPaidJobs } from '../../../shared/jobs/paidRun';
import { guardSpending } from '../../../shared/jobs/spending';
import { readOptions } from '../../../shared/parameters';
import { finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';
import { readModelInputs } from '../../helpers/input';
import { modelFacts, submitToModels } from '../../helpers/jobs';
import { ModelCache } from '../../helpers/models';
import { noSchemaHint } from './common';

/** Submit and return at once: the request id, the model's price and the URLs to follow the job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting']);
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readModelInputs(this, new ModelCache(this, client));
	noSchemaHint(this, inputs);
	if (inputs.length === 0) return finishItems(this, invalid);
	await guardSpending(this, client, options, inputs.length, async () =>
		inputs.map((entry) => entry.model),
	);
	return await withPaidJobs(this, client, invalid, async (jobs) => {
		const { submitted, failed } = await submitToModels(
			this,
			client,
			inputs,
			options.maxConcurrency,
			jobs,
		);
		const items = submitted.map((job) => submittedItem(client, job, modelFacts(job.model)));
		return [...failed, ...items];
	});
}
