import type { IExecuteFunctions } from 'n8n-workflow';

import type { ModelInput } from '../../helpers/input';

export const DOWNLOAD_LABEL = { download: 'Download Files' };

/** A model without a usable schema runs from Additional Inputs as they are: the run says so. */
export function noSchemaHint(ctx: IExecuteFunctions, inputs: ModelInput[]): void {
	const models = [
		...new Set(inputs.filter((i) => i.model.schema.inputs.length === 0).map((i) => i.model.id)),
	];
	if (models.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({
		type: 'warning',
		location: 'outputPane',
		message: `RunComfy publishes no input schema for ${models.join(', ')}: its inputs were sent from Additional Inputs (JSON) as given, without checks.`,
	});
}
