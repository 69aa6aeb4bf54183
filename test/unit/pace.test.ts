import { AdaptivePace, PACE } from '../../nodes/shared/transport/pace';
import { simulate } from '../harness/simulatedHost';

const T0 = 1_000_000;

/** Sends one request now and has it answered `status` a moment later. */
function exchange(pace: AdaptivePace, now: number, status: number, retryAfterMs?: number) {
	const epoch = pace.epoch;
	pace.spend(now);
	if (status === 429) return pace.tooMany(epoch, retryAfterMs, now + 1);
	return pace.answeredClean(now + 1);
}

describe('AdaptivePace', () => {
	test('opens small and grows by one with every clean answer until the first 429', () => {
		const pace = new AdaptivePace(20, 240, T0);
		expect(pace.available(T0)).toBe(PACE.openingTokens);
		for (let i = 0; i < PACE.openingTokens; i++) pace.spend(T0);
		expect(pace.available(T0)).toBe(0);
		for (let i = 0; i < 30; i++) pace.answeredClean(T0);
		expect(pace.available(T0)).toBe(30);
		expect(pace.rate).toBe(20);
	});

	test('a 429 lowers the pace once and holds everything back for its Retry-After', () => {
		const pace = new AdaptivePace(20, 240, T0);
		const epoch = pace.epoch;
		for (let i = 0; i < 5; i++) pace.spend(T0);
		expect(pace.tooMany(epoch, 2000, T0 + 10)).toBe(true);
		expect(pace.rate).toBeCloseTo(20 * PACE.decrease);
		// The other four were on their way already: their 429s change the pace no more.
		for (let i = 0; i < 4; i++) expect(pace.tooMany(epoch, 2000, T0 + 11)).toBe(false);
		expect(pace.rate).toBeCloseTo(20 * PACE.decrease);
		expect(pace.available(T0 + 2010)).toBe(0);
		expect(pace.msUntil(1, T0 + 10)).toBeGreaterThanOrEqual(2001);
		expect(pace.available(T0 + 2011)).toBe(1);
	});

	test('a 429 soon after the last one lowers it steeply; never below the floor', () => {
		const pace = new AdaptivePace(20, 240, T0);
		exchange(pace, T0, 429, 1000);
		const first = pace.rate;
		exchange(pace, T0 + 1100, 429, 1000);
		expect(pace.rate).toBeLessThanOrEqual(first * PACE.steepDecrease);
		for (let i = 0; i < 20; i++) exchange(pace, T0 + 3000 * (i + 1), 429, 1000);
		expect(pace.rate).toBe(PACE.minPerSecond);
	});

	test('recovers after clean answers to the rate that met the 429, then rises beyond it to the ceiling, never past it', () => {
		const pace = new AdaptivePace(10, 120, T0);
		let now = T0;
		exchange(pace, now, 429, 1000);
		for (now += 1001; pace.rate < 9; now += 50) exchange(pace, now, 200);
		// Met again at 9 per second, after clean answers at 20 per second: the limit met is 9.
		exchange(pace, now, 429, 1000);
		expect(pace.limit).toBeCloseTo(9);
		expect(pace.rate).toBeCloseTo(9 * PACE.decrease);
		let back: number | undefined;
		const from = now;
		for (now += 1001; pace.rate < 10 && now < from + 300_000; now += 100) {
			if (exchange(pace, now, 200)) back = now;
		}
		// Back within a few time constants, then beyond the limit met up to the ceiling.
		expect(back! - from).toBeLessThan(6 * PACE.recoverSeconds * 1000);
		expect(pace.rate).toBe(10);
		for (let i = 0; i < 100; i++, now += 100) exchange(pace, now, 200);
		expect(pace.rate).toBe(10);
	});

	test('rises by time, not by answers: a run with few answers rises as fast as one with many', () => {
		const many = new AdaptivePace(20, 240, T0);
		const few = new AdaptivePace(20, 240, T0);
		for (const pace of [many, few]) exchange(pace, T0, 429, 1000);
		const start = T0 + 1001;
		for (let ms = 0; ms <= 60_000; ms += 50) exchange(many, start + ms, 200);
		for (let ms = 0; ms <= 60_000; ms += 1000) exchange(few, start + ms, 200);
		expect(few.rate).toBeCloseTo(many.rate, 0);
	});
});

describe('against a simulated rate-limited host', () => {
	test.each([2, 5, 10, 20])(
		'a limit of %i per second: near it, few 429s, Retry-After never cut short',
		(perSecond) => {
			const seconds = 600;
			const limit = { perSecond, burst: 2 * perSecond, retryAfterSeconds: 1 };
			const [run] = simulate(limit, [{ ceiling: 20 }], seconds);
			const possible = limit.burst + perSecond * seconds;
			expect(run.clean).toBeGreaterThan(0.9 * possible);
			expect(run.tooMany).toBeLessThan(0.03 * (run.clean + run.tooMany));
			expect(cutShort(run.sent)).toEqual([]);
		},
	);

	test('two runs sharing a limit of 10 each get a fair part of it, and all of it once one ends', () => {
		const limit = { perSecond: 10, burst: 100, retryAfterSeconds: 1 };
		const together = simulate(limit, [{ ceiling: 20 }, { ceiling: 20 }], 400);
		for (const run of together) expect(run.clean).toBeGreaterThan(0.25 * 4100);
		expect(together[0].clean + together[1].clean).toBeGreaterThan(0.95 * 4100);
		const [stays] = simulate(limit, [{ ceiling: 20 }, { ceiling: 20, endMs: 100_000 }], 400);
		const late = stays.sent.filter((request) => request.at > 200_000 && request.status === 200);
		expect(late.length).toBeGreaterThan(0.9 * 10 * 200);
	});

	test('the opening burst against a lower limit meets no more 429s than requests in flight', () => {
		const limit = { perSecond: 2, burst: 4, retryAfterSeconds: 1 };
		const [run] = simulate(limit, [{ ceiling: 20, inFlight: 5 }], 5);
		const opening = run.sent.slice(0, run.sent.findIndex((r) => r.status === 429) + 5);
		expect(opening.filter((r) => r.status === 429).length).toBeLessThanOrEqual(5);
	});
});

/**
 * Requests that reached the host after one of its 429s but before that 429's Retry-After had
 * passed, leaving out those already sent when the 429 reached the run (the round trip).
 */
function cutShort(sent: Array<{ at: number; status: number; retryAfterMs?: number }>): string[] {
	const found: string[] = [];
	for (const [i, refused] of sent.entries()) {
		if (refused.status !== 429) continue;
		const known = refused.at + 2; // the answer reaches the run half a round trip later
		for (const later of sent.slice(i + 1)) {
			const sentAt = later.at - 2;
			if (sentAt > known && later.at < refused.at + refused.retryAfterMs!) {
				found.push(`${later.at} after a 429 at ${refused.at}`);
			}
		}
	}
	return found;
}
