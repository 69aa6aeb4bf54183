/**
 * When to look at a job again: the waiting loop's decisions, pure (no clock, no I/O), so they can
 * be tested one by one. The batch learns how long its jobs run from those that ended, and how fast
 * the queue moves from the positions it saw; each job is then looked at near its expected end
 * rather than every poll interval, and at most one poll interval apart once that end has passed.
 */

/** What the waiting loop knows of one open job. */
export interface LookState {
	startedAt: number;
	/** Submitted by this run a moment ago: the first look waits one poll interval. */
	justSubmitted?: boolean;
	status?: string;
	queuePosition?: number;
	/** The last look that got an answer. */
	lastLookAt?: number;
	/** The last look that found it queued, and at which position. */
	queuedSeenAt?: number;
	/** The first look that found it running. */
	runningSeenAt?: number;
	/** Not before this (Retry-After, backoff after a failed look). */
	notBefore: number;
}

/** Looks at a job whose end is not expected yet are at most this many poll intervals apart. */
export const MAX_GAP_INTERVALS = 12;
/** Before anything is known, jobs other than the scouts wait this many intervals between looks. */
export const BLIND_INTERVALS = 6;
/** A queued job of unknown pace waits one more interval per this many jobs ahead of it. */
const QUEUE_STEP = 4;
const DRAIN_WEIGHT = 0.3;

/** What the jobs of this batch taught so far: run times and the queue's pace. */
export class BatchTimes {
	/** Run times of jobs seen running before they ended (start known within a look). */
	private readonly exact: number[] = [];
	/** From submit (or the last queued look) to the end: upper bounds, used while no exact one exists. */
	private readonly bounds: number[] = [];
	/** Milliseconds per queue position, as the positions of this batch's jobs moved. */
	drainMs?: number;

	get known(): boolean {
		return this.exact.length + this.bounds.length > 0 || this.drainMs !== undefined;
	}

	/** A job ended at `endedAt` (the answer's finished_at when plausible, else the look). */
	recordEnd(job: LookState, endedAt: number): void {
		const list = job.runningSeenAt !== undefined ? this.exact : this.bounds;
		insertSorted(list, Math.max(endedAt - runStart(job), 0));
	}

	/** The same job seen queued twice: how long the queue took per position. */
	recordQueueMove(from: { position: number; at: number }, to: { position: number; at: number }) {
		const moved = from.position - to.position;
		if (moved <= 0 || to.at <= from.at) return;
		const sample = (to.at - from.at) / moved;
		this.drainMs =
			this.drainMs === undefined ? sample : this.drainMs + DRAIN_WEIGHT * (sample - this.drainMs);
	}

	/** The median run time learned so far. */
	get runMs(): number | undefined {
		const list = this.exact.length > 0 ? this.exact : this.bounds;
		return list.length > 0 ? list[Math.floor((list.length - 1) / 2)] : undefined;
	}
}

function insertSorted(list: number[], value: number): void {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (list[middle] < value) low = middle + 1;
		else high = middle;
	}
	list.splice(low, 0, value);
}

/**
 * When the job began to run, as well as the looks tell: between its last queued and its first
 * running look; a job never seen queued counts from its submit, the same for the jobs that teach
 * and the jobs predicted, so the convention cancels out.
 */
export function runStart(job: LookState): number {
	const queued = job.queuedSeenAt ?? job.startedAt;
	if (job.runningSeenAt === undefined || job.queuedSeenAt === undefined) return queued;
	return queued + (job.runningSeenAt - queued) / 2;
}

/** When the job is expected to end, or undefined while the batch has not taught enough. */
export function expectedEnd(job: LookState, times: BatchTimes): number | undefined {
	const runMs = times.runMs;
	if (job.status === 'in_queue') {
		if (job.queuePosition === undefined || times.drainMs === undefined) return undefined;
		const startsAt = (job.queuedSeenAt ?? job.startedAt) + (job.queuePosition + 1) * times.drainMs;
		return startsAt + (runMs ?? 0);
	}
	return runMs === undefined ? undefined : runStart(job) + runMs;
}

export interface PlanOptions {
	pollIntervalMs: number;
	/** One of the few jobs looked at every interval while the batch knows nothing yet. */
	scout?: boolean;
	/** The budget has room for every job twice over: every job every interval, as without a budget. */
	eager?: boolean;
}

/** When the job should next be looked at. */
export function dueAt(job: LookState, times: BatchTimes, options: PlanOptions): number {
	const interval = options.pollIntervalMs;
	const last = job.lastLookAt ?? (job.justSubmitted ? job.startedAt : undefined);
	if (last === undefined) return job.notBefore; // a resumed job: look at once
	const end = options.eager ? undefined : expectedEnd(job, times);
	let due: number;
	if (options.eager) {
		due = last + interval;
	} else if (end !== undefined) {
		// Near its expected end; once that has passed, every interval.
		due = Math.min(Math.max(end, last + interval), last + MAX_GAP_INTERVALS * interval);
	} else if (options.scout) {
		due = last + interval;
	} else if (job.status === 'in_queue') {
		const steps = 1 + (job.queuePosition ?? 0) / QUEUE_STEP;
		due = last + Math.min(steps, MAX_GAP_INTERVALS) * interval;
	} else {
		due = last + BLIND_INTERVALS * interval;
	}
	return Math.max(due, job.notBefore);
}

/** Which due job goes first when the budget is short: the one furthest past its expected end. */
export function urgency(job: LookState, times: BatchTimes, due: number, now: number): number {
	return now - (expectedEnd(job, times) ?? due);
}

/** How many scouts: enough to learn soon, a small share of what the budget allows per interval. */
export function scoutCount(perSecond: number, pollIntervalMs: number): number {
	if (!Number.isFinite(perSecond) || perSecond <= 0) return Infinity;
	return Math.min(Math.max(Math.floor((perSecond * pollIntervalMs) / 2000), 2), 8);
}

/** The jobs most advanced (front of the queue, then oldest): the scouts while nothing is known. */
export function pickScouts<T extends LookState>(jobs: Iterable<T>, count: number): Set<T> {
	const order = (job: LookState) =>
		job.status === 'in_queue'
			? (job.queuePosition ?? 0) * 1e15 + job.startedAt
			: job.startedAt - 1e15;
	if (count === Infinity) return new Set(jobs);
	return new Set([...jobs].sort((a, b) => order(a) - order(b)).slice(0, count));
}

/** A job as the loop holds it: whether a look is in flight, whether its deadline's last look is due. */
export interface PlannedJob extends LookState {
	inFlight?: boolean;
	finalPoll?: boolean;
}

export interface LoopOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	/** The run's budget (0 or Infinity: none). */
	perSecond: number;
	/** Today's fixed-interval poller, for the benchmark: each job when its `notBefore` comes. */
	legacy?: boolean;
	/** Requests the budget allows right now (Infinity: no budget). */
	tokens?: number;
	now: number;
}

/**
 * The jobs to look at now, most urgent first (a deadline's last look before all), and when the
 * next one is due. A job reaching its deadline is marked for its one last look.
 */
export function planLooks<T extends PlannedJob>(
	jobs: Iterable<T>,
	times: BatchTimes,
	options: LoopOptions,
): { ready: T[]; wakeAt: number } {
	const { now, pollIntervalMs } = options;
	const open = [...jobs];
	const eager = (options.tokens ?? 0) >= 2 * open.length;
	const scouts =
		options.legacy || times.known
			? new Set<T>()
			: pickScouts(open, scoutCount(options.perSecond, pollIntervalMs));
	let wakeAt = Infinity;
	const ready: Array<{ job: T; rank: number }> = [];
	for (const job of open) {
		if (job.inFlight) continue;
		const deadline = job.startedAt + options.timeoutMs;
		if (now >= deadline) job.finalPoll = true;
		const due = job.finalPoll
			? now
			: options.legacy
				? job.notBefore
				: dueAt(job, times, { pollIntervalMs, scout: scouts.has(job), eager });
		if (due > now) wakeAt = Math.min(wakeAt, due, deadline);
		else ready.push({ job, rank: job.finalPoll ? Infinity : urgency(job, times, due, now) });
	}
	ready.sort((a, b) => b.rank - a.rank);
	return { ready: ready.map((entry) => entry.job), wakeAt };
}

/** What a look found: when the job was queued or running, and how fast the queue moves. */
export function recordLook(
	job: LookState,
	times: BatchTimes,
	status: string,
	queuePosition: unknown,
	now: number,
): void {
	const position = typeof queuePosition === 'number' ? queuePosition : undefined;
	if (status === 'in_queue') {
		const before = job.queuePosition;
		if (position !== undefined && before !== undefined && job.queuedSeenAt !== undefined) {
			times.recordQueueMove({ position: before, at: job.queuedSeenAt }, { position, at: now });
		}
		job.queuedSeenAt = now;
	} else if (status === 'in_progress') {
		job.runningSeenAt ??= now;
	}
	job.status = status;
	job.queuePosition = position;
	job.lastLookAt = now;
}

/** When an ended job ended: the answer's finished_at if plausible (within the wait), else now. */
export function endedAt(finishedAt: unknown, startedAt: number, now: number): number {
	const finished = Date.parse(String(finishedAt ?? ''));
	return Number.isFinite(finished) && finished >= startedAt && finished <= now ? finished : now;
}
