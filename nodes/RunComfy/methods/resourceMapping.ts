import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { toMapperFields } from '../../shared/catalog/fields';
import { RunComfyClient } from '../../shared/transport';
import {
	currentModelId,
	fetchModel,
	isUnknownModel,
	noSuchModel,
	PICK_A_MODEL,
} from '../helpers/models';

/** The Inputs fields of the chosen model, from its `input_schema` in the catalog. */
export async function getInputFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const modelId = currentModelId(this);
	if (!modelId) {
		return { fields: [], emptyFieldsNotice: 'Choose a model first: its inputs are listed here.' };
	}
	const client = await RunComfyClient.create(this);
	let model;
	try {
		model = await fetchModel(client, modelId);
	} catch (error) {
		const failed = client.toError(error);
		// A notice in place of the fields tells the user what to fix; a throw only says loading failed.
		if (isUnknownModel(failed))
			return { fields: [], emptyFieldsNotice: `${noSuchModel(modelId)}. ${PICK_A_MODEL}` };
		throw failed;
	}
	if (model.schema.inputs.length === 0) {
		return {
			fields: [],
			emptyFieldsNotice: `RunComfy publishes no usable input schema for ${modelId} (${model.schema.problem}): give its inputs under Additional Inputs (JSON).`,
		};
	}
	return { fields: toMapperFields(model.schema.inputs) };
}
