import { BURST_SECONDS } from '../../nodes/shared/transport/tokenBucket';
import { setUpEmulator } from '../harness/context';
import { apiRequests, overCeiling } from '../harness/requestLog';
import { until } from '../harness/wait';

/**
 * The request budget and the look schedule, through n8n's WorkflowExecute against the emulator.
 * Every bound here is one a slow machine can only pass more easily: the budget is checked on
 * windows that begin when the run began (a request arrives after the node took its token, so a
 * delay only adds slack), and looks are counted, never timed.
 */
const t = setUpEmulator({ queueMs: 0, durationMs: 500 });

const items = (n: number) => Array.from({ length: n }, (_, index) => ({ p: `scene ${index}` }));
const api = () => apiRequests(t.emulator);
const looksPerJob = () =>
	[...t.emulator.jobs.keys()].map((id) => t.emulator.count('result', id)).sort((a, b) => a - b);

const overBudget = (startedAt: number, perSecond: number) =>
	overCeiling(t.emulator, startedAt, perSecond, BURST_SECONDS);

describe('the request budget', () => {
	test('submits and looks of a batch bigger than the burst stay within the budget', async () => {
		const perSecond = 4; // a burst of 48: 40 submits and their looks need more
		t.emulator.onSubmit = (_body, index) => ({ queueMs: 0, durationMs: 1000 + (index % 5) * 200 });
		const startedAt = Date.now();
		const result = await t.run(
			t.generate({
				prompt: '={{ $json.p }}',
				options: { pollInterval: 1, maxRequestsPerSecond: perSecond, maxConcurrency: 10 },
			}),
			{ items: items(40) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.filter((item) => item.json.status === 'completed')).toHaveLength(40);
		expect(api().length).toBeGreaterThan(perSecond * BURST_SECONDS);
		expect(overBudget(startedAt, perSecond)).toEqual([]);
	});

	test('a busy service that limits at 5 per second sees no 429 from a budget of 4', async () => {
		t.emulator.setBusy({
			ratePerSecond: 5,
			burst: 5 * BURST_SECONDS,
			slots: 4,
			runTime: { medianMs: 800, sigma: 0.3, seed: 7 },
		});
		const startedAt = Date.now();
		const result = await t.run(
			t.generate({
				prompt: '={{ $json.p }}',
				options: { pollInterval: 1, maxRequestsPerSecond: 4 },
			}),
			{ items: items(30) },
		);
		expect(result.error).toBeUndefined();
		expect(overBudget(startedAt, 4)).toEqual([]);
		expect(api().filter((request) => request.status === 429)).toEqual([]);
		expect(result.items.filter((item) => item.json.status === 'completed')).toHaveLength(30);
	});

	test('cancels after a Stop are sent at once even when the budget is spent', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 120_000 });
		// A budget of 1 per second (a burst of 12): the 13th submit waits for a token at the Stop.
		const result = await t.run(
			t.generate({
				prompt: '={{ $json.p }}',
				options: { maxRequestsPerSecond: 1, pollInterval: 60 },
			}),
			{
				items: items(20),
				onStarted: (cancel) =>
					void until(() => t.emulator.jobs.size === BURST_SECONDS).then(cancel),
			},
		);
		expect(result.run.status).toBe('canceled');
		expect(await until(() => t.emulator.count('cancel') === t.emulator.jobs.size)).toBe(true);
		expect([...t.emulator.jobs.values()].every((job) => job.status === 'cancelled')).toBe(true);
	});
});

describe('looks are spent where they pay', () => {
	test('once the batch knows its run times, a job is looked at about twice, not every interval', async () => {
		// 30 jobs of 3–3.6 s, polled every second: a fixed-interval poller looks 3–4 times at each.
		// A budget of 2/s (a burst of 24) is short for that: looks go where a job has likely ended.
		t.emulator.onSubmit = (_body, index) => ({ queueMs: 0, durationMs: 3000 + (index % 4) * 200 });
		const result = await t.run(
			t.generate({
				prompt: '={{ $json.p }}',
				options: { pollInterval: 1, maxRequestsPerSecond: 2, maxConcurrency: 10 },
			}),
			{ items: items(30) },
		);
		expect(result.error).toBeUndefined();
		const looks = looksPerJob();
		expect(looks[Math.floor(looks.length / 2)]).toBeLessThanOrEqual(2);
	});

	test('jobs far back in the queue are looked at rarely', async () => {
		t.emulator.setBusy({
			ratePerSecond: 1000,
			burst: 1000,
			slots: 1,
			runTime: { medianMs: 400, sigma: 0.1, seed: 3 },
		});
		// A budget of 2/s: short of a look per job per second, so the schedule decides.
		const result = await t.run(
			t.generate({
				prompt: '={{ $json.p }}',
				options: { pollInterval: 1, maxRequestsPerSecond: 2 },
			}),
			{ items: items(12) },
		);
		expect(result.error).toBeUndefined();
		// The last job waits ~5 s in the queue: looked at far fewer times than once a second.
		const jobs = [...t.emulator.jobs.values()];
		const last = jobs[jobs.length - 1];
		const waitedSeconds = (last.endsAt - last.createdAt) / 1000;
		expect(t.emulator.count('result', last.id)).toBeLessThan(waitedSeconds);
	});
});
