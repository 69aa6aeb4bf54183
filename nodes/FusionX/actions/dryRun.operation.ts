import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { finishItems } from '../../shared/results';
import { readApiInputs } from '../helpers/apiInput';
import { MODEL_ID } from '../model';

/**
 * Every item validated and shown as the exact request a run would send; nothing is sent. A Seed
 * of -1 draws a new seed on every run, so set one to compare a dry run with the real run.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { inputs, invalid } = await readApiInputs(this);
	const previews = inputs.map(({ itemIndex, input }) => ({
		itemIndex,
		item: {
			json: {
				dryRun: true,
				message: 'Nothing was sent to RunComfy: this is the request a run would send.',
				request: { method: 'POST', path: `/v1/models/${MODEL_ID}` },
				payload: input,
			},
		},
	}));
	return finishItems(this, [...invalid, ...previews]);
}
