import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { JobAnswer, RunComfyClient } from '../transport';
import { RunComfyError, toRunComfyError } from '../transport';
import type { ItemResult } from './items';
import { FIELDS } from './input';
import { failure } from './items';
import { mapWithConcurrency } from './pool';

/**
 * Submitting paid jobs. n8n's Retry On Fail re-runs the whole node with the same items, so jobs
 * created by an earlier try in the same execution are remembered here and reused, never paid for
 * twice. Entries are small and expire after a day.
 */
type Remembered = Map<number, { requestId: string; fingerprint: string }>;
const createdJobs = new Map<string, { at: number; requestIds: Remembered }>();
const REMEMBER_MS = 24 * 60 * 60 * 1000;

function runKey(ctx: IExecuteFunctions): string | undefined {
	const executionId = ctx.getExecutionId();
	if (!executionId) return undefined;
	return `${executionId}|${ctx.getNode().name}|${ctx.getWorkflowDataProxy(0).$runIndex}`;
}

function rememberedJobs(ctx: IExecuteFunctions): Remembered {
	const now = Date.now();
	for (const [key, entry] of createdJobs) {
		if (now - entry.at > REMEMBER_MS) createdJobs.delete(key);
	}
	const key = runKey(ctx);
	if (!key) return new Map();
	let entry = createdJobs.get(key);
	if (!entry) {
		entry = { at: now, requestIds: new Map() };
		createdJobs.set(key, entry);
	}
	return entry.requestIds;
}

/** The same item with the same inputs; the seed is left out because -1 draws a new one per try. */
function fingerprint(input: IDataObject): string {
	const rest = { ...input };
	delete rest[FIELDS.seed.apiName];
	return JSON.stringify(rest);
}

/**
 * After the run. n8n retries a node only when it throws, so after a run that does not throw the
 * jobs are forgotten; otherwise only jobs that ended badly are, so a retry submits those afresh.
 */
export function settleRememberedJobs(ctx: IExecuteFunctions, results: ItemResult[]) {
	const key = runKey(ctx);
	const willThrow = !ctx.continueOnFail() && results.some((result) => result.error);
	if (!willThrow) {
		if (key) createdJobs.delete(key);
		return;
	}
	const remembered = rememberedJobs(ctx);
	for (const result of results) {
		const ended = ['failed', 'cancelled', 'canceled'].includes(result.status ?? '');
		if (result.error && (ended || !result.requestId)) remembered.delete(result.itemIndex);
	}
}

export interface Submitted {
	itemIndex: number;
	requestId: string;
	answer: JobAnswer;
	submittedAt: number;
	reused: boolean;
}

/**
 * Submits each item's input, at most `limit` at once. Without Continue On Fail, the first failed
 * submit stops further submits (nothing more is paid for). `created` collects every request id
 * as soon as it exists, for cancelling on stop.
 */
export async function submitJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	inputs: Array<{ itemIndex: number; input: IDataObject }>,
	limit: number,
	created: Set<string>,
): Promise<{ submitted: Submitted[]; failed: ItemResult[] }> {
	const remembered = rememberedJobs(ctx);
	const submitted: Submitted[] = [];
	const failed: ItemResult[] = [];
	const stopOnFailure = !ctx.continueOnFail();

	await mapWithConcurrency(inputs, limit, async ({ itemIndex, input }) => {
		if (stopOnFailure && failed.length > 0) return;
		const earlier =
			remembered.get(itemIndex)?.fingerprint === fingerprint(input)
				? remembered.get(itemIndex)!.requestId
				: undefined;
		if (earlier) {
			ctx.logger.info(
				`RunComfy job ${earlier} (item ${itemIndex}): reused from an earlier try of this node`,
			);
			created.add(earlier);
			submitted.push({
				itemIndex,
				requestId: earlier,
				answer: {},
				submittedAt: Date.now(),
				reused: true,
			});
			return;
		}
		try {
			const answer = await client.submit(input);
			const requestId = answer.request_id;
			if (!requestId) {
				throw new RunComfyError(
					'unexpected',
					`RunComfy accepted the job but sent no request_id: ${JSON.stringify(answer)}`,
				);
			}
			remembered.set(itemIndex, { requestId, fingerprint: fingerprint(input) });
			created.add(requestId);
			ctx.logger.info(`RunComfy job ${requestId} (item ${itemIndex}): submitted`);
			submitted.push({ itemIndex, requestId, answer, submittedAt: Date.now(), reused: false });
		} catch (caught) {
			const error = toRunComfyError(caught);
			// Only a clear refusal (4xx with a reason, 429, refused connection) proves no job exists.
			const mayExist =
				!error.submitNotTaken && ['network', 'server', 'unexpected'].includes(error.kind);
			failed.push(
				failure(ctx, itemIndex, error, {
					extra: mayExist
						? 'The request may have reached RunComfy, so a job may have been created for this item: check your RunComfy dashboard before running it again. It was not resubmitted to avoid paying twice.'
						: undefined,
				}),
			);
		}
	});
	submitted.sort((a, b) => a.itemIndex - b.itemIndex);
	return { submitted, failed };
}
