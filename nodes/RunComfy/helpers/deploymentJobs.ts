import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PaidJobs } from '../../shared/jobs/paidRun';
import type { Submitted } from '../../shared/jobs/submission';
import { submitJobs } from '../../shared/jobs/submission';
import type { ItemResult } from '../../shared/results';
import type { RunComfyClient } from '../../shared/transport';
import type { DeploymentInfo } from './deployments';
import type { WorkflowJobInput } from './workflowInput';

/** Submitting items that may run on different deployments: one engine submit per deployment. */

export interface SubmittedToDeployment extends Submitted {
	deployment: DeploymentInfo;
}

export async function submitToDeployments(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	inputs: WorkflowJobInput[],
	limit: number,
	jobs: PaidJobs,
): Promise<{ submitted: SubmittedToDeployment[]; failed: ItemResult[] }> {
	const byDeployment = new Map<string, WorkflowJobInput[]>();
	for (const entry of inputs) {
		byDeployment.set(entry.deployment.id, [
			...(byDeployment.get(entry.deployment.id) ?? []),
			entry,
		]);
	}
	const submitted: SubmittedToDeployment[] = [];
	const failed: ItemResult[] = [];
	for (const [deploymentId, group] of byDeployment) {
		const plan = { target: { deployment: deploymentId }, inputs: group, limit, volatileKeys: [] };
		const done = await submitJobs(ctx, client, plan, jobs.memory, jobs.created);
		const deployment = group[0].deployment;
		submitted.push(...done.submitted.map((job) => ({ ...job, deployment })));
		failed.push(...done.failed);
		// Without Continue On Fail one failed submit ends the run: nothing more is paid for.
		if (failed.length > 0 && !ctx.continueOnFail()) break;
		if (client.stopped) break;
	}
	return { submitted, failed };
}

/** What an output item says of its deployment: id, name, hardware (Serverless bills per GPU-second). */
export function deploymentFacts(deployment: DeploymentInfo): IDataObject {
	const { record } = deployment;
	return {
		deploymentId: deployment.id,
		deploymentName: record.name ?? null,
		hardware: record.hardware ?? null,
	};
}
