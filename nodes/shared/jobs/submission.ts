import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { JobAnswer, JobTarget, RunComfyClient } from '../transport';
import { RunComfyError } from '../transport';
import type { CreatedJobs } from './createdJobs';
import { recordCreatedJob } from './executionJobs';
import { mapWithConcurrency } from '../pool';
import type { ItemResult } from '../results';
import { failure } from '../results';
import type { RetryMemory } from './retryMemory';
import { fingerprint } from './retryMemory';

/** Submitting paid jobs: each item at most once per execution, whatever n8n's settings. */

const NOT_SUBMITTED =
	'Not submitted: RunComfy reported the balance spent while this run was submitting. Top up, then run the items that failed again.';

const MAY_EXIST =
	'The request may have reached RunComfy, so a job may have been created for this item: check your RunComfy dashboard before running it again. It was not resubmitted to avoid paying twice.';

export interface Submitted {
	itemIndex: number;
	requestId: string;
	answer: JobAnswer;
	/** The input the job runs with (for a reused job: with the values it was submitted with). */
	input: IDataObject;
	submittedAt: number;
	reused: boolean;
}

export interface SubmitPlan {
	target: JobTarget;
	/** Query parameters of the submit (a deployment's callback URL). */
	query?: IDataObject;
	/** `query`: the item's own query parameters of the submit (its callback URL). */
	inputs: Array<{ itemIndex: number; input: IDataObject; query?: IDataObject }>;
	limit: number;
	/** Input keys whose value may differ between tries of the same item (a random seed). */
	volatileKeys: readonly string[];
}

/** What one submit run shares between its items. */
interface Run {
	ctx: IExecuteFunctions;
	client: RunComfyClient;
	plan: SubmitPlan;
	memory: RetryMemory;
	created: CreatedJobs;
	submitted: Submitted[];
	failed: ItemResult[];
	balanceSpent: boolean;
}

/**
 * Submits each item's input, at most `limit` at once. Without Continue On Fail, the first failed
 * submit stops further submits (nothing more is paid for); so does a Stop.
 */
export async function submitJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	plan: SubmitPlan,
	memory: RetryMemory,
	created: CreatedJobs,
): Promise<{ submitted: Submitted[]; failed: ItemResult[] }> {
	const run: Run = {
		ctx,
		client,
		plan,
		memory,
		created,
		submitted: [],
		failed: [],
		balanceSpent: false,
	};
	const stopOnFailure = !ctx.continueOnFail();
	await mapWithConcurrency(plan.inputs, plan.limit, async ({ itemIndex, input, query }) => {
		// What it runs on is part of what makes an item the same: a changed model is a new job.
		const print = `${targetKey(plan.target)}|${fingerprint(input, plan.volatileKeys)}`;
		// A job an earlier try created is always taken up (it costs nothing more), so none is lost.
		if (takeUpEarlier(run, itemIndex, input, print)) return;
		if ((stopOnFailure && run.failed.length > 0) || client.stopped) return;
		if (run.balanceSpent) {
			const spent = new RunComfyError('balance', NOT_SUBMITTED);
			run.failed.push(failure(ctx, itemIndex, spent, { extra: NOT_SUBMITTED }));
			return;
		}
		await submitOne(run, itemIndex, input, print, query);
	});
	run.submitted.sort((a, b) => a.itemIndex - b.itemIndex);
	return { submitted: run.submitted, failed: run.failed };
}

/** An item an earlier try of this node sent: its job reused, or refused when it may exist. */
function takeUpEarlier(run: Run, itemIndex: number, input: IDataObject, print: string): boolean {
	const earlier = run.memory.get(itemIndex);
	if (earlier?.fingerprint !== print) return false;
	if (!earlier.requestId) {
		const doubt = new RunComfyError(
			'unexpected',
			'An earlier try of this node sent this item and may have created a job',
		);
		const result = failure(run.ctx, itemIndex, doubt, { extra: MAY_EXIST });
		run.failed.push({ ...result, mayHaveJob: true });
		return true;
	}
	run.ctx.logger.info(
		`RunComfy job ${earlier.requestId} (item ${itemIndex}): reused from an earlier try of this node`,
	);
	if ('deployment' in run.plan.target)
		run.client.follow(earlier.requestId, run.plan.target.deployment);
	run.created.add(earlier.requestId);
	const ranWith = { ...input, ...earlier.volatile };
	run.submitted.push(job(itemIndex, earlier.requestId, {}, ranWith, true));
	return true;
}

async function submitOne(
	run: Run,
	itemIndex: number,
	input: IDataObject,
	print: string,
	query?: IDataObject,
) {
	const { ctx, client, plan, memory } = run;
	const volatile = pick(input, plan.volatileKeys);
	try {
		const answer = await client.submit(plan.target, input, query ?? plan.query);
		const requestId = typeof answer.request_id === 'string' ? answer.request_id : '';
		if (!requestId) {
			throw new RunComfyError(
				'badAnswer',
				`RunComfy accepted the job but sent no request_id: ${JSON.stringify(answer).slice(0, 300)}`,
			);
		}
		memory.remember(itemIndex, { requestId, fingerprint: print, volatile });
		run.created.add(requestId);
		recordCreatedJob(ctx, requestId);
		ctx.logger.info(`RunComfy job ${requestId} (item ${itemIndex}): submitted`);
		run.submitted.push(job(itemIndex, requestId, answer, input, false));
	} catch (caught) {
		const error = client.toError(caught);
		// Out of money: the items after this one are not sent, not even with Continue On Fail.
		if (error.kind === 'balance') run.balanceSpent = true;
		// Only a clear refusal (4xx with a reason, 429, refused connection) proves no job exists.
		const mayExist = error.submitMayHaveCreatedJob;
		if (mayExist) memory.remember(itemIndex, { fingerprint: print });
		const result = failure(ctx, itemIndex, error, { extra: mayExist ? MAY_EXIST : undefined });
		run.failed.push({ ...result, mayHaveJob: mayExist });
	}
}

function job(
	itemIndex: number,
	requestId: string,
	answer: JobAnswer,
	input: IDataObject,
	reused: boolean,
): Submitted {
	return { itemIndex, requestId, answer, input, submittedAt: Date.now(), reused };
}

/** A model's jobs and a deployment's never match, even under the same name. */
function targetKey(target: JobTarget): string {
	return 'model' in target ? target.model : `deployment:${target.deployment}`;
}

function pick(input: IDataObject, keys: readonly string[]): IDataObject {
	const picked: IDataObject = {};
	for (const key of keys) if (key in input) picked[key] = input[key];
	return picked;
}
