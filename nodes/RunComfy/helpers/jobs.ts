import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ModelInfo } from '../../shared/catalog/models';
import { modelJson } from '../../shared/catalog/models';
import { submitByTarget } from '../../shared/jobs/grouped';
import type { PaidJobs } from '../../shared/jobs/paidRun';
import type { Submitted } from '../../shared/jobs/submission';
import type { ItemResult } from '../../shared/results';
import type { RunComfyClient } from '../../shared/transport';
import type { ModelInput } from './input';

/** Submitting items that may run different models: one engine submit per model. */

export interface SubmittedToModel extends Submitted {
	model: ModelInfo;
}

export async function submitToModels(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	inputs: ModelInput[],
	limit: number,
	jobs: PaidJobs,
): Promise<{ submitted: SubmittedToModel[]; failed: ItemResult[] }> {
	const targeted = inputs.map(({ itemIndex, input, model }) => ({ itemIndex, input, on: model }));
	const done = await submitByTarget(
		ctx,
		client,
		targeted,
		(model) => ({ model: model.id }),
		limit,
		jobs,
	);
	return {
		submitted: done.submitted.map((job) => ({ ...job, model: job.on })),
		failed: done.failed,
	};
}

/** What an output item says of its model: id, price and unit as the catalog gives them. */
export function modelFacts(model: ModelInfo): IDataObject {
	const json = modelJson(model);
	return { modelId: json.modelId, price: json.price, priceUnit: json.priceUnit };
}
