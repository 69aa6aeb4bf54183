import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { submitJobs } from '../../shared/jobs/submission';
import { waitForSubmitted, withPaidJobs } from '../../shared/jobs/paidRun';
import { guardSpending, priceOf } from '../../shared/jobs/spending';
import { shownInput } from '../../shared/output/media';
import { readOptions } from '../../shared/parameters';
import { finishItems } from '../../shared/results';
import { RunComfyClient } from '../../shared/transport';
import { readApiInputs } from '../helpers/apiInput';
import { FIELDS } from '../helpers/input';
import { MODEL_ID } from '../model';

/** The seed may be drawn at random per try, so it is not part of what makes an item the same. */
export const VOLATILE_KEYS = [FIELDS.seed.apiName];

/** Submit every item's job, wait for all of them together, return one video per item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting', 'waiting', 'resulting']);
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
		const done = await submitJobs(this, client, plan, jobs.memory, jobs.created);
		const completion = { ...options, delivers: 'video' as const };
		return await waitForSubmitted(this, client, done, completion, jobs, ({ input }) => ({
			seed: input[FIELDS.seed.apiName],
			input: shownInput(input),
		}));
	});
}
