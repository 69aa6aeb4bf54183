import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { modelJson } from '../../../shared/catalog/models';
import type { ItemResult } from '../../../shared/results';
import { failure, finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';
import { ModelCache, readModelId } from '../../helpers/models';

/** One model's details: schema (as given and as the node reads it), price and unit, page URL. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const results: ItemResult[] = [];
	const client = await RunComfyClient.create(this);
	const models = new ModelCache(this, client);
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			const model = await models.get(readModelId(this, itemIndex), itemIndex);
			const json: IDataObject = {
				...modelJson(model),
				inputs: model.schema.inputs.map((input) => {
					const { types, ...rest } = input;
					return { ...rest, type: types.join(' | ') || null } as unknown as IDataObject;
				}),
				schemaProblem: model.schema.problem ?? null,
				inputSchema: (model.inputSchemaRaw ?? null) as IDataObject,
			};
			results.push({ itemIndex, item: { json } });
		} catch (error) {
			results.push(failure(this, itemIndex, error));
			if (!this.continueOnFail()) break;
		}
	}
	return finishItems(this, results);
}
