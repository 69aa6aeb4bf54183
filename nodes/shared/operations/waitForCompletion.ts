import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CreatedJobs } from '../jobs/createdJobs';
import { jobsCreatedInThisExecution } from '../jobs/executionJobs';
import { completeJobs } from '../jobs/outcomes';
import type { TrackedJob } from '../jobs/polling';
import type { NodeProfile } from './lookUps';
import { readEach, readJob, readOptions, readRequestId } from '../parameters';
import type { ItemResult } from '../results';
import { finishItems } from '../results';
import { RunComfyClient } from '../transport';

/** Resume jobs by request id: wait for all of them together, then return their results. */
export async function waitForCompletion(
	ctx: IExecuteFunctions,
	profile: NodeProfile,
): Promise<INodeExecutionData[]> {
	const options = readOptions(ctx, ['waiting', 'resulting'], profile.labels);
	const { delivers } = profile;
	const { valid, invalid } = await readEach(ctx, (itemIndex) => readRequestId(ctx, itemIndex));
	const results: ItemResult[] = [...invalid];
	const startedAt = Date.now();
	const jobs: TrackedJob[] = valid.map(({ itemIndex, value }) => ({
		itemIndex,
		requestId: value,
		startedAt,
	}));
	if (jobs.length > 0) {
		const client = await RunComfyClient.create(ctx);
		for (const job of jobs) readJob(ctx, client, job.itemIndex, job.requestId);
		// These jobs were created elsewhere: another item's failure leaves them running. A Stop
		// cancels those a RunComfy node submitted earlier in this execution (n8n 2.x does not save a
		// stopped execution's run data, so nothing would name them); jobs from elsewhere run on.
		const completion = { ...options, openJobs: 'leave' as const, delivers };
		const stopCancels = new CreatedJobs(ctx, client);
		const ours = jobsCreatedInThisExecution(ctx);
		for (const job of jobs) if (ours.has(job.requestId)) stopCancels.add(job.requestId);
		try {
			// A deployment's job says which deployment it ran on, as Run Workflow's items do.
			const byItem = new Map(jobs.map((job) => [job.itemIndex, job.requestId]));
			const deploymentOf = (itemIndex: number) => {
				const deploymentId = client.deploymentFor(byItem.get(itemIndex) ?? '');
				return deploymentId ? { deploymentId } : {};
			};
			results.push(...(await completeJobs(ctx, client, dedupe(jobs), completion, deploymentOf)));
		} finally {
			await stopCancels.close();
		}
		// Items that repeat a request id get the same result as its first item.
		for (const job of jobs) {
			if (results.some((result) => result.itemIndex === job.itemIndex)) continue;
			const first = results.find((result) => result.requestId === job.requestId)!;
			results.push({ ...first, itemIndex: job.itemIndex });
		}
	}
	return finishItems(ctx, results);
}

function dedupe(jobs: TrackedJob[]): TrackedJob[] {
	const byId = new Map<string, TrackedJob>();
	for (const job of jobs) if (!byId.has(job.requestId)) byId.set(job.requestId, job);
	return [...byId.values()];
}
