import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JobAnswer, RunComfyClient } from '../transport';
import type { ItemResult } from './items';
import { downloadVideos, failure, resultJson, videoUrlsOf } from './items';
import type { NodeOptions } from './parameters';
import { readOptions } from './parameters';
import type { JobOutcome, TrackedJob } from './polling';
import { MAX_CONSECUTIVE_FAILURES, waitForJobs } from './polling';
import { mapWithConcurrency } from './pool';

/** Waiting for jobs and turning how each ended into an output item or an item error. */

export interface CompletionOptions extends NodeOptions {
	/** Cancel still-queued jobs when the run stops early: true for jobs this run created. */
	cancelOpen: boolean;
}

const RESUME_HINT = 'Resume it with the Wait for Completion operation and this Request ID.';

/** Cancels every job of this run on the server when the user stops the execution (best effort). */
export function cancelOnExecutionStop(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	requestIds: Set<string>,
) {
	// Older n8n versions have no cancellation hook; there the jobs simply run on.
	if (typeof ctx.onExecutionCancellation !== 'function') return;
	ctx.onExecutionCancellation(() => {
		for (const requestId of requestIds) {
			client.cancelDetached(requestId).then(
				(answer) =>
					ctx.logger.info(
						`RunComfy job ${requestId}: execution stopped, cancel answered ${answer.outcome ?? answer.status}`,
					),
				(error: Error) =>
					ctx.logger.warn(`RunComfy job ${requestId}: cancel after stop failed: ${error.message}`),
			);
		}
	});
}

async function tryCancel(
	client: RunComfyClient,
	requestId: string,
): Promise<{ cancelled: boolean; text: string }> {
	try {
		const answer = await client.cancel(requestId);
		return answer.outcome === 'cancelled' || answer.status === 'cancelled'
			? { cancelled: true, text: 'It was still queued, so it was cancelled.' }
			: {
					cancelled: false,
					text: `It could not be cancelled (${answer.outcome ?? answer.status ?? 'no answer'}: a running job cannot be cancelled) and may still finish. ${RESUME_HINT}`,
				};
	} catch (error) {
		return {
			cancelled: false,
			text: `Cancelling it failed (${(error as Error).message}); it may still be running. ${RESUME_HINT}`,
		};
	}
}

function jobError(answer: JobAnswer): string {
	const error = answer.error;
	if (typeof error === 'string' && error) return error;
	if (error && typeof error === 'object') {
		const message = (error as IDataObject).message ?? (error as IDataObject).error_message;
		return typeof message === 'string' ? message : JSON.stringify(error);
	}
	return 'no reason given';
}

async function toItemResult(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	job: TrackedJob,
	outcome: JobOutcome,
	options: CompletionOptions,
	extraJson: IDataObject,
): Promise<ItemResult> {
	const { itemIndex, requestId } = job;
	const fail = (message: string, status?: string, description?: string) =>
		failure(
			ctx,
			itemIndex,
			new NodeOperationError(ctx.getNode(), message, { itemIndex, description }),
			{
				requestId,
				status,
			},
		);
	switch (outcome.kind) {
		case 'done': {
			const json = { ...resultJson(requestId, outcome.answer, outcome.waitedMs), ...extraJson };
			const urls = videoUrlsOf(outcome.answer.output);
			if (!options.download)
				return { itemIndex, requestId, status: outcome.answer.status, item: { json } };
			if (urls.length === 0) {
				return fail(
					'The job finished but its output has no video to download',
					outcome.answer.status,
					`Output: ${JSON.stringify(outcome.answer.output)}`,
				);
			}
			try {
				const binary = await downloadVideos(
					ctx,
					client,
					requestId,
					urls,
					options.binaryPropertyName,
				);
				return { itemIndex, requestId, status: outcome.answer.status, item: { json, binary } };
			} catch (error) {
				return failure(ctx, itemIndex, error, {
					requestId,
					status: outcome.answer.status,
					extra: `The job succeeded; the video is at ${urls.join(', ')}.`,
				});
			}
		}
		case 'failed':
			return fail(
				outcome.status === 'failed'
					? `The RunComfy job failed: ${jobError(outcome.answer)}`
					: 'The RunComfy job was cancelled',
				outcome.status,
			);
		case 'unknownStatus':
			return fail(
				`RunComfy reported an unknown status "${outcome.status}" for this job`,
				outcome.status,
				`The node stopped waiting rather than loop on it. ${RESUME_HINT}`,
			);
		case 'timedOut': {
			const seconds = Math.round(options.timeoutMs / 1000);
			const after = options.cancelOnTimeout
				? await tryCancel(client, requestId)
				: { cancelled: false, text: `It may still be running at RunComfy. ${RESUME_HINT}` };
			return fail(
				`The job did not finish within the timeout of ${seconds} s (last status: ${outcome.status ?? 'unknown'})`,
				after.cancelled ? 'cancelled' : outcome.status,
				after.text,
			);
		}
		case 'pollError':
			return failure(ctx, itemIndex, outcome.error, {
				requestId,
				status: outcome.status,
				extra: outcome.error.isTransient
					? `Gave up after ${MAX_CONSECUTIVE_FAILURES} failed status checks in a row. ${RESUME_HINT}`
					: undefined,
			});
		case 'open': {
			// Jobs this run created are cancelled while queued; jobs it only resumed are left alone.
			const after = options.cancelOpen
				? await tryCancel(client, requestId)
				: { cancelled: false, text: `It is still at RunComfy. ${RESUME_HINT}` };
			return {
				...fail(
					'Stopped because another item failed',
					after.cancelled ? 'cancelled' : outcome.status,
					after.text,
				),
				secondary: true,
			};
		}
	}
}

/** Without Continue On Fail one failed submit ends the run: the other jobs are cancelled if queued. */
export async function abandonJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	jobs: TrackedJob[],
): Promise<ItemResult[]> {
	const options = { ...readOptions(ctx), download: false, cancelOpen: true };
	return await Promise.all(
		jobs.map(
			async (job) =>
				await toItemResult(ctx, client, job, { kind: 'open', waitedMs: 0 }, options, {}),
		),
	);
}

/** Waits for all jobs together and returns one result per job, in the order given. */
export async function completeJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	jobs: TrackedJob[],
	options: CompletionOptions,
	extraJson: (itemIndex: number) => IDataObject = () => ({}),
): Promise<ItemResult[]> {
	const outcomes = await waitForJobs(ctx, client, jobs, {
		pollIntervalMs: options.pollIntervalMs,
		timeoutMs: options.timeoutMs,
		stopOnFailure: !ctx.continueOnFail(),
	});
	return await mapWithConcurrency(
		jobs,
		options.maxConcurrency,
		async (job) =>
			await toItemResult(
				ctx,
				client,
				job,
				outcomes.get(job.requestId)!,
				options,
				extraJson(job.itemIndex),
			),
	);
}
