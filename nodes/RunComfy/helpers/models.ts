import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ModelInfo } from '../../shared/catalog/models';
import { modelIdOf, readModel } from '../../shared/catalog/models';
import type { RunComfyClient, RunComfyError } from '../../shared/transport';

/** The model an item runs, and its catalog entry: fetched once per model per run. */

/** The Model parameter of an item, checked; refused before any request when it can't be one. */
export function readModelId(ctx: IExecuteFunctions, itemIndex: number): string {
	const locator = ctx.getNodeParameter('model', itemIndex, '', { extractValue: false });
	const checked = modelIdOf(locator);
	if ('problem' in checked) {
		throw new NodeOperationError(ctx.getNode(), checked.problem, {
			itemIndex,
			description: 'Pick a model from the list. Nothing was sent to RunComfy for this item.',
		});
	}
	return checked.value;
}

/** The model id a load-options method works with (the Model parameter as it is being edited). */
export function currentModelId(ctx: ILoadOptionsFunctions): string | undefined {
	const locator = ctx.getNodeParameter('model', undefined, { extractValue: false });
	const checked = modelIdOf(locator);
	return 'value' in checked ? checked.value : undefined;
}

export const noSuchModel = (modelId: string) => `RunComfy has no model "${modelId}"`;
export const PICK_A_MODEL =
	'Pick the model from the list, or copy its id from its page on runcomfy.com.';

/** The catalog's answer for a model id it does not know (its own code, or a plain 404). */
export function isUnknownModel(failed: RunComfyError): boolean {
	return failed.kind === 'unknownModel' || failed.details.httpCode === 404;
}

export async function fetchModel(client: RunComfyClient, modelId: string): Promise<ModelInfo> {
	const answer = await client.getModel(modelId);
	return readModel(answer, modelId);
}

/** Models read in this run, by id; a failed look-up fails every item of that model alike. */
export class ModelCache {
	private readonly models = new Map<string, Promise<ModelInfo>>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: RunComfyClient,
	) {}

	async get(modelId: string, itemIndex: number): Promise<ModelInfo> {
		let model = this.models.get(modelId);
		if (!model) {
			model = fetchModel(this.client, modelId);
			this.models.set(modelId, model);
		}
		try {
			return await model;
		} catch (error) {
			throw this.explain(modelId, itemIndex, error);
		}
	}

	private explain(modelId: string, itemIndex: number, error: unknown): Error {
		const failed = this.client.toError(error);
		if (isUnknownModel(failed)) {
			return new NodeOperationError(this.ctx.getNode(), noSuchModel(modelId), {
				itemIndex,
				description: `${PICK_A_MODEL} Nothing was submitted to RunComfy.`,
			});
		}
		return failed;
	}
}

/** "ModelInfo has a usable schema", the one check operations make before validating. */
export const hasSchema = (model: ModelInfo) => model.schema.inputs.length > 0;
