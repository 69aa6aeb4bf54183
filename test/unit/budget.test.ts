import {
	budgetOf,
	BURST_SECONDS,
	DEFAULT_REQUESTS_PER_SECOND,
	RequestBudget,
	setBudget,
} from '../../nodes/shared/transport/budget';

const T0 = 1_000_000;

describe('RequestBudget', () => {
	test('a full bucket lets a burst of 12 seconds of the budget go at once, then paces', () => {
		const budget = new RequestBudget(8, T0);
		expect(budget.capacity).toBe(8 * BURST_SECONDS);
		expect(budget.available(T0)).toBe(96);
		for (let i = 0; i < 96; i++) expect(budget.reserve(T0)).toBe(0);
		expect(budget.available(T0)).toBe(0);
		// The next ones wait 125 ms each, in the order they were booked.
		expect(budget.reserve(T0)).toBe(125);
		expect(budget.reserve(T0)).toBe(250);
		expect(budget.msUntil(1, T0)).toBe(375);
	});

	test('in any window no more than rate × window + burst requests are let through', () => {
		const budget = new RequestBudget(5, T0);
		// Callers that send as soon as they may, at random moments: record when each goes.
		let now = T0;
		const sent: number[] = [];
		let seed = 42;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		for (let i = 0; i < 2000; i++) {
			now += Math.floor(random() * 300);
			sent.push(now + budget.reserve(now));
		}
		sent.sort((a, b) => a - b);
		for (const windowMs of [100, 1000, 10_000, 60_000]) {
			let first = 0;
			for (let last = 0; last < sent.length; last++) {
				while (sent[last] - sent[first] > windowMs) first++;
				expect(last - first + 1).toBeLessThanOrEqual(5 * (windowMs / 1000) + budget.capacity + 1);
			}
		}
	});

	test('refills with time, never beyond its capacity', () => {
		const budget = new RequestBudget(2, T0);
		for (let i = 0; i < 24; i++) budget.reserve(T0);
		expect(budget.available(T0 + 499)).toBe(0);
		expect(budget.available(T0 + 500)).toBe(1);
		expect(budget.available(T0 + 3_600_000)).toBe(24);
	});

	test('a reservation given back is available again', () => {
		const budget = new RequestBudget(1, T0);
		for (let i = 0; i < 12; i++) budget.reserve(T0);
		expect(budget.reserve(T0)).toBe(1000);
		budget.release();
		expect(budget.reserve(T0)).toBe(1000);
	});

	test('0 or Infinity is no budget', () => {
		for (const perSecond of [0, Infinity]) {
			const budget = new RequestBudget(perSecond, T0);
			expect(budget.unlimited).toBe(true);
			for (let i = 0; i < 10_000; i++) expect(budget.reserve(T0)).toBe(0);
			expect(budget.available(T0)).toBe(Infinity);
		}
	});
});

describe('one budget per node run', () => {
	test('the default until the options set one; the same run gets the same budget', () => {
		const run = {};
		expect(budgetOf(run).perSecond).toBe(DEFAULT_REQUESTS_PER_SECOND);
		expect(budgetOf(run)).toBe(budgetOf(run));
		setBudget(run, 3);
		expect(budgetOf(run).perSecond).toBe(3);
		const kept = budgetOf(run);
		setBudget(run, 3);
		expect(budgetOf(run)).toBe(kept);
		expect(budgetOf({})).not.toBe(kept);
	});
});
