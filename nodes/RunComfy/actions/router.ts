import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpOperations, route } from '../../shared/operations';
import * as getBalance from './account/getBalance.operation';
import * as createDeployment from './deployment/create.operation';
import * as deleteDeployment from './deployment/delete.operation';
import * as dryRunWorkflow from './deployment/dryRun.operation';
import * as getDeployment from './deployment/get.operation';
import * as listDeployments from './deployment/list.operation';
import * as runWorkflow from './deployment/run.operation';
import * as submitWorkflow from './deployment/submit.operation';
import * as updateDeployment from './deployment/update.operation';
import { DOWNLOAD_LABEL } from './model/common';
import * as dryRun from './model/dryRun.operation';
import * as getModel from './model/getModel.operation';
import * as listModels from './model/listModels.operation';
import * as run from './model/run.operation';
import * as submit from './model/submit.operation';
import { SUBMITTING } from './operations';

/** A model's or a deployment's job may deliver any kind of file. */
const jobs = lookUpOperations({ delivers: 'any', labels: DOWNLOAD_LABEL });

/** Operation values are unique across resources: the operation alone picks the code to run. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, {
		single: {
			...{ run, submit, dryRun, listModels, getModel },
			...{ runWorkflow, submitWorkflow, dryRunWorkflow, listDeployments, getDeployment },
			...{ createDeployment, updateDeployment, deleteDeployment },
			...jobs.single,
			getBalance,
		},
		routing: jobs.routing,
		creating: SUBMITTING,
	});
}
