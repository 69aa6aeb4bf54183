import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { waitForSubmitted, withPaidJobs } from '../../../shared/jobs/paidRun';
import { guardSpending } from '../../../shared/jobs/spending';
import { readOptions } from '../../../shared/parameters';
import { finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';
import type { SubmittedToDeployment } from '../../helpers/deploymentJobs';
import {
	deploymentFacts,
	submitToDeployments,
	typesGuessedHint,
} from '../../helpers/deploymentJobs';
import { DeploymentCache } from '../../helpers/deployments';
import { readWorkflowInputs } from '../../helpers/workflowInput';
import { DOWNLOAD_LABEL } from '../model/common';
import { deploymentsPriced } from './pricing';

/** Submit every item to its deployment, wait for all jobs together, one item per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting', 'waiting', 'resulting'], DOWNLOAD_LABEL);
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readWorkflowInputs(this, new DeploymentCache(client));
	typesGuessedHint(this, inputs);
	if (inputs.length === 0) return finishItems(this, invalid);
	await guardSpending(this, client, options, inputs.length, async () => deploymentsPriced(inputs));
	return await withPaidJobs(this, client, invalid, async (jobs) => {
		const done = await submitToDeployments(this, client, inputs, options.maxConcurrency, jobs);
		const completion = { ...options, delivers: 'any' as const };
		return await waitForSubmitted(this, client, done, completion, jobs, (job) =>
			deploymentFacts((job as SubmittedToDeployment).deployment),
		);
	});
}
