import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { abandonJobs, cancelOnExecutionStop, completeJobs } from '../helpers/completion';
import { FIELDS } from '../helpers/input';
import type { ItemResult } from '../helpers/items';
import { finishItems } from '../helpers/items';
import { readApiInputs, readOptions } from '../helpers/parameters';
import { settleRememberedJobs, submitJobs } from '../helpers/submission';
import { RunComfyClient } from '../transport';

/** Submit every item's job, wait for all of them together, return one video per item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this);
	const { inputs, invalid } = await readApiInputs(this);
	const results: ItemResult[] = [...invalid];
	if (inputs.length === 0) return finishItems(this, results);

	const client = await RunComfyClient.create(this);
	const created = new Set<string>();
	cancelOnExecutionStop(this, client, created);

	const { submitted, failed } = await submitJobs(
		this,
		client,
		inputs,
		options.maxConcurrency,
		created,
	);
	results.push(...failed);
	const jobs = submitted.map(({ itemIndex, requestId, submittedAt, reused }) => ({
		itemIndex,
		requestId,
		startedAt: submittedAt,
		justSubmitted: !reused,
	}));
	if (failed.length > 0 && !this.continueOnFail()) {
		results.push(...(await abandonJobs(this, client, jobs)));
	} else {
		const inputOf = new Map(inputs.map(({ itemIndex, input }) => [itemIndex, input]));
		results.push(
			...(await completeJobs(this, client, jobs, { ...options, cancelOpen: true }, (itemIndex) => {
				const input = inputOf.get(itemIndex)!;
				return { seed: input[FIELDS.seed.apiName], input: redactImage(input) };
			})),
		);
	}
	settleRememberedJobs(this, results);
	return finishItems(this, results);
}

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
