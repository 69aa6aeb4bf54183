import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { waitForSubmitted, withPaidJobs } from '../../../shared/jobs/paidRun';
import { guardSpending } from '../../../shared/jobs/spending';
import type { Submitted } from '../../../shared/jobs/submission';
import { shownInput } from '../../../shared/output/media';
import { readOptions } from '../../../shared/parameters';
import { finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';
import { readModelInputs } from '../../helpers/input';
import type { SubmittedToModel } from '../../helpers/jobs';
import { modelFacts, submitToModels } from '../../helpers/jobs';
import { ModelCache } from '../../helpers/models';
import { DOWNLOAD_LABEL, noSchemaHint } from './common';

/** Submit every item's job, wait for all of them together, return one item per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting', 'waiting', 'resulting'], DOWNLOAD_LABEL);
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readModelInputs(this, new ModelCache(this, client));
	noSchemaHint(this, inputs);
	if (inputs.length === 0) return finishItems(this, invalid);
	await guardSpending(this, client, options, inputs.length, async () =>
		inputs.map((entry) => entry.model),
	);
	return await withPaidJobs(this, client, invalid, async (jobs) => {
		const done = await submitToModels(this, client, inputs, options.maxConcurrency, jobs);
		const completion = { ...options, delivers: 'any' as const };
		return await waitForSubmitted(this, client, done, completion, jobs, (job: Submitted) => ({
			...modelFacts((job as SubmittedToModel).model),
			input: shownInput(job.input),
		}));
	});
}
