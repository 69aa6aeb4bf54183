import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PaidJobs } from '../../shared/jobs/paidRun';
import type { Submitted } from '../../shared/jobs/submission';
import { submitByTarget } from '../../shared/jobs/grouped';
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
	const targeted = inputs.map(({ itemIndex, input, query, deployment }) => ({
		itemIndex,
		input,
		query,
		on: deployment,
	}));
	const target = (deployment: DeploymentInfo) => ({ deployment: deployment.id });
	const done = await submitByTarget(ctx, client, targeted, target, limit, jobs);
	return {
		submitted: done.submitted.map((job) => ({ ...job, deployment: job.on })),
		failed: done.failed,
	};
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

/**
 * object_info could not be read for some deployment: its values were checked against types taken
 * from the workflow's own values. The editor shows a notice only when there are no fields at all,
 * so the run says it.
 */
export function typesGuessedHint(ctx: IExecuteFunctions, inputs: WorkflowJobInput[]): void {
	const ids = [
		...new Set(inputs.filter((i) => i.deployment.objectInfoMissing).map((i) => i.deployment.id)),
	];
	if (ids.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({
		type: 'warning',
		location: 'outputPane',
		message: `RunComfy's node definitions (object_info) could not be read for deployment ${ids.join(', ')}: its inputs were checked against types taken from the workflow's own values, without ranges.`,
	});
}
