import type { IExecuteFunctions } from 'n8n-workflow';

import { sleep } from '../sleep';
import { mediaOf } from '../output/media';

import {
	backoffDelay,
	cancelled,
	type Reply,
	type RunComfyClient,
	type RunComfyError,
} from '../transport';
import { budgetOf, POLLING_MODE } from '../transport/budget';
import type { HostBudget } from '../transport/hostBudget';
import { BatchTimes, endedAt, type PlannedJob, planLooks, recordLook } from './lookPlan';
import {
	FAILED_STATUSES,
	type JobOutcome,
	PENDING_STATUSES,
	SUCCESS_STATUSES,
	type TrackedJob,
	type WaitOptions,
} from './waitTypes';

export { FAILED_STATUSES, SUCCESS_STATUSES } from './waitTypes';
export type { JobOutcome, TrackedJob, WaitOptions } from './waitTypes';

/**
 * The one place that waits: every open job is waited for together, each looked at near its
 * expected end (lookPlan.ts), never more than one request in flight per job, all within the run's
 * request budget; so N jobs take about as long as the longest one, at about two requests each.
 */

/** Passing failures tolerated in a row before a job is given up on. */
export const MAX_CONSECUTIVE_FAILURES = 10;
/** An undocumented status is polled a few more times, then reported: never looped on forever. */
const MAX_UNKNOWN_STATUS_POLLS = 3;
const MAX_PARALLEL_POLLS = 20;
/** The loop never sleeps longer than this, even with nothing due (a look in flight wakes it sooner). */
const MAX_NAP_MS = 60_000;
/** After a failed status check the next waits 1.5 times longer, from one poll interval. */
const FAILURE_BACKOFF_FACTOR = 1.5;
/** While queued, polls slow down gently up to this multiple of the poll interval. */
const QUEUED_BACKOFF = { factor: 1.25, maxMultiple: 2 };

interface JobState extends TrackedJob, PlannedJob {
	failures: number;
	unknownPolls: number;
	/** The fixed-interval poller's interval (it slows while queued); the poll interval otherwise. */
	interval: number;
}

/**
 * Polls the result call (it answers the status while running and everything once done, so one
 * request per look) until each job ends, fails or times out.
 */
export async function waitForJobs(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	jobs: TrackedJob[],
	options: WaitOptions,
): Promise<Map<string, JobOutcome>> {
	return await new Waiter(ctx, client, jobs, options).run();
}

class Waiter {
	private readonly outcomes = new Map<string, JobOutcome>();
	private readonly open = new Map<string, JobState>();
	private readonly times = new BatchTimes();
	private readonly budget: HostBudget;
	private readonly flying = new Set<Promise<void>>();
	private waker?: AbortController;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: RunComfyClient,
		jobs: TrackedJob[],
		private readonly options: WaitOptions,
	) {
		// The budget the looks draw from: the one of the host they go to.
		this.budget = budgetOf(ctx, client.printableBaseUrl);
		for (const job of jobs) {
			this.open.set(job.requestId, {
				...job,
				// A job just submitted cannot be done yet; a resumed one may be.
				notBefore: job.justSubmitted ? job.startedAt + options.pollIntervalMs : Date.now(),
				interval: options.pollIntervalMs,
				failures: 0,
				unknownPolls: 0,
			});
		}
	}

	async run(): Promise<Map<string, JobOutcome>> {
		try {
			while (this.open.size > 0 && !this.mustStop()) {
				const wakeAt = this.launchDue(Date.now());
				if (this.open.size === 0 || this.mustStop()) break;
				await this.nap(wakeAt - Date.now());
			}
		} finally {
			await Promise.all(this.flying);
		}
		if (this.mustStop()) this.leaveOpen();
		return this.outcomes;
	}

	/** Sends the looks that are due, most likely ended first, as far as the budget allows; says when to wake. */
	private launchDue(now: number): number {
		const tokens = this.budget.available(now);
		const { ready, wakeAt } = planLooks(this.open.values(), this.times, {
			...this.options,
			perSecond: this.budget.perSecond,
			legacy: POLLING_MODE.legacy,
			tokens,
			now,
		});
		const room = Math.max(Math.min(tokens, MAX_PARALLEL_POLLS - this.flying.size), 0);
		for (const job of ready.slice(0, room)) this.launch(job);
		// Short of tokens: wake when the next one comes (a look coming back wakes it anyway).
		if (ready.length > room && tokens <= room) {
			return Math.min(wakeAt, now + Math.max(this.budget.msUntil(1, now), 1));
		}
		return wakeAt;
	}

	private launch(job: JobState): void {
		job.inFlight = true;
		const flight: Promise<void> = this.poll(job).finally(() => {
			job.inFlight = false;
			this.flying.delete(flight);
			if (job.finalPoll && this.open.has(job.requestId)) {
				this.settle(job, { kind: 'timedOut', status: job.status, waitedMs: this.waited(job) });
			}
			this.waker?.abort();
		});
		this.flying.add(flight);
	}

	/** Sleeps until `ms` passed or a look came back; wakes at once when the execution is stopped. */
	private async nap(ms: number): Promise<void> {
		const stop = this.ctx.getExecutionCancelSignal?.();
		if (stop?.aborted) throw cancelled();
		const waker = new AbortController();
		this.waker = waker;
		const onStop = () => waker.abort();
		stop?.addEventListener('abort', onStop);
		await sleep(Math.min(Math.max(ms, 0), MAX_NAP_MS), waker.signal).catch(() => undefined);
		stop?.removeEventListener('abort', onStop);
		this.waker = undefined;
		if (stop?.aborted) throw cancelled();
	}

	private mustStop(): boolean {
		return (
			this.options.stopOnFailure &&
			[...this.outcomes.values()].some((outcome) => outcome.kind !== 'done')
		);
	}

	private leaveOpen(): void {
		for (const job of this.open.values()) {
			this.outcomes.set(job.requestId, {
				kind: 'open',
				status: job.status,
				waitedMs: this.waited(job),
			});
		}
	}

	private async poll(job: JobState): Promise<void> {
		let reply: Reply;
		try {
			reply = await this.client.result(job.requestId, false);
		} catch (caught) {
			this.onFailure(job, this.client.toError(caught));
			return;
		}
		this.onAnswer(job, reply);
	}

	private onFailure(job: JobState, error: RunComfyError): void {
		if (!error.isTransient || job.failures + 1 >= MAX_CONSECUTIVE_FAILURES) {
			this.settle(job, {
				kind: 'pollError',
				error,
				status: job.status,
				waitedMs: this.waited(job),
			});
			return;
		}
		job.failures++;
		const { pollIntervalMs } = this.options;
		const delay = backoffDelay(
			job.failures,
			error.details.retryAfterMs,
			pollIntervalMs,
			FAILURE_BACKOFF_FACTOR,
		);
		job.notBefore = Date.now() + Math.max(delay, job.interval);
		this.log(
			job,
			`status check failed (${error.message}); next try in ${Math.round(delay / 1000)} s`,
		);
	}

	private onAnswer(job: JobState, { answer, retryAfterMs }: Reply): void {
		job.failures = 0;
		const now = Date.now();
		const status = String(answer.status ?? '').toLowerCase();
		if (status !== job.status || answer.queue_position !== job.queuePosition) {
			const position =
				typeof answer.queue_position === 'number' ? ` at position ${answer.queue_position}` : '';
			// The files too: if the run is stopped now, n8n 2.x saves none of its output.
			const files = SUCCESS_STATUSES.has(status) ? mediaOf(answer.output).map((f) => f.url) : [];
			this.log(
				job,
				`${status || 'no status'}${position}${files.length ? `: ${files.join(' ')}` : ''}`,
			);
		}
		recordLook(job, this.times, status, answer.queue_position, now);
		const waitedMs = this.waited(job);
		// Only the status says a job succeeded; whether its output is usable is judged after.
		if (SUCCESS_STATUSES.has(status) || FAILED_STATUSES.has(status)) {
			this.times.recordEnd(job, endedAt(answer.finished_at, job.startedAt, now));
			const ok = SUCCESS_STATUSES.has(status);
			this.settle(
				job,
				ok ? { kind: 'done', answer, waitedMs } : { kind: 'failed', status, answer, waitedMs },
			);
		} else if (PENDING_STATUSES.has(status) || ++job.unknownPolls < MAX_UNKNOWN_STATUS_POLLS) {
			if (PENDING_STATUSES.has(status)) job.unknownPolls = 0;
			this.scheduleNext(job, status === 'in_queue', now, retryAfterMs);
		} else {
			this.settle(job, { kind: 'unknownStatus', status: status || 'missing', answer, waitedMs });
		}
	}

	/** Retry-After is honoured when the server sends it; the fixed-interval poller also slows while queued. */
	private scheduleNext(job: JobState, queued: boolean, now: number, retryAfterMs?: number): void {
		if (!POLLING_MODE.legacy) {
			job.notBefore = now + (retryAfterMs ?? 0);
			return;
		}
		const { pollIntervalMs } = this.options;
		job.interval = queued
			? Math.min(job.interval * QUEUED_BACKOFF.factor, pollIntervalMs * QUEUED_BACKOFF.maxMultiple)
			: pollIntervalMs;
		job.notBefore = now + Math.max(job.interval, retryAfterMs ?? 0);
	}

	private settle(job: JobState, outcome: JobOutcome): void {
		this.outcomes.set(job.requestId, outcome);
		this.open.delete(job.requestId);
	}

	private waited(job: JobState): number {
		return Date.now() - job.startedAt;
	}

	private log(job: JobState, text: string): void {
		this.ctx.logger.info(`RunComfy job ${job.requestId} (item ${job.itemIndex}): ${text}`);
	}
}
