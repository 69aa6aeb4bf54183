import {
	BatchTimes,
	BLIND_INTERVALS,
	dueAt,
	endedAt,
	expectedEnd,
	type LookState,
	MAX_GAP_INTERVALS,
	type PlannedJob,
	planLooks,
	recordLook,
	scoutCount,
} from '../../nodes/shared/jobs/lookPlan';

const I = 5000;
const T0 = 1_000_000;

const job = (fields: Partial<LookState> = {}): PlannedJob => ({
	startedAt: T0,
	justSubmitted: true,
	notBefore: 0,
	...fields,
});

/** A batch that learned one run time of `runMs` (a job seen running, then ended). */
function learned(runMs: number): BatchTimes {
	const times = new BatchTimes();
	times.recordEnd(job({ runningSeenAt: T0, queuedSeenAt: T0 }), T0 + runMs);
	return times;
}

describe('a job is looked at near its expected end', () => {
	test('not before its expected end, when that is more than an interval away', () => {
		const times = learned(60_000);
		const running = job({ status: 'in_progress', runningSeenAt: T0 + 1000, lastLookAt: T0 + 1000 });
		// Never seen queued: counted from its submit, as the jobs that taught the run time were.
		expect(expectedEnd(running, times)).toBe(T0 + 60_000);
		expect(dueAt(running, times, { pollIntervalMs: I })).toBe(T0 + 60_000);
		// Seen queued, then running: started between the two looks.
		const bracketed = { ...running, queuedSeenAt: T0 };
		expect(expectedEnd(bracketed, times)).toBe(T0 + 500 + 60_000);
	});

	test('once its expected end has passed, every poll interval', () => {
		const times = learned(10_000);
		const late = job({ status: 'in_progress', runningSeenAt: T0, lastLookAt: T0 + 30_000 });
		expect(dueAt(late, times, { pollIntervalMs: I })).toBe(T0 + 30_000 + I);
	});

	test('property: never more often than the interval; never later than an interval after the expected end', () => {
		let seed = 7;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		for (let i = 0; i < 5000; i++) {
			const times = learned(1000 + random() * 600_000);
			const interval = 1000 + Math.floor(random() * 60_000);
			const runningSeenAt = T0 + random() * 100_000;
			const lastLookAt = runningSeenAt + random() * 700_000;
			const state = job({ status: 'in_progress', runningSeenAt, lastLookAt });
			const due = dueAt(state, times, { pollIntervalMs: interval });
			const end = expectedEnd(state, times)!;
			expect(due).toBeGreaterThanOrEqual(lastLookAt + interval);
			expect(due).toBeLessThanOrEqual(Math.max(end, lastLookAt) + interval);
			expect(due).toBeLessThanOrEqual(lastLookAt + MAX_GAP_INTERVALS * interval);
		}
	});

	test('Retry-After and backoff (notBefore) are never overridden', () => {
		const times = learned(1000);
		const state = job({ status: 'in_progress', lastLookAt: T0, notBefore: T0 + 120_000 });
		expect(dueAt(state, times, { pollIntervalMs: I })).toBe(T0 + 120_000);
	});

	test('a resumed job (not just submitted) is looked at at once; a new one one interval after its submit', () => {
		const times = new BatchTimes();
		expect(dueAt(job({ justSubmitted: false, notBefore: T0 }), times, { pollIntervalMs: I })).toBe(
			T0,
		);
		expect(dueAt(job(), times, { pollIntervalMs: I, scout: true })).toBe(T0 + I);
	});
});

describe('a budget with room for every job twice over', () => {
	test('every job is looked at every interval, as without a budget', () => {
		const times = learned(60_000);
		const jobs = [
			job({ status: 'in_progress', runningSeenAt: T0, lastLookAt: T0 }),
			job({ lastLookAt: T0 }),
		];
		const options = { pollIntervalMs: I, timeoutMs: 900_000, perSecond: 8, now: T0 + I };
		expect(planLooks(jobs, times, { ...options, tokens: 4 }).ready).toHaveLength(2);
		expect(planLooks(jobs, times, { ...options, tokens: 3 }).ready).toHaveLength(0);
	});
});

describe('before the batch knows anything', () => {
	test('scouts are looked at every interval, the others rarely', () => {
		const times = new BatchTimes();
		expect(times.known).toBe(false);
		expect(dueAt(job(), times, { pollIntervalMs: I, scout: true })).toBe(T0 + I);
		expect(dueAt(job(), times, { pollIntervalMs: I })).toBe(T0 + BLIND_INTERVALS * I);
	});

	test('a few scouts: a small share of what the budget allows per interval; all jobs without a budget', () => {
		expect(scoutCount(8, 5000)).toBe(8);
		expect(scoutCount(8, 1000)).toBe(4);
		expect(scoutCount(1, 1000)).toBe(2);
		expect(scoutCount(0, 1000)).toBe(Infinity);
	});

	test('the scouts are the front of the queue and the oldest jobs', () => {
		const jobs = [
			job({ startedAt: T0 + 3 }),
			job({ startedAt: T0 + 1, status: 'in_queue', queuePosition: 5 }),
			job({ startedAt: T0 + 2 }),
			job({ startedAt: T0, status: 'in_queue', queuePosition: 9 }),
		];
		const { ready } = planLooks(jobs, new BatchTimes(), {
			pollIntervalMs: I,
			timeoutMs: 900_000,
			perSecond: 1,
			now: T0 + I + 3,
		});
		expect(ready).toEqual([jobs[2], jobs[0]]);
	});
});

describe('queued jobs', () => {
	test('far back in the queue, of unknown pace: looked at less often the further back', () => {
		const times = new BatchTimes();
		const at = (queuePosition: number) =>
			dueAt(job({ status: 'in_queue', queuePosition, lastLookAt: T0 }), times, {
				pollIntervalMs: I,
			}) - T0;
		expect(at(0)).toBe(I);
		expect(at(8)).toBe(3 * I);
		expect(at(1000)).toBe(MAX_GAP_INTERVALS * I);
	});

	test('with the queue’s pace known: expected to start when the jobs ahead have, then run', () => {
		const times = learned(20_000);
		times.recordQueueMove({ position: 10, at: T0 }, { position: 6, at: T0 + 8000 });
		expect(times.drainMs).toBe(2000);
		const queued = job({ status: 'in_queue', queuePosition: 4, queuedSeenAt: T0, lastLookAt: T0 });
		expect(expectedEnd(queued, times)).toBe(T0 + 5 * 2000 + 20_000);
		expect(dueAt(queued, times, { pollIntervalMs: I })).toBe(T0 + 30_000);
	});

	test('recordLook learns the pace from the same job seen queued twice', () => {
		const times = new BatchTimes();
		const state = job();
		recordLook(state, times, 'in_queue', 30, T0);
		recordLook(state, times, 'in_queue', 20, T0 + 10_000);
		expect(times.drainMs).toBe(1000);
		recordLook(state, times, 'in_progress', undefined, T0 + 12_000);
		recordLook(state, times, 'in_progress', undefined, T0 + 14_000);
		expect(state).toMatchObject({
			queuedSeenAt: T0 + 10_000,
			runningSeenAt: T0 + 12_000,
			lastLookAt: T0 + 14_000,
		});
	});
});

describe('when the budget is short', () => {
	test('the jobs furthest past their expected end go first; a deadline’s last look before all', () => {
		const times = learned(10_000);
		const now = T0 + 100_000;
		const recent = job({
			startedAt: T0 + 85_000,
			lastLookAt: T0 + 90_000,
			status: 'in_progress',
			runningSeenAt: T0 + 90_000,
		});
		const old = job({
			startedAt: T0,
			lastLookAt: T0 + 50_000,
			status: 'in_progress',
			runningSeenAt: T0 + 1000,
		});
		const middle = job({
			startedAt: T0 + 40_000,
			lastLookAt: T0 + 60_000,
			status: 'in_progress',
			runningSeenAt: T0 + 41_000,
		});
		const atDeadline = job({
			startedAt: now - 900_000,
			lastLookAt: now - 1000,
			status: 'in_progress',
			runningSeenAt: now - 890_000,
		});
		const { ready } = planLooks([recent, middle, old, atDeadline], times, {
			pollIntervalMs: I,
			timeoutMs: 900_000,
			perSecond: 8,
			now,
		});
		expect(ready).toEqual([atDeadline, old, middle, recent]);
		expect(atDeadline.finalPoll).toBe(true);
	});

	test('jobs with a look in flight are left alone; the loop wakes at the next due look or deadline', () => {
		const times = learned(10_000);
		const flying = { ...job({ lastLookAt: T0 }), inFlight: true };
		const later = job({ status: 'in_progress', runningSeenAt: T0, lastLookAt: T0 });
		const { ready, wakeAt } = planLooks([flying, later], times, {
			pollIntervalMs: I,
			timeoutMs: 900_000,
			perSecond: 8,
			now: T0 + 1000,
		});
		expect(ready).toEqual([]);
		expect(wakeAt).toBe(T0 + 10_000);
	});

	test('legacy (the benchmark’s fixed-interval poller): each job when its notBefore comes', () => {
		const a = job({ notBefore: T0 + 10 });
		const b = job({ notBefore: T0 + 5000 });
		const { ready, wakeAt } = planLooks([a, b], new BatchTimes(), {
			pollIntervalMs: I,
			timeoutMs: 900_000,
			perSecond: 0,
			legacy: true,
			now: T0 + 100,
		});
		expect(ready).toEqual([a]);
		expect(wakeAt).toBe(T0 + 5000);
	});
});

describe('what an ended job teaches', () => {
	test('the median run time, preferring jobs seen running over upper bounds', () => {
		const times = new BatchTimes();
		times.recordEnd(job(), T0 + 90_000); // never seen running: an upper bound
		expect(times.runMs).toBe(90_000);
		for (const runMs of [10_000, 30_000, 20_000]) {
			times.recordEnd(job({ queuedSeenAt: T0, runningSeenAt: T0 }), T0 + runMs);
		}
		expect(times.runMs).toBe(20_000);
	});

	test('finished_at is used when plausible, else the time of the look', () => {
		const now = T0 + 60_000;
		expect(endedAt(new Date(T0 + 30_000).toISOString(), T0, now)).toBe(T0 + 30_000);
		expect(endedAt(new Date(now + 5000).toISOString(), T0, now)).toBe(now);
		expect(endedAt(new Date(T0 - 5000).toISOString(), T0, now)).toBe(now);
		expect(endedAt('soon', T0, now)).toBe(now);
		expect(endedAt(undefined, T0, now)).toBe(now);
	});
});
