import {
	budgetOf,
	DEFAULT_REQUESTS_PER_SECOND,
	POLLING_MODE,
	setBudget,
} from '../../nodes/shared/transport/budget';
import { HostBudget } from '../../nodes/shared/transport/hostBudget';
import { BURST_SECONDS, TokenBucket } from '../../nodes/shared/transport/tokenBucket';

const T0 = 1_000_000;

describe('TokenBucket (the ceiling)', () => {
	test('a full bucket lets a burst of 12 seconds of the budget go at once, then paces', () => {
		const budget = new TokenBucket(8, T0);
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
		const budget = new TokenBucket(5, T0);
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
		const budget = new TokenBucket(2, T0);
		for (let i = 0; i < 24; i++) budget.reserve(T0);
		expect(budget.available(T0 + 499)).toBe(0);
		expect(budget.available(T0 + 500)).toBe(1);
		expect(budget.available(T0 + 3_600_000)).toBe(24);
	});

	test('a reservation given back is available again', () => {
		const budget = new TokenBucket(1, T0);
		for (let i = 0; i < 12; i++) budget.reserve(T0);
		expect(budget.reserve(T0)).toBe(1000);
		budget.release();
		expect(budget.reserve(T0)).toBe(1000);
	});

	test('0 or Infinity is no budget', () => {
		for (const perSecond of [0, Infinity]) {
			const budget = new TokenBucket(perSecond, T0);
			expect(budget.unlimited).toBe(true);
			for (let i = 0; i < 10_000; i++) expect(budget.reserve(T0)).toBe(0);
			expect(budget.available(T0)).toBe(Infinity);
		}
	});
});

describe('HostBudget', () => {
	/** Sends turns as soon as they may go, answering each `status`; returns when each went. */
	function sendAll(budget: HostBudget, turns: number, from: number, status = 200): number[] {
		const queue = Array.from({ length: turns }, () => budget.book(from));
		const sent: number[] = [];
		let now = from;
		for (const turn of queue) {
			now += budget.msUntilTurn(turn, now);
			budget.sending(turn, now);
			budget.answered(turn, status, undefined, now);
			sent.push(now);
		}
		return sent;
	}

	test('turns go in order, within the ceiling, at the pace of the moment they go', () => {
		const budget = new HostBudget(4, true, T0);
		const sent = sendAll(budget, 200, T0);
		for (let i = 1; i < sent.length; i++) expect(sent[i]).toBeGreaterThanOrEqual(sent[i - 1]);
		// Never more than the ceiling's burst plus its rate times the time passed.
		sent.forEach((at, i) =>
			expect(i + 1).toBeLessThanOrEqual(4 * BURST_SECONDS + 1 + (4 * (at - T0)) / 1000),
		);
	});

	test('a 429 holds back every turn not yet sent until its Retry-After has passed', () => {
		const budget = new HostBudget(20, true, T0);
		const waiting = Array.from({ length: 10 }, () => budget.book(T0));
		const refused = budget.book(T0);
		budget.sending(refused, T0);
		budget.answered(refused, 429, '3', T0 + 5);
		for (const turn of waiting) {
			expect(budget.msUntilTurn(turn, T0 + 5)).toBeGreaterThanOrEqual(3000);
		}
		expect(budget.available(T0 + 3004)).toBe(0);
		expect(budget.msUntil(1, T0 + 5)).toBeGreaterThanOrEqual(3000);
		// After it, one by one at the lowered pace, not all at once.
		const sent = [];
		let now = T0 + 3005;
		for (const turn of waiting) {
			now += budget.msUntilTurn(turn, now);
			budget.sending(turn, now);
			sent.push(now);
		}
		expect(sent[0]).toBeGreaterThanOrEqual(T0 + 3005);
		expect(sent[9] - sent[0]).toBeGreaterThanOrEqual((9 / budget.perSecond) * 1000 - 9);
	});

	test('a turn given back frees its place', () => {
		// The pace opens with 10 requests: the 11th in the queue waits, until one before it leaves.
		const budget = new HostBudget(20, true, T0);
		const queue = Array.from({ length: 11 }, () => budget.book(T0));
		expect(budget.msUntilTurn(queue[10], T0)).toBeGreaterThan(0);
		budget.giveBack(queue[3]);
		expect(budget.msUntilTurn(queue[10], T0)).toBe(0);
	});

	test("fixed (the benchmark's before): a 429 changes nothing; 0 is no budget at all", () => {
		const fixed = new HostBudget(8, false, T0);
		const turn = fixed.book(T0);
		fixed.sending(turn, T0);
		fixed.answered(turn, 429, '5', T0);
		expect(fixed.perSecond).toBe(8);
		expect(fixed.available(T0)).toBe(8 * BURST_SECONDS - 1);
		const none = new HostBudget(0, true, T0);
		expect(none.unlimited).toBe(true);
		expect(sendAll(none, 1000, T0, 429).every((at) => at === T0)).toBe(true);
	});
});

describe('one budget per node run and host', () => {
	const model = 'https://model-api.runcomfy.net/v1/models/a/b';
	const account = 'https://api.runcomfy.net/prod/v2/balance';

	test('the default until the options set one; the same run and host get the same budget', () => {
		const run = {};
		expect(budgetOf(run, model).perSecond).toBe(DEFAULT_REQUESTS_PER_SECOND);
		expect(budgetOf(run, model)).toBe(
			budgetOf(run, 'https://model-api.runcomfy.net/v1/requests/x/result'),
		);
		setBudget(run, 3);
		expect(budgetOf(run, model).perSecond).toBe(3);
		const kept = budgetOf(run, model);
		setBudget(run, 3);
		expect(budgetOf(run, model)).toBe(kept);
		expect(budgetOf({}, model)).not.toBe(kept);
	});

	test("one host's 429s do not slow another's calls", () => {
		const run = {};
		const refused = budgetOf(run, model).book();
		budgetOf(run, model).sending(refused);
		budgetOf(run, model).answered(refused, 429, '60');
		expect(budgetOf(run, model).available()).toBe(0);
		expect(budgetOf(run, account)).not.toBe(budgetOf(run, model));
		expect(budgetOf(run, account).msUntilTurn(budgetOf(run, account).book())).toBe(0);
	});

	test('the benchmark switch gives the fixed budget of before', () => {
		POLLING_MODE.fixedBudget = true;
		try {
			const budget = budgetOf({}, model);
			const turn = budget.book();
			budget.sending(turn);
			budget.answered(turn, 429, '60');
			expect(budget.available()).toBeGreaterThan(0);
		} finally {
			POLLING_MODE.fixedBudget = false;
		}
	});
});
