import { HostBudget } from './hostBudget';

/**
 * The request budgets of a node run: one per host (the origin of a request's URL), so the Model
 * API's 429s never slow the calls to another host, while every call of the run to one host
 * (submits, looks, cancels, look-ups) draws from the same one.
 */

export const DEFAULT_REQUESTS_PER_SECOND = 20;

/**
 * Internal switches for the benchmark, never for users: `legacy` runs the fixed-interval poller
 * from before issue 15 without a budget; `fixedBudget` the fixed budget from before issue 22 (no
 * pace learned from 429s), so `npm run bench` can put them beside today's.
 */
export const POLLING_MODE = { legacy: false, fixedBudget: false };

interface RunBudgets {
	perSecond: number;
	hosts: Map<string, HostBudget>;
}

const runs = new WeakMap<object, RunBudgets>();

function budgetsOf(run: object): RunBudgets {
	let budgets = runs.get(run);
	if (!budgets) {
		budgets = { perSecond: DEFAULT_REQUESTS_PER_SECOND, hosts: new Map() };
		runs.set(run, budgets);
	}
	return budgets;
}

function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return url;
	}
}

/** The budget of a node run (its execute context) towards the host of `url`. */
export function budgetOf(run: object, url: string): HostBudget {
	const budgets = budgetsOf(run);
	const host = originOf(url);
	let budget = budgets.hosts.get(host);
	if (!budget) {
		const logger = (run as { logger?: { info?: (message: string) => void } }).logger;
		budget = new HostBudget(
			POLLING_MODE.legacy ? 0 : budgets.perSecond,
			!POLLING_MODE.fixedBudget,
			Date.now(),
			(text) => logger?.info?.(`RunComfy requests to ${host}: ${text}`),
		);
		budgets.hosts.set(host, budget);
	}
	return budget;
}

/** Called once when a run's options are read: "Max Requests per Second" (0 = no budget). */
export function setBudget(run: object, perSecond: number): void {
	if (budgetsOf(run).perSecond !== perSecond) runs.set(run, { perSecond, hosts: new Map() });
}
