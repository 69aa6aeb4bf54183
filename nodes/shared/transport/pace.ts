/**
 * The pace of a run's requests to one host, learned from the host's answers as TCP learns a
 * link's capacity from its losses (additive increase, multiplicative decrease). A 429 lowers the
 * pace at once to a share of the rate that met the limit, and nothing goes until its Retry-After
 * has passed. Clean answers raise it again: back to that rate within seconds, then beyond it,
 * slowly at first and faster the longer no 429 comes, so a limit that rose (or a run that shared
 * it and ended) is found again. Rises go by time, not by answers: runs sharing one limit rise
 * equally whatever their share, while the one that takes more meets more of the 429s; so they
 * even out. Until the first 429 the bucket starts small and grows by one with every clean answer
 * (TCP's slow start): a small batch goes as fast as the ceiling allows, and a lower real limit is
 * met with no more requests than are in flight.
 *
 * Pure: the clock is passed in.
 */
export const PACE = {
	/** A 429 sets the pace to this share of the rate that met it… */
	decrease: 0.85,
	/** …or to this share when it came within a few clean answers of the last one: far above the limit. */
	steepDecrease: 0.5,
	steepWithin: 8,
	/** Below the rate that met the last 429, the gap closes with this time constant while answers come back clean. */
	recoverSeconds: 8,
	/** Beyond it, the pace rises by this many requests per second every second while answers come back clean… */
	probePerSecond: 0.01,
	/** …doubling after every this many seconds of it. */
	probeDoublingSeconds: 12,
	/** Once a 429 was met, the bucket holds this many seconds of the pace. */
	burstSeconds: 2,
	/** Requests the bucket holds at the start, before any answer. */
	openingTokens: 10,
	minPerSecond: 0.5,
	/** A 429 without Retry-After pauses this long. */
	defaultPauseMs: 1000,
};

export class AdaptivePace {
	/** Requests per second now. */
	rate: number;
	/** The rate that met the last 429. */
	limit?: number;
	/** No request before this: the last 429's Retry-After. */
	pausedUntil = 0;
	/** Raised by each 429 the pace reacts to; a 429 to a request sent before that changes nothing more. */
	epoch = 0;
	private tokens: number;
	private stamp: number;
	/** Clean answers since the last reaction, and when that was. */
	private clean = 0;
	private cleanSince: number;
	/** Seconds spent beyond `limit` with clean answers. */
	private probing = 0;
	/** The last clean answer since the last reaction. */
	private answeredAt?: number;

	/** `ceiling` requests per second, never passed; `openingCapacity`: the bucket before any 429. */
	constructor(
		readonly ceiling: number,
		private readonly openingCapacity: number,
		now: number,
	) {
		this.rate = ceiling;
		this.tokens = Math.min(PACE.openingTokens, openingCapacity);
		this.stamp = now;
		this.cleanSince = now;
	}

	/** A request goes now (one that may not wait, even before its turn: the balance goes below zero). */
	spend(now: number): void {
		this.refill(now);
		this.tokens -= 1;
	}

	available(now: number): number {
		if (now < this.pausedUntil) return 0;
		this.refill(now);
		return Math.max(Math.floor(this.tokens), 0);
	}

	msUntil(count: number, now: number): number {
		this.refill(now);
		const missing = Math.max(count - this.tokens, 0);
		const due = Math.max(this.stamp, this.pausedUntil) + (missing / this.rate) * 1000;
		return Math.max(Math.ceil(due - now), 0);
	}

	/**
	 * A 429: no request until its Retry-After has passed. The first 429 to a request sent after the
	 * last reaction also lowers the pace (true); those to requests already on their way do not.
	 */
	tooMany(sentInEpoch: number, retryAfterMs: number | undefined, now: number): boolean {
		this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? PACE.defaultPauseMs));
		if (sentInEpoch < this.epoch) return false;
		// The limit met: the rate, or what the host let through since the last 429 if less (the
		// limit's real rate when its bucket was empty at both), within one decrease of the rate.
		// Soon after the last 429 the rate is far above the limit: down steeply.
		const soon = this.clean < PACE.steepWithin;
		const letThrough = (this.clean * 1000) / Math.max(now - this.cleanSince, 1);
		this.limit = soon
			? this.rate
			: Math.max(Math.min(this.rate, letThrough), PACE.decrease * this.rate);
		const share = soon && this.epoch > 0 ? PACE.steepDecrease : PACE.decrease;
		this.rate = Math.max(PACE.minPerSecond, share * this.limit);
		this.epoch++;
		// One request when the pause ends, the others paced from there.
		this.refill(now);
		this.tokens = Math.min(this.tokens, 1);
		this.stamp = this.pausedUntil;
		this.clean = 0;
		this.cleanSince = now;
		this.probing = 0;
		this.answeredAt = this.pausedUntil;
		return true;
	}

	/** A clean answer: the opening bucket grows, or the pace rises. True when it is back at `limit`. */
	answeredClean(now: number): boolean {
		this.clean++;
		this.refill(now);
		if (this.limit === undefined) {
			this.tokens = Math.min(this.tokens + 1, this.capacity);
			return false;
		}
		// Time, not answers: a run that gets few answers rises as fast as one that gets many.
		const last = this.answeredAt ?? now;
		const seconds = Math.min(Math.max(now - last, 0) / 1000, 2);
		this.answeredAt = now;
		if (this.rate < this.limit) {
			const gap = this.limit - this.rate;
			this.rate = Math.min(
				this.rate +
					gap * (1 - Math.exp(-seconds / PACE.recoverSeconds)) +
					PACE.probePerSecond * seconds,
				this.limit,
			);
			return this.rate >= this.limit;
		}
		this.probing += seconds;
		const perSecond = PACE.probePerSecond * 2 ** (this.probing / PACE.probeDoublingSeconds);
		this.rate = Math.min(this.rate + perSecond * seconds, this.ceiling);
		return false;
	}

	private get capacity(): number {
		return this.limit === undefined
			? this.openingCapacity
			: Math.max(1, PACE.burstSeconds * this.rate);
	}

	private refill(now: number): void {
		if (now <= this.stamp) return;
		this.tokens = Math.min(this.tokens + ((now - this.stamp) / 1000) * this.rate, this.capacity);
		this.stamp = now;
	}
}
