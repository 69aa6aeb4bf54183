/**
 * The request budget of one node run: a token bucket every call to RunComfy draws from (submits,
 * polls, cancels, look-ups), so a batch of thousands of jobs stays under the API's rate limit
 * instead of running into 429s. Refills at `perSecond`; holds up to BURST_SECONDS of it, so a
 * small batch spends its requests at once, as fast as without a budget.
 *
 * Reservations are first come, first served: a caller that finds the bucket empty books the next
 * token and sleeps until it is due (the balance goes below zero meanwhile), so waiting callers are
 * served in order without polling.
 */

export const DEFAULT_REQUESTS_PER_SECOND = 8;
/** The bucket holds this many seconds of the budget: 96 requests at the default. */
export const BURST_SECONDS = 12;

export class RequestBudget {
	readonly capacity: number;
	private tokens: number;
	private stamp: number;

	/** `perSecond` of 0 or Infinity: no budget (every request may go at once). */
	constructor(
		readonly perSecond: number,
		now = Date.now(),
	) {
		this.capacity = this.unlimited ? Infinity : Math.max(1, perSecond * BURST_SECONDS);
		this.tokens = this.capacity;
		this.stamp = now;
	}

	get unlimited(): boolean {
		return !(this.perSecond > 0 && Number.isFinite(this.perSecond));
	}

	/** Whole requests that may be sent right now without waiting. */
	available(now = Date.now()): number {
		if (this.unlimited) return Infinity;
		this.refill(now);
		return Math.max(Math.floor(this.tokens), 0);
	}

	/** How long until `count` requests may be sent (0: now). */
	msUntil(count = 1, now = Date.now()): number {
		if (this.unlimited) return 0;
		this.refill(now);
		const missing = count - this.tokens;
		return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000);
	}

	/** Books one request; returns how long to wait before sending it (0: now). */
	reserve(now = Date.now()): number {
		if (this.unlimited) return 0;
		this.refill(now);
		this.tokens -= 1;
		return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
	}

	/** Gives a booked request back (its caller was stopped before sending it). */
	release(): void {
		if (!this.unlimited) this.tokens = Math.min(this.tokens + 1, this.capacity);
	}

	private refill(now: number): void {
		const elapsed = Math.max(now - this.stamp, 0);
		this.stamp = Math.max(now, this.stamp);
		this.tokens = Math.min(this.tokens + (elapsed / 1000) * this.perSecond, this.capacity);
	}
}

/**
 * Internal switches for the benchmark, never for users: `legacy` runs today's fixed-interval
 * poller without a budget, so `npm run bench` can put it beside the scheduler.
 */
export const POLLING_MODE = { legacy: false };

const budgets = new WeakMap<object, RequestBudget>();

/** The budget of a node run (its execute context); the default until the node's options set one. */
export function budgetOf(run: object): RequestBudget {
	let budget = budgets.get(run);
	if (!budget) {
		budget = new RequestBudget(POLLING_MODE.legacy ? 0 : DEFAULT_REQUESTS_PER_SECOND);
		budgets.set(run, budget);
	}
	return budget;
}

/** Called once when a run's options are read: "Max Requests per Second" (0 = no budget). */
export function setBudget(run: object, perSecond: number): void {
	const current = budgets.get(run);
	if (current && current.perSecond === perSecond) return;
	budgets.set(run, new RequestBudget(POLLING_MODE.legacy ? 0 : perSecond));
}
