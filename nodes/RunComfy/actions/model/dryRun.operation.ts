import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dryRunItems } from '../../../shared/operations/dryRun';
import { RunComfyClient } from '../../../shared/transport';
import { readModelInputs } from '../../helpers/input';
import { ModelCache } from '../../helpers/models';

/** Every item validated against its model's schema and shown as the exact request; nothing is sent. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readModelInputs(this, new ModelCache(this, client));
	const previews = inputs.map((entry) => ({
		...entry,
		path: client.submitPath({ model: entry.model.id }),
	}));
	return dryRunItems(this, previews, invalid);
}
