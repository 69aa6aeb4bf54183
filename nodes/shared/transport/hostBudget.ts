import { AdaptivePace } from './pace';
import { parseRetryAfter } from './retry';
import { TokenBucket } from './tokenBucket';

/** A request's place in the queue of its host's budget. */
export interface Turn {
	/** What the ceiling allows (booked at once: its rate never changes). */
	readonly ceilingAt: number;
	/** The pace's epoch when the request went. */
	epoch: number;
}

/**
 * The budget of one node run towards one host: every request waits for its turn, within the
 * user's Max Requests per Second (a ceiling, never passed) and the pace learned from the host's
 * answers. Turns are served in order and each is timed when it comes, at the pace of that moment:
 * a 429 holds back every request not yet sent, not only the one it answered.
 */
export class HostBudget {
	private readonly ceiling: TokenBucket;
	/** None: a fixed budget (the benchmark's "before"), or no budget at all. */
	private readonly pace?: AdaptivePace;
	private readonly waiting: Turn[] = [];

	constructor(
		perSecond: number,
		adaptive: boolean,
		now = Date.now(),
		private readonly log?: (text: string) => void,
	) {
		this.ceiling = new TokenBucket(perSecond, now);
		if (adaptive && !this.ceiling.unlimited) {
			this.pace = new AdaptivePace(perSecond, this.ceiling.capacity, now);
		}
	}

	get unlimited(): boolean {
		return this.ceiling.unlimited;
	}

	/** Requests per second now: the pace, else the ceiling (0 or Infinity: no budget). */
	get perSecond(): number {
		return this.pace?.rate ?? this.ceiling.perSecond;
	}

	/** Whole requests that may be sent right now without waiting. */
	available(now = Date.now()): number {
		const paced = this.pace ? this.pace.available(now) - this.waiting.length : Infinity;
		return Math.max(Math.min(this.ceiling.available(now), paced), 0);
	}

	/** How long until `count` more requests may be sent (0: now). */
	msUntil(count = 1, now = Date.now()): number {
		const paced = this.pace?.msUntil(this.waiting.length + count, now) ?? 0;
		return Math.max(this.ceiling.msUntil(count, now), paced);
	}

	/** A place in the queue. */
	book(now = Date.now()): Turn {
		const turn: Turn = { ceilingAt: now + this.ceiling.reserve(now), epoch: 0 };
		this.waiting.push(turn);
		return turn;
	}

	/** How long the turn's request must still wait (0: it may go). Ask again after waiting. */
	msUntilTurn(turn: Turn, now = Date.now()): number {
		const ceilingMs = Math.max(Math.ceil(turn.ceilingAt - now), 0);
		const ahead = this.waiting.indexOf(turn);
		if (!this.pace || ahead < 0) return ceilingMs;
		return Math.max(ceilingMs, this.pace.msUntil(ahead + 1, now));
	}

	/** The turn's request goes now. */
	sending(turn: Turn, now = Date.now()): void {
		const index = this.waiting.indexOf(turn);
		if (index >= 0) this.waiting.splice(index, 1);
		this.pace?.spend(now);
		turn.epoch = this.pace?.epoch ?? 0;
	}

	/** The turn's caller was stopped before sending. */
	giveBack(turn: Turn): void {
		const index = this.waiting.indexOf(turn);
		if (index < 0) return;
		this.waiting.splice(index, 1);
		this.ceiling.release();
	}

	/** The HTTP status the host answered the turn's request with. */
	answered(turn: Turn, status: number, retryAfter: unknown, now = Date.now()): void {
		const pace = this.pace;
		if (!pace) return;
		if (status === 429) {
			if (pace.tooMany(turn.epoch, parseRetryAfter(retryAfter, now), now)) {
				this.log?.(
					`answered 429: nothing sent before ${new Date(pace.pausedUntil).toISOString()}, then ${pace.rate.toFixed(2)} requests per second (the limit met: ${pace.limit!.toFixed(2)})`,
				);
			}
		} else if (status < 500 && pace.answeredClean(now)) {
			this.log?.(`back at ${pace.rate.toFixed(2)} requests per second after clean answers`);
		}
	}
}
