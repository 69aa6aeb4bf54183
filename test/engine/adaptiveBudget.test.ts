import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_REQUESTS_PER_SECOND } from '../../nodes/shared/transport/budget';
import { BURST_SECONDS } from '../../nodes/shared/transport/tokenBucket';
import { setUpEmulator } from '../harness/context';
import { recordLogs } from '../harness/logs';
import { apiRequests, jobsPerPrompt, overCeiling, retryAfterCutShort } from '../harness/requestLog';

/**
 * The pace learned from 429s, through n8n's WorkflowExecute against the emulator. Nothing here is
 * timed: the pace is read from what the node logs when it changes, Retry-After from the order of
 * the emulator's log (a request sent again after a 429 cannot arrive before the 429 plus its
 * Retry-After), the ceiling from windows that begin when the run began.
 */
const t = setUpEmulator({ queueMs: 0, durationMs: 500 });

const items = (n: number, prefix = 'scene') =>
	Array.from({ length: n }, (_, index) => ({ p: `${prefix} ${index}` }));
const generate = (options: IDataObject = {}) =>
	t.generate({ prompt: '={{ $json.p }}', options: { pollInterval: 1, ...options } });
const tooMany = { error_code: 429001, error_message: 'Too many requests' };
const paceLines = (logs: string[]) => logs.filter((line) => line.includes('RunComfy requests to'));
const completed = (result: { items: Array<{ json: IDataObject }> }) =>
	result.items.filter((item) => item.json.status === 'completed').length;

describe('the pace learned from 429s', () => {
	test('drops after 429s and recovers after clean answers, under the ceiling', async () => {
		// The first two submits are refused; the jobs run 16 s, so clean answers come for long
		// enough to bring the pace back (it rises with time while answers are clean).
		t.emulator.addFault({
			route: 'submit',
			status: 429,
			headers: { 'Retry-After': '1' },
			body: tooMany,
			times: 2,
		});
		t.emulator.onSubmit = () => ({ queueMs: 0, durationMs: 16_000 });
		const startedAt = Date.now();
		let result!: Awaited<ReturnType<typeof t.run>>;
		const logs = await recordLogs(async () => {
			result = await t.run(generate({ maxRequestsPerSecond: 4 }), { items: items(10) });
		});
		expect(result.error).toBeUndefined();
		expect(completed(result)).toBe(10);
		const paces = paceLines(logs);
		// Both 429s came to submits sent together: the pace reacted to the first only.
		expect(paces.filter((line) => line.includes('answered 429'))).toHaveLength(1);
		expect(paces[0]).toMatch(/answered 429: .* then 3\.40 requests per second/);
		expect(paces[1]).toMatch(/back at 4\.00 requests per second after clean answers/);
		expect(retryAfterCutShort(t.emulator, 1000)).toEqual([]);
		expect(overCeiling(t.emulator, startedAt, 4, BURST_SECONDS)).toEqual([]);
		expect([...jobsPerPrompt(t.emulator).values()]).toEqual(Array(10).fill(1));
	});

	test('against a real limit far below the ceiling: no Retry-After cut short, one job per item', async () => {
		t.emulator.setBusy({
			ratePerSecond: 3,
			burst: 3,
			retryAfterSeconds: 2,
			slots: 20,
			runTime: { medianMs: 1500, sigma: 0.3, seed: 11 },
		});
		const startedAt = Date.now();
		let result!: Awaited<ReturnType<typeof t.run>>;
		const logs = await recordLogs(async () => {
			result = await t.run(generate(), { items: items(20) });
		});
		expect(result.error).toBeUndefined();
		expect(completed(result)).toBe(20);
		const refused = apiRequests(t.emulator).filter((request) => request.status === 429);
		expect(refused.length).toBeGreaterThan(0);
		// The pace went down, below the real limit's neighbourhood, from the ceiling of 20.
		const lowered = paceLines(logs)
			.map((line) => /then ([\d.]+) requests per second/.exec(line)?.[1])
			.filter((rate): rate is string => rate !== undefined)
			.map(Number);
		expect(Math.min(...lowered)).toBeLessThan(DEFAULT_REQUESTS_PER_SECOND / 2);
		expect(retryAfterCutShort(t.emulator, 2000)).toEqual([]);
		expect(overCeiling(t.emulator, startedAt, 20, BURST_SECONDS)).toEqual([]);
		expect([...jobsPerPrompt(t.emulator).values()]).toEqual(Array(20).fill(1));
	});

	test('two node runs sharing a limit far below their ceilings both finish, each job once, through the 429s', async () => {
		t.emulator.setBusy({
			ratePerSecond: 4,
			burst: 4,
			retryAfterSeconds: 1,
			slots: 40,
			runTime: { medianMs: 2000, sigma: 0.3, seed: 5 },
		});
		const [a, b] = await Promise.all([
			t.run(generate(), { items: items(12, 'a') }),
			t.run(generate(), { items: items(12, 'b') }),
		]);
		for (const result of [a, b]) {
			expect(result.error).toBeUndefined();
			expect(completed(result)).toBe(12);
		}
		expect(t.emulator.jobs.size).toBe(24);
		expect([...jobsPerPrompt(t.emulator).values()]).toEqual(Array(24).fill(1));
		expect(retryAfterCutShort(t.emulator, 1000)).toEqual([]);
	});
});
