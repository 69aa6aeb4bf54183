import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { submittedItem, withPaidJobs } from '../../../shared/jobs/paidRun';
import { guardSpending } from '../../../shared/jobs/spending';
import { readOptions } from '../../../shared/parameters';
import { finishItems } from '../../../shared/results';
import { RunComfyClient } from '../../../shared/transport';
import {
	deploymentFacts,
	submitToDeployments,
	typesGuessedHint,
} from '../../helpers/deploymentJobs';
import { DeploymentCache } from '../../helpers/deployments';
import { readWorkflowInputs } from '../../helpers/workflowInput';
import { deploymentsPriced } from './pricing';

/** Submit and return at once: request id, deployment id, where to follow the job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['submitting']);
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readWorkflowInputs(this, new DeploymentCache(client));
	typesGuessedHint(this, inputs);
	if (inputs.length === 0) return finishItems(this, invalid);
	await guardSpending(this, client, options, inputs.length, async () => deploymentsPriced(inputs));
	return await withPaidJobs(this, client, invalid, async (jobs) => {
		const done = await submitToDeployments(this, client, inputs, options.maxConcurrency, jobs);
		const items = done.submitted.map((job) =>
			submittedItem(client, job, deploymentFacts(job.deployment)),
		);
		return [...done.failed, ...items];
	});
}
