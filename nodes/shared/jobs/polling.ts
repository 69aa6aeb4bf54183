import type { IExecuteFunctions } from 'n8n-workflow';

import {
	backoffDelay,
	type JobAnswer,
	type Reply,
	type RunComfyClient,
	type RunComfyError,
} from '../transport';
import { mapWithConcurrency } from '../pool';

/**
 * The one place that waits: every open job is polled together, one request per job per
 * interval, so N jobs take about as long as the longest one.
 */

export const SUCCESS_STATUSES = new Set(['completed', 'succeeded']);
/** Ended without a result: the job is over. */
export const FAILED_STATUSES = new Set(['failed', 'cancelled', 'canceled']);
const PENDING_STATUSES = new Set(['in_queue', 'in_progress']);
/** Passing failures tolerated in a row before a job is given up on. */
export const MAX_CONSECUTIVE_FAILURES = 10;
/** An undocumented status is polled a few more times, then reported: never looped on forever. */
const MAX_UNKNOWN_STATUS_POLLS = 3;
const MAX_PARALLEL_POLLS = 20;
/** After a failed status check the next waits 1.5 times longer, from one poll interval. */
const FAILURE_BACKOFF_FACTOR = 1.5;
/** While queued, polls slow down gently up to this multiple of the poll interval. */
const QUEUED_BACKOFF = { factor: 1.25, maxMultiple: 2 };

export interface TrackedJob {
	itemIndex: number;
	requestId: string;
	/** When the wait for this job began (submit time for `generate`). */
	startedAt: number;
	/** Submitted by this run a moment ago: the first look waits one poll interval. */
	justSubmitted?: boolean;
}

export type JobOutcome =
	| { kind: 'done'; answer: JobAnswer; waitedMs: number }
	| { kind: 'failed'; status: string; answer: JobAnswer; waitedMs: number }
	| { kind: 'unknownStatus'; status: string; answer: JobAnswer; waitedMs: number }
	| { kind: 'timedOut'; status?: string; waitedMs: number }
	| { kind: 'pollError'; error: RunComfyError; status?: string; waitedMs: number }
	/** Left open because the wait was stopped early (another item failed). */
	| { kind: 'open'; status?: string; waitedMs: number };

export interface WaitOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	/** Stop waiting for the others as soon as one job ends badly. */
	stopOnFailure: boolean;
}

interface JobState extends TrackedJob {
	nextPollAt: number;
	interval: number;
	failures: number;
	unknownPolls: number;
	status?: string;
	queuePosition?: number;
	finalPoll?: boolean;
}

/**
 * Polls the result call (it answers the status while running and everything once done, so one
 * request per poll) until each job ends, fails or times out.
 */
export async function waitForJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	jobs: TrackedJob[],
	options: WaitOptions,
): Promise<Map<string, JobOutcome>> {
	const outcomes = new Map<string, JobOutcome>();
	const open = new Map<string, JobState>();
	for (const job of jobs) {
		open.set(job.requestId, {
			...job,
			// A job just submitted cannot be done yet; a resumed one may be.
			nextPollAt: job.justSubmitted ? job.startedAt + options.pollIntervalMs : Date.now(),
			interval: options.pollIntervalMs,
			failures: 0,
			unknownPolls: 0,
		});
	}

	const settle = (job: JobState, outcome: JobOutcome) => {
		outcomes.set(job.requestId, outcome);
		open.delete(job.requestId);
	};

	const log = (job: JobState, text: string) =>
		ctx.logger.info(`RunComfy job ${job.requestId} (item ${job.itemIndex}): ${text}`);

	const poll = async (job: JobState) => {
		let reply: Reply;
		try {
			reply = await client.result(job.requestId, false);
		} catch (caught) {
			const error = client.toError(caught);
			const now = Date.now();
			if (!error.isTransient || job.failures + 1 >= MAX_CONSECUTIVE_FAILURES) {
				settle(job, {
					kind: 'pollError',
					error,
					status: job.status,
					waitedMs: now - job.startedAt,
				});
				return;
			}
			job.failures++;
			const delay = backoffDelay(
				job.failures,
				error.details.retryAfterMs,
				options.pollIntervalMs,
				FAILURE_BACKOFF_FACTOR,
			);
			job.nextPollAt = now + Math.max(delay, job.interval);
			log(job, `status check failed (${error.message}); next try in ${Math.round(delay / 1000)} s`);
			return;
		}
		const { answer, retryAfterMs } = reply;
		const now = Date.now();
		const waitedMs = now - job.startedAt;
		job.failures = 0;
		const status = String(answer.status ?? '').toLowerCase();
		if (status !== job.status || answer.queue_position !== job.queuePosition) {
			const position =
				typeof answer.queue_position === 'number' ? ` at position ${answer.queue_position}` : '';
			log(job, `${status || 'no status'}${position}`);
		}
		job.status = status;
		job.queuePosition = answer.queue_position;

		// Only the status says a job succeeded; whether its output is usable is judged after.
		if (SUCCESS_STATUSES.has(status)) {
			settle(job, { kind: 'done', answer, waitedMs });
		} else if (FAILED_STATUSES.has(status)) {
			settle(job, { kind: 'failed', status, answer, waitedMs });
		} else if (PENDING_STATUSES.has(status) || ++job.unknownPolls < MAX_UNKNOWN_STATUS_POLLS) {
			if (PENDING_STATUSES.has(status)) job.unknownPolls = 0;
			const queued = status === 'in_queue';
			job.interval = queued
				? Math.min(
						job.interval * QUEUED_BACKOFF.factor,
						options.pollIntervalMs * QUEUED_BACKOFF.maxMultiple,
					)
				: options.pollIntervalMs;
			job.nextPollAt = now + Math.max(job.interval, retryAfterMs ?? 0);
		} else {
			settle(job, { kind: 'unknownStatus', status: status || 'missing', answer, waitedMs });
		}
	};

	while (open.size > 0) {
		const now = Date.now();
		for (const job of open.values()) {
			// At the deadline each job gets one last look, so a job that just finished is not lost.
			if (!job.finalPoll && now - job.startedAt >= options.timeoutMs) {
				job.finalPoll = true;
				job.nextPollAt = now;
			}
		}
		const due = [...open.values()].filter((job) => job.nextPollAt <= now);
		await mapWithConcurrency(due, MAX_PARALLEL_POLLS, poll);
		for (const job of due) {
			if (job.finalPoll && open.has(job.requestId)) {
				settle(job, { kind: 'timedOut', status: job.status, waitedMs: Date.now() - job.startedAt });
			}
		}

		if (
			options.stopOnFailure &&
			[...outcomes.values()].some((outcome) => outcome.kind !== 'done')
		) {
			for (const job of open.values()) {
				outcomes.set(job.requestId, {
					kind: 'open',
					status: job.status,
					waitedMs: Date.now() - job.startedAt,
				});
			}
			break;
		}
		if (open.size === 0) break;

		const wakeAt = Math.min(
			...[...open.values()].map((job) =>
				Math.min(job.nextPollAt, job.startedAt + options.timeoutMs),
			),
		);
		await client.pause(Math.max(wakeAt - Date.now(), 0));
	}
	return outcomes;
}
