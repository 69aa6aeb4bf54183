import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpOperations, route } from '../../shared/operations';
import * as dryRun from './dryRun.operation';
import * as generate from './generate.operation';
import * as submit from './submit.operation';

/** FusionX's jobs deliver a video. */
const lookUps = lookUpOperations({ delivers: 'video', labels: { download: 'Download Video' } });

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, {
		single: { generate, submit, dryRun, ...lookUps.single },
		routing: lookUps.routing,
		creating: ['generate', 'submit'],
	});
}
