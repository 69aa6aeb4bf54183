import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemResult } from '../results';
import { finishItems } from '../results';
import type { RunComfyClient } from '../transport';
import { CreatedJobs } from './createdJobs';
import type { CompletionOptions } from './outcomes';
import { abandonJobs, completeJobs } from './outcomes';
import { RetryMemory } from './retryMemory';
import { FAILED_STATUSES, SUCCESS_STATUSES } from './waitTypes';
import { checkAgainAt } from './schedule';
import { reportCost } from './spending';
import type { Submitted } from './submission';

/** What an operation that creates paid jobs needs while it runs. */
export interface PaidJobs {
	memory: RetryMemory;
	created: CreatedJobs;
}

/**
 * The frame of every operation that creates paid jobs: the Retry On Fail memory, cancelling on
 * Stop until the operation returns, then the cost report and the output items.
 */
export async function withPaidJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	earlier: ItemResult[],
	work: (jobs: PaidJobs) => Promise<ItemResult[]>,
): Promise<INodeExecutionData[]> {
	const memory = RetryMemory.open(ctx);
	const created = new CreatedJobs(ctx, client);
	const results = [...earlier];
	let retryFollows = false;
	let leftForRetry: string[] = [];
	try {
		results.push(...(await work({ memory, created })));
		retryFollows = memory.settle(ctx, results);
		if (retryFollows) leftForRetry = unfinishedJobs(results);
	} finally {
		await created.close(leftForRetry);
	}
	if (retryFollows) memory.holdUntilNextTry(created);
	if (leftForRetry.length > 0) {
		ctx.logger.info(
			`RunComfy: ${leftForRetry.length} unfinished job(s) left for Retry On Fail's next try (cancelled if the execution is stopped first): ${leftForRetry.join(', ')}`,
		);
	}
	reportCost(ctx, results);
	return finishItems(ctx, results);
}

/** The jobs of a try that have not ended: what Retry On Fail's next try will wait for. */
function unfinishedJobs(results: ItemResult[]): string[] {
	return results
		.filter(
			({ requestId, status = '' }) =>
				requestId && !SUCCESS_STATUSES.has(status) && !FAILED_STATUSES.has(status),
		)
		.map(({ requestId }) => requestId!);
}

/**
 * Waits for the jobs just submitted, all together, and returns one result per job. Without
 * Continue On Fail a failed submit ends the run instead: the other jobs are left to a retry that
 * will reuse them, or cancelled while queued on the last try.
 */
export async function waitForSubmitted(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	done: { submitted: Submitted[]; failed: ItemResult[] },
	options: Omit<CompletionOptions, 'openJobs'>,
	jobs: PaidJobs,
	extraJson: (job: Submitted) => IDataObject,
): Promise<ItemResult[]> {
	const tracked = done.submitted.map(({ itemIndex, requestId, submittedAt, reused }) => ({
		itemIndex,
		requestId,
		startedAt: submittedAt,
		justSubmitted: !reused,
	}));
	const openJobs = jobs.memory.isLastTry ? ('cancel' as const) : ('leaveForRetry' as const);
	const completion = { ...options, openJobs };
	if (done.failed.length > 0 && !ctx.continueOnFail()) {
		return [...done.failed, ...(await abandonJobs(ctx, client, tracked, completion))];
	}
	const byItem = new Map(done.submitted.map((job) => [job.itemIndex, job]));
	const completed = await completeJobs(ctx, client, tracked, completion, (itemIndex) =>
		extraJson(byItem.get(itemIndex)!),
	);
	return [...done.failed, ...completed];
}

/** Submit Job's output item: the request id, where to follow the job, and when to look again. */
export function submittedItem(
	client: RunComfyClient,
	job: Submitted,
	extra: IDataObject,
): ItemResult {
	const { itemIndex, requestId, answer } = job;
	const status = answer.status ?? 'in_queue';
	return {
		itemIndex,
		requestId,
		status,
		item: {
			json: {
				requestId,
				status,
				...extra,
				statusUrl: client.jobUrl(requestId, 'status'),
				resultUrl: client.jobUrl(requestId, 'result'),
				cancelUrl: client.jobUrl(requestId, 'cancel'),
				checkAgainAt: checkAgainAt({ status, queue_position: answer.queue_position }),
			},
		},
	};
}
