import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { priceOf } from '../../shared/jobs/spending';
import { dryRunItems } from '../../shared/operations/dryRun';
import { RunComfyClient } from '../../shared/transport';
import { readApiInputs } from '../helpers/apiInput';
import { MODEL_ID } from '../model';

/**
 * Every item validated and shown as the exact request a run would send, with the price; nothing
 * paid is sent. A Seed of -1 draws a new seed on every run: set one to compare with the real run.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { inputs, invalid } = await readApiInputs(this);
	const client = await RunComfyClient.create(this);
	const model = inputs.length > 0 ? await priceOf(client, MODEL_ID) : { id: MODEL_ID };
	const path = client.submitPath({ model: MODEL_ID });
	return dryRunItems(
		this,
		inputs.map((entry) => ({ ...entry, model, path })),
		invalid,
	);
}
