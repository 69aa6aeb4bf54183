import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ModelInfo } from '../../shared/catalog/models';
import { modelJson } from '../../shared/catalog/models';
import type { CreatedJobs } from '../../shared/jobs/createdJobs';
import type { RetryMemory } from '../../shared/jobs/retryMemory';
import type { Submitted } from '../../shared/jobs/submission';
import { submitJobs } from '../../shared/jobs/submission';
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
	jobs: { memory: RetryMemory; created: CreatedJobs },
): Promise<{ submitted: SubmittedToModel[]; failed: ItemResult[] }> {
	const byModel = new Map<string, ModelInput[]>();
	for (const entry of inputs) {
		byModel.set(entry.model.id, [...(byModel.get(entry.model.id) ?? []), entry]);
	}
	const submitted: SubmittedToModel[] = [];
	const failed: ItemResult[] = [];
	for (const [modelId, group] of byModel) {
		const model = group[0].model;
		const plan = { target: { model: modelId }, inputs: group, limit, volatileKeys: [] };
		const done = await submitJobs(ctx, client, plan, jobs.memory, jobs.created);
		submitted.push(...done.submitted.map((job) => ({ ...job, model })));
		failed.push(...done.failed);
		// Without Continue On Fail one failed submit ends the run: nothing more is paid for.
		if (failed.length > 0 && !ctx.continueOnFail()) break;
		if (client.stopped) break;
	}
	return { submitted, failed };
}

/** What an output item says of its model: id, price and unit as the catalog gives them. */
export function modelFacts(model: ModelInfo): IDataObject {
	const json = modelJson(model);
	return { modelId: json.modelId, price: json.price, priceUnit: json.priceUnit };
}
