import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpOperations, route } from '../../shared/operations';
import { DOWNLOAD_LABEL } from './common';
import * as dryRun from './dryRun.operation';
import * as getModel from './getModel.operation';
import * as listModels from './listModels.operation';
import * as run from './run.operation';
import * as submit from './submit.operation';

/** A catalog model's job may deliver any kind of file. */
const lookUps = lookUpOperations({ delivers: 'any', labels: DOWNLOAD_LABEL });

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, {
		single: { run, submit, dryRun, listModels, getModel, ...lookUps.single },
		routing: lookUps.routing,
		creating: ['run', 'submit'],
	});
}
