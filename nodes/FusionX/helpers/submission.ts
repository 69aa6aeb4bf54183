import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { JobAnswer, RunComfyClient } from '../transport';
import { RunComfyError, toRunComfyError } from '../transport';
import type { ItemResult } from './items';
import { FIELDS } from './input';
import { failure } from './items';
import { FAILED_STATUSES } from './polling';
import { mapWithConcurrency } from './pool';

/**
 * Submitting paid jobs. n8n's Retry On Fail re-runs the whole node with the same items, so when
 * it is on, what an earlier try in the same execution submitted is remembered here: a job that
 * exists is reused, and an item whose submit may have reached RunComfy is not sent again. Only a
 * hash of each item's input is kept, and an entry is dropped once no retry can follow.
 */
interface RememberedJob {
	fingerprint: string;
	/** Absent when the submit failed after it may have reached RunComfy. */
	requestId?: string;
}
type Remembered = Map<number, RememberedJob>;
const createdJobs = new Map<string, { at: number; jobs: Remembered }>();
const REMEMBER_MS = 24 * 60 * 60 * 1000;

function runKey(ctx: IExecuteFunctions): string | undefined {
	const executionId = ctx.getExecutionId();
	if (!executionId || !ctx.getNode().retryOnFail) return undefined;
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
		entry = { at: now, jobs: new Map() };
		createdJobs.set(key, entry);
	}
	return entry.jobs;
}

/** cyrb53: a 53-bit string hash, so a remembered input costs a number, not the whole input. */
function hash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		h1 = Math.imul(h1 ^ code, 2654435761);
		h2 = Math.imul(h2 ^ code, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The same item with the same inputs; the seed is left out because -1 draws a new one per try. */
function fingerprint(input: IDataObject): string {
	const rest = { ...input };
	delete rest[FIELDS.seed.apiName];
	return hash(JSON.stringify(rest));
}

/**
 * After the run. n8n retries a node only when it throws, so after a run that does not throw
 * everything is forgotten; otherwise jobs that ended badly are, so a retry submits them afresh.
 */
export function settleRememberedJobs(ctx: IExecuteFunctions, results: ItemResult[]) {
	const key = runKey(ctx);
	if (!key) return;
	const willThrow = !ctx.continueOnFail() && results.some((result) => result.error);
	if (!willThrow) {
		createdJobs.delete(key);
		return;
	}
	const remembered = rememberedJobs(ctx);
	for (const result of results) {
		const ended = FAILED_STATUSES.has(result.status ?? '');
		if (result.error && ended) remembered.delete(result.itemIndex);
	}
}

const MAY_EXIST =
	'The request may have reached RunComfy, so a job may have been created for this item: check your RunComfy dashboard before running it again. It was not resubmitted to avoid paying twice.';

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
		const print = fingerprint(input);
		const earlier = remembered.get(itemIndex);
		if (earlier?.fingerprint === print && earlier.requestId) {
			ctx.logger.info(
				`RunComfy job ${earlier.requestId} (item ${itemIndex}): reused from an earlier try of this node`,
			);
			created.add(earlier.requestId);
			submitted.push({
				itemIndex,
				requestId: earlier.requestId,
				answer: {},
				submittedAt: Date.now(),
				reused: true,
			});
			return;
		}
		if (earlier?.fingerprint === print) {
			const doubt = new RunComfyError(
				'unexpected',
				'An earlier try of this node sent this item and may have created a job',
			);
			failed.push(failure(ctx, itemIndex, doubt, { extra: MAY_EXIST }));
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
			remembered.set(itemIndex, { requestId, fingerprint: print });
			created.add(requestId);
			ctx.logger.info(`RunComfy job ${requestId} (item ${itemIndex}): submitted`);
			submitted.push({ itemIndex, requestId, answer, submittedAt: Date.now(), reused: false });
		} catch (caught) {
			const error = toRunComfyError(caught);
			// Only a clear refusal (4xx with a reason, 429, refused connection) proves no job exists.
			const mayExist =
				!error.submitNotTaken && ['network', 'server', 'unexpected'].includes(error.kind);
			if (mayExist) remembered.set(itemIndex, { fingerprint: print });
			failed.push(failure(ctx, itemIndex, error, { extra: mayExist ? MAY_EXIST : undefined }));
		}
	});
	submitted.sort((a, b) => a.itemIndex - b.itemIndex);
	return { submitted, failed };
}
