import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { completeJobs } from '../../shared/jobs/outcomes';
import { readEach, readOptions, readRequestId } from '../../shared/parameters';
import type { ItemResult } from '../../shared/results';
import { finishItems } from '../../shared/results';
import type { TrackedJob } from '../../shared/jobs/polling';
import { RunComfyClient } from '../../shared/transport';
import { DOWNLOAD_LABEL } from './common';

/** Resume jobs by request id: wait for all of them together, then return their results. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this, ['waiting', 'resulting'], DOWNLOAD_LABEL);
	const { valid, invalid } = await readEach(this, (itemIndex) => readRequestId(this, itemIndex));
	const results: ItemResult[] = [...invalid];
	const startedAt = Date.now();
	const jobs: TrackedJob[] = valid.map(({ itemIndex, value }) => ({
		itemIndex,
		requestId: value,
		startedAt,
	}));
	if (jobs.length > 0) {
		const client = await RunComfyClient.create(this);
		// These jobs were created elsewhere: a stop or another item's failure leaves them running.
		results.push(
			...(await completeJobs(this, client, dedupe(jobs), {
				...options,
				openJobs: 'leave',
				delivers: 'any',
			})),
		);
		// Items that repeat a request id get the same result as its first item.
		for (const job of jobs.filter(
			(job) => !results.some((result) => result.itemIndex === job.itemIndex),
		)) {
			const first = results.find((result) => result.requestId === job.requestId)!;
			results.push({ ...first, itemIndex: job.itemIndex });
		}
	}
	return finishItems(this, results);
}

function dedupe(jobs: TrackedJob[]): TrackedJob[] {
	const byId = new Map<string, TrackedJob>();
	for (const job of jobs) if (!byId.has(job.requestId)) byId.set(job.requestId, job);
	return [...byId.values()];
}
