import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { MediaKind } from '../output/media';
import { CANCELLATION_REQUESTED } from '../jobs/outcomes';
import { lookUpResult } from '../jobs/result';
import { checkAgainAt } from '../jobs/schedule';
import { lookUpEach } from '../lookUp';
import { readOptions } from '../parameters';

/**
 * The operations every RunComfy node has that look at jobs by request id; a node only says
 * which files make its jobs a success and what it calls downloading them.
 */
export interface NodeProfile {
	delivers: MediaKind | 'any';
	labels: { download: string };
}

/** Cancel a job; only a queued job can be cancelled, a running one reports not_cancellable. */
export async function cancelJobs(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await lookUpEach(ctx, async (client, requestId) => {
		const answer = await client.cancel(requestId);
		if (answer.status === 'cancellation_requested') {
			const json = { requestId, outcome: 'cancellation_requested', cancelled: false };
			return {
				json: { ...json, status: answer.status, message: CANCELLATION_REQUESTED },
				status: answer.status,
			};
		}
		const outcome =
			answer.outcome ?? (answer.status === 'cancelled' ? 'cancelled' : 'not_cancellable');
		return {
			json: {
				requestId,
				outcome,
				cancelled: outcome === 'cancelled',
				status: answer.status ?? null,
				message:
					outcome === 'cancelled'
						? 'The job was cancelled before it started.'
						: 'The job could not be cancelled: it is already running or finished. Running jobs cannot be cancelled.',
			},
			status: answer.status,
		};
	});
}

/** One status look-up per item. */
export async function getStatuses(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await lookUpEach(ctx, async (client, requestId) => {
		const answer = await client.status(requestId);
		const json: Record<string, unknown> = { requestId, status: answer.status };
		if (typeof answer.queue_position === 'number') json.queuePosition = answer.queue_position;
		json.statusUrl = client.jobUrl(requestId, 'status');
		json.resultUrl = client.jobUrl(requestId, 'result');
		return { json: json as INodeExecutionData['json'], status: answer.status };
	});
}

/** One result look-up per item: the current status, or the finished job with its files. */
export async function getResults(
	ctx: IExecuteFunctions,
	profile: NodeProfile,
): Promise<INodeExecutionData[]> {
	const options = {
		...readOptions(ctx, ['resulting'], profile.labels),
		delivers: profile.delivers,
	};
	return await lookUpEach(
		ctx,
		async (client, requestId) => await lookUpResult(ctx, client, requestId, options),
	);
}

/**
 * One look per item, routed: finished jobs (with their files) to Completed, the others to Still
 * Running with `checkAgainAt`, so Submit → Wait → Check Job → (Still Running → Wait) needs no IF
 * node and the execution is parked while the job runs.
 */
export async function checkJobs(
	ctx: IExecuteFunctions,
	profile: NodeProfile,
): Promise<INodeExecutionData[][]> {
	const options = {
		...readOptions(ctx, ['resulting'], profile.labels),
		delivers: profile.delivers,
	};
	const items = await lookUpEach(ctx, async (client, requestId) => {
		const found = await lookUpResult(ctx, client, requestId, options);
		if (isFinished(found.status)) return found;
		const answer = { status: found.status, queue_position: found.json.queuePosition as number };
		return { ...found, json: { ...found.json, checkAgainAt: checkAgainAt(answer) } };
	});
	const running = (item: INodeExecutionData) => !item.json.error && !!item.json.checkAgainAt;
	return [items.filter((item) => !running(item)), items.filter(running)];
}

function isFinished(status: unknown): boolean {
	return ['completed', 'succeeded'].includes(String(status ?? '').toLowerCase());
}
