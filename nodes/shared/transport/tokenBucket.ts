/**
 * A token bucket: the ceiling of a run's requests to one host, the user's Max Requests per Second
 * (hostBudget.ts). Refills at `perSecond`; holds up to BURST_SECONDS of it, so a small batch spends
 * its requests at once, as fast as without a budget.
 *
 * Reservations are first come, first served: a caller that finds the bucket empty books the next
 * token and sleeps until it is due (the balance goes below zero meanwhile), so waiting callers are
 * served in order without polling.
 */

/** The bucket holds this many seconds of the budget: 240 requests at the default of 20. */
export const BURST_SECONDS = 12;

export class TokenBucket {
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
