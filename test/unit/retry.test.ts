import { backoffDelay, parseRetryAfter, RETRY } from '../../nodes/shared/transport/retry';

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-25T12:00:00Z');
	test.each([
		['5', 5000],
		[5, 5000],
		['0', 0],
		['1.5', 1500],
		[' 2 ', 2000],
		['Wed, 25 Nov 2026 12:00:10 GMT', 10_000],
		['Wed, 25 Nov 2026 11:59:00 GMT', 0],
	])('%p → %p ms', (value, ms) => expect(parseRetryAfter(value, now)).toBe(ms));

	test.each([[''], ['soon'], [undefined], [null], [{}]])('%p is ignored', (value) =>
		expect(parseRetryAfter(value, now)).toBeUndefined(),
	);

	test('a hostile value cannot park the node for longer than the cap', () => {
		expect(parseRetryAfter('999999999', now)).toBe(RETRY.maxRetryAfterMs);
		expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(RETRY.maxRetryAfterMs);
	});
});

describe('backoffDelay', () => {
	test('doubles from the base, capped', () => {
		expect([1, 2, 3, 4, 5, 6].map((failures) => backoffDelay(failures))).toEqual([
			1000, 2000, 4000, 8000, 16_000, 30_000,
		]);
	});

	test("the server's Retry-After wins, even 0", () => {
		expect(backoffDelay(4, 0)).toBe(0);
		expect(backoffDelay(1, 7000)).toBe(7000);
	});

	test('a base and a factor of its own (status checks back off by 1.5 from the poll interval)', () => {
		expect([1, 2, 3].map((failures) => backoffDelay(failures, undefined, 2000, 1.5))).toEqual([
			2000, 3000, 4500,
		]);
	});
});
