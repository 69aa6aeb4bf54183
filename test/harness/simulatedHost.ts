/**
 * A simulated rate-limited host and the node runs using it, on a simulated clock: pure logic
 * (no timers, no sockets), so a unit test can watch a HostBudget against a limit for minutes of
 * simulated time in milliseconds. The host is a token bucket like the emulator's busy mode (a
 * 429 with Retry-After when empty; a 429 takes no token); each run keeps `inFlight` requests
 * wanting to go (always more work than the budget allows), each waiting for its turn.
 */
import { HostBudget } from '../../nodes/shared/transport/hostBudget';

export interface SimulatedLimit {
	perSecond: number;
	burst: number;
	retryAfterSeconds: number;
}

export interface SimulatedRun {
	ceiling: number;
	startMs?: number;
	endMs?: number;
	inFlight?: number;
}

export interface RunTally {
	budget: HostBudget;
	clean: number;
	tooMany: number;
	/** Every request as it reached the host. */
	sent: Array<{ at: number; status: number; retryAfterMs?: number }>;
}

const ROUND_TRIP_MS = 4;

export function simulate(limit: SimulatedLimit, runs: SimulatedRun[], seconds: number): RunTally[] {
	const events: Array<{ at: number; order: number; act: () => void }> = [];
	let order = 0;
	const at = (time: number, act: () => void) => events.push({ at: time, order: order++, act });
	const host = { tokens: limit.burst, stamp: 0 };
	const answer = (now: number): number => {
		host.tokens = Math.min(
			limit.burst,
			host.tokens + ((now - host.stamp) / 1000) * limit.perSecond,
		);
		host.stamp = now;
		if (host.tokens < 1) return 429;
		host.tokens -= 1;
		return 200;
	};
	const tallies = runs.map((run): RunTally => {
		const budget = new HostBudget(run.ceiling, true, run.startMs ?? 0);
		const tally: RunTally = { budget, clean: 0, tooMany: 0, sent: [] };
		const end = run.endMs ?? seconds * 1000;
		const request = (now: number) => {
			if (now >= end) return;
			const turn = budget.book(now);
			const go = (time: number) => {
				const wait = budget.msUntilTurn(turn, time);
				if (wait > 0) {
					at(time + wait, () => go(time + wait));
					return;
				}
				budget.sending(turn, time);
				const arrives = time + ROUND_TRIP_MS / 2;
				at(arrives, () => {
					const status = answer(arrives);
					const retryAfterMs = status === 429 ? limit.retryAfterSeconds * 1000 : undefined;
					tally.sent.push({ at: arrives, status, retryAfterMs });
					at(time + ROUND_TRIP_MS, () => {
						const now = time + ROUND_TRIP_MS;
						budget.answered(turn, status, retryAfterMs && String(limit.retryAfterSeconds), now);
						if (status === 429) tally.tooMany++;
						else tally.clean++;
						request(now);
					});
				});
			};
			go(now);
		};
		for (let i = 0; i < (run.inFlight ?? 5); i++)
			at(run.startMs ?? 0, () => request(run.startMs ?? 0));
		return tally;
	});
	while (events.length > 0) {
		let next = 0;
		for (let i = 1; i < events.length; i++) {
			const [a, b] = [events[i], events[next]];
			if (a.at < b.at || (a.at === b.at && a.order < b.order)) next = i;
		}
		const [event] = events.splice(next, 1);
		if (event.at > seconds * 1000) break;
		event.act();
	}
	return tallies;
}
