import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MediaFile, MediaKind } from '../output/media';
import { downloadMedia } from '../output/media';
import { hasResult, jobErrorText, jobFiles, jobJson } from '../output/jobFiles';
import type { NodeOptions } from '../parameters';
import { mapWithConcurrency } from '../pool';
import type { ItemResult } from '../results';
import { failure } from '../results';
import type { JobAnswer, RunComfyClient } from '../transport';
import type { JobOutcome, TrackedJob } from './polling';
import { MAX_CONSECUTIVE_FAILURES, waitForJobs } from './polling';

/** Waiting for jobs and turning how each ended into an output item or an item error. */

export interface CompletionOptions extends NodeOptions {
	/** What happens to a job still queued when the run ends early. */
	openJobs: 'cancel' | 'leaveForRetry' | 'leave';
	/** The files that make a job a success (FusionX: a video; a catalog model: any file). */
	delivers: MediaKind | 'any';
}

/** The files of `answer` that count for `delivers`, and the word for them. */
export function deliveredFiles(answer: JobAnswer, delivers: CompletionOptions['delivers']) {
	const files = jobFiles(answer).filter((file) => delivers === 'any' || file.kind === delivers);
	return { files, noun: delivers === 'any' ? 'file' : delivers };
}

function describeWhere(files: MediaFile[]): string {
	return files.map((file) => file.url).join(', ');
}

const RESUME_HINT = 'Resume it with the Wait for Completion operation and this Request ID.';

/** A deployment's answer to a cancel: queued jobs end, a running one may run (and bill) on. */
export const CANCELLATION_REQUESTED =
	'RunComfy was asked to cancel it (cancellation_requested): a queued job ends there; one already running may keep running, and billing, until it ends.';

interface Context {
	ctx: IExecuteFunctions;
	client: RunComfyClient;
	job: TrackedJob;
	options: CompletionOptions;
}

function fail(c: Context, message: string, status?: string, description?: string): ItemResult {
	const { itemIndex, requestId } = c.job;
	const error = new NodeOperationError(c.ctx.getNode(), message, { itemIndex, description });
	return failure(c.ctx, itemIndex, error, { requestId, status });
}

async function tryCancel(c: Context): Promise<{ cancelled: boolean; text: string }> {
	try {
		const answer = await c.client.cancel(c.job.requestId);
		if (answer.status === 'cancellation_requested') {
			return { cancelled: false, text: `${CANCELLATION_REQUESTED} ${RESUME_HINT}` };
		}
		return answer.outcome === 'cancelled' || answer.status === 'cancelled'
			? { cancelled: true, text: 'It was still queued, so it was cancelled.' }
			: {
					cancelled: false,
					text: `It could not be cancelled (${answer.outcome ?? answer.status ?? 'no answer'}: a running job cannot be cancelled) and may still finish. ${RESUME_HINT}`,
				};
	} catch (error) {
		return {
			cancelled: false,
			text: `Cancelling it failed (${c.client.toError(error).message}); it may still be running. ${RESUME_HINT}`,
		};
	}
}

/** A finished job is a success only with a usable URL of the files it should deliver. */
async function completed(
	c: Context,
	answer: JobAnswer,
	waitedMs: number,
	extraJson: IDataObject,
): Promise<ItemResult> {
	const { itemIndex, requestId } = c.job;
	const { files, noun } = deliveredFiles(answer, c.options.delivers);
	if (!hasResult(answer, files)) {
		return fail(
			c,
			`The job finished but its output holds no ${noun} URL`,
			answer.status,
			`RunComfy reported "${answer.status}" with output ${JSON.stringify(answer.output ?? null).slice(0, 300)}.`,
		);
	}
	const primary = c.options.delivers === 'any' ? (files[0]?.kind ?? 'file') : c.options.delivers;
	const json = { ...jobJson(requestId, answer, primary, waitedMs), ...extraJson };
	if (!c.options.download || files.length === 0)
		return { itemIndex, requestId, status: answer.status, item: { json } };
	try {
		const binary = await downloadMedia(c.ctx, c.client, requestId, files, c.options);
		return { itemIndex, requestId, status: answer.status, item: { json, binary } };
	} catch (error) {
		return failure(c.ctx, itemIndex, c.client.toError(error), {
			requestId,
			status: answer.status,
			extra: `The job succeeded; its ${noun}${files.length > 1 ? 's are' : ' is'} at ${describeWhere(files)}.`,
		});
	}
}

async function timedOut(c: Context, status: string | undefined): Promise<ItemResult> {
	const seconds = Math.round(c.options.timeoutMs / 1000);
	const after = c.options.cancelOnTimeout
		? await tryCancel(c)
		: { cancelled: false, text: `It may still be running at RunComfy. ${RESUME_HINT}` };
	return fail(
		c,
		`The job did not finish within the timeout of ${seconds} s (last status: ${status ?? 'unknown'})`,
		after.cancelled ? 'cancelled' : status,
		after.text,
	);
}

/** A job left open because another item failed: cancelled if queued, unless a retry reuses it. */
async function leftOpen(c: Context, status: string | undefined): Promise<ItemResult> {
	const after =
		c.options.openJobs === 'cancel'
			? await tryCancel(c)
			: c.options.openJobs === 'leaveForRetry'
				? {
						cancelled: false,
						text: 'It was left running: the next try of this node (Retry On Fail) reuses it.',
					}
				: { cancelled: false, text: `It is still at RunComfy. ${RESUME_HINT}` };
	const result = fail(
		c,
		'Stopped because another item failed',
		after.cancelled ? 'cancelled' : status,
		after.text,
	);
	return { ...result, secondary: true };
}

async function toItemResult(
	c: Context,
	outcome: JobOutcome,
	extraJson: IDataObject,
): Promise<ItemResult> {
	switch (outcome.kind) {
		case 'done':
			return await completed(c, outcome.answer, outcome.waitedMs, extraJson);
		case 'failed':
			return fail(
				c,
				outcome.status === 'failed'
					? `The RunComfy job failed: ${jobErrorText(outcome.answer)}`
					: 'The RunComfy job was cancelled',
				outcome.status,
			);
		case 'unknownStatus':
			return fail(
				c,
				`RunComfy reported an unknown status "${outcome.status}" for this job`,
				outcome.status,
				`The node stopped waiting rather than loop on it. ${RESUME_HINT}`,
			);
		case 'timedOut':
			return await timedOut(c, outcome.status);
		case 'pollError':
			return failure(c.ctx, c.job.itemIndex, outcome.error, {
				requestId: c.job.requestId,
				status: outcome.status,
				extra: outcome.error.isTransient
					? `Gave up after ${MAX_CONSECUTIVE_FAILURES} failed status checks in a row. ${RESUME_HINT}`
					: undefined,
			});
		case 'open':
			return await leftOpen(c, outcome.status);
	}
}

/** Without Continue On Fail one failed submit ends the run: the other jobs are left open. */
export async function abandonJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	jobs: TrackedJob[],
	options: CompletionOptions,
): Promise<ItemResult[]> {
	const open: JobOutcome = { kind: 'open', waitedMs: 0 };
	return await Promise.all(
		jobs.map(async (job) => await toItemResult({ ctx, client, job, options }, open, {})),
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
	// Downloads one job at a time: n8n's database and in-memory binary modes hold each file whole.
	const limit = options.download ? 1 : options.maxConcurrency;
	return await mapWithConcurrency(jobs, limit, async (job) => {
		const outcome = outcomes.get(job.requestId)!;
		return await toItemResult({ ctx, client, job, options }, outcome, extraJson(job.itemIndex));
	});
}
