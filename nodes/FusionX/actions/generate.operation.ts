import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CreatedJobs } from '../../shared/jobs/createdJobs';
import { FIELDS } from '../helpers/input';
import { abandonJobs, completeJobs } from '../../shared/jobs/outcomes';
import { readApiInputs } from '../helpers/apiInput';
import { readOptions } from '../../shared/parameters';
import type { ItemResult } from '../../shared/results';
import { finishItems } from '../../shared/results';
import { RetryMemory } from '../../shared/jobs/retryMemory';
import { guardSpending, priceOf, reportCost } from '../../shared/jobs/spending';
import { submitJobs } from '../../shared/jobs/submission';
import { MODEL_ID } from '../model';
import { RunComfyClient } from '../../shared/transport';

/** Submit every item's job, wait for all of them together, return one video per item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting', 'waiting', 'resulting']);
	const { inputs, invalid } = await readApiInputs(this);
	const results: ItemResult[] = [...invalid];
	if (inputs.length === 0) return finishItems(this, results);

	const client = await RunComfyClient.create(this);
	await guardSpending(this, client, options, inputs.length, async () => {
		const price = await priceOf(client, MODEL_ID);
		return inputs.map(() => price);
	});
	const memory = RetryMemory.open(this);
	const created = new CreatedJobs(this, client);
	try {
		const plan = { modelId: MODEL_ID, inputs, limit: options.maxConcurrency, volatileKeys };
		const { submitted, failed } = await submitJobs(this, client, plan, memory, created);
		results.push(...failed);
		const jobs = submitted.map(({ itemIndex, requestId, submittedAt, reused }) => ({
			itemIndex,
			requestId,
			startedAt: submittedAt,
			justSubmitted: !reused,
		}));
		// A job a retry will reuse is left running; on the last try a queued one is cancelled.
		const completion = {
			...options,
			delivers: 'video' as const,
			openJobs: memory.isLastTry ? ('cancel' as const) : ('leaveForRetry' as const),
		};
		if (failed.length > 0 && !this.continueOnFail()) {
			results.push(...(await abandonJobs(this, client, jobs, completion)));
		} else {
			const ranWith = new Map(submitted.map(({ itemIndex, input }) => [itemIndex, input]));
			results.push(
				...(await completeJobs(this, client, jobs, completion, (itemIndex) => {
					const input = ranWith.get(itemIndex)!;
					return { seed: input[FIELDS.seed.apiName], input: redactImage(input) };
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

/** The seed may be drawn at random per try, so it is not part of what makes an item the same. */
const volatileKeys = [FIELDS.seed.apiName];

/** A start frame sent from binary is a long data: URI; the output shows its size instead. */
function redactImage(input: IDataObject): IDataObject {
	const image = String(input[FIELDS.imageUrl.apiName]);
	if (!image.startsWith('data:')) return input;
	const kilobytes = Math.round((image.length * 3) / 4 / 1024);
	return {
		...input,
		[FIELDS.imageUrl.apiName]:
			`${image.slice(0, image.indexOf(','))},… (${kilobytes} KB from binary)`,
	};
}
