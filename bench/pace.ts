/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * Issue #22: the fixed budget of issue 15 (8 requests a second) beside today's adaptive one
 * (the pace learned from 429s under Max Requests per Second, default 20), against busy services
 * whose real limit is 2, 5, 10 or 20 calls a second, N = 1,000 and 50; and two node runs at once
 * sharing one limit of 10 a second. Each node run is alone in a child process (busy.ts's
 * busyRun); the emulator answers from the parent and its log is the witness.
 *
 * Cases can be picked by environment variables, to run the section in parts:
 *   BENCH_LIMITS=2,5,10,20,shared   BENCH_SIZES=1000,50   BENCH_MODES=fixed,adaptive
 * Batches under 1,000 run BENCH_SMALL_RUNS times (default 3; the row is the median run by wall
 * time): at N = 50 a few tenths of a second of noise decide "no slower".
 */
import type { BusyService, RunComfyEmulator } from '../test/emulator/emulator';
import type { BusyChildResult, BusyTask } from './busy';
import { fixed, median, seconds, table } from './stats';

export type PaceMode = 'fixed' | 'adaptive';
export const PACE_MODE_LABELS: Record<PaceMode, string> = {
	fixed: 'fixed 8/s (before)',
	adaptive: 'adaptive, ceiling 20/s',
};

/** A case: a real limit, and how many node runs share it (each of N jobs). */
export interface PaceCase {
	limit: number;
	runs: number;
	n: number;
}

export const PACE_LIMITS = [2, 5, 10, 20];
const SHARED_LIMIT = 10;

/** The cases of the section, as the environment picks them (all by default). */
export function paceCases(env: Record<string, string | undefined> = process.env): {
	cases: PaceCase[];
	modes: PaceMode[];
	smallRuns: number;
} {
	const list = (name: string, fallback: string) =>
		(env[name] ?? fallback)
			.split(',')
			.map((entry) => entry.trim())
			.filter(Boolean);
	const limits = list('BENCH_LIMITS', [...PACE_LIMITS, 'shared'].join(','));
	const sizes = list('BENCH_SIZES', '1000,50').map(Number);
	const modes = list('BENCH_MODES', 'fixed,adaptive') as PaceMode[];
	const smallRuns = Number(env.BENCH_SMALL_RUNS ?? 3);
	const cases = sizes.flatMap((n) =>
		limits.map((limit) =>
			limit === 'shared'
				? { limit: SHARED_LIMIT, runs: 2, n }
				: { limit: Number(limit), runs: 1, n },
		),
	);
	return { cases, modes, smallRuns };
}

/** The busy service of a case: the limit as a token bucket of 10 s' worth, as #15's at 10/s. */
export const paceService = (limit: number, jobs: number): BusyService => ({
	ratePerSecond: limit,
	burst: 10 * limit,
	retryAfterSeconds: 1,
	slots: 40,
	runTime: { medianMs: 8000, sigma: 0.5, seed: 1500 + jobs },
});

export interface PaceRow extends PaceCase {
	mode: PaceMode;
	/** From the first run's start to the last one's end. */
	wallMs: number;
	/** Each run's own wall time. */
	walls: number[];
	lastJobEndMs: number;
	/** The physical limit: max(last job end, 2 requests per item ÷ the real limit). */
	boundMs: number;
	requests: number;
	tooMany: number;
	/** Answered (not 429) requests per job created, the median job. */
	answeredPerJob: number;
	jobs: number;
	delivered: number;
	/** The largest child's peak RSS above its RSS when its run began. */
	peakRssGrowth: number;
	errors: string[];
	/** The wall times of every repeat of the case, when it ran more than once. */
	repeats?: number[];
}

type InChild = (task: BusyTask, timeoutMs: number) => Promise<BusyChildResult>;

export async function paceSection(
	emulator: RunComfyEmulator,
	inChild: InChild,
	env: Record<string, string | undefined> = process.env,
): Promise<PaceRow[]> {
	const { cases, modes, smallRuns } = paceCases(env);
	console.log(
		`\n== Adaptive budget (#22): ${cases.map(describeCase).join('; ')}; ${modes.join(' and ')} ==`,
	);
	const rows: PaceRow[] = [];
	for (const one of cases) {
		for (const mode of modes) {
			const repeats: PaceRow[] = [];
			for (let repeat = 0; repeat < (one.n < 1000 ? smallRuns : 1); repeat++) {
				const row = await runCase(emulator, inChild, one, mode);
				repeats.push(row);
				console.log(`  ${describeCase(one)}, ${PACE_MODE_LABELS[mode]}: ${describeRow(row)}`);
			}
			repeats.sort((a, b) => a.wallMs - b.wallMs);
			const middle = repeats[Math.floor((repeats.length - 1) / 2)];
			rows.push(repeats.length > 1 ? { ...middle, repeats: repeats.map((r) => r.wallMs) } : middle);
		}
	}
	emulator.setBusy(undefined);
	return rows;
}

/** One case once: its node runs at the same time, each in a child process of its own. */
async function runCase(
	emulator: RunComfyEmulator,
	inChild: InChild,
	one: PaceCase,
	mode: PaceMode,
): Promise<PaceRow> {
	emulator.reset();
	emulator.setBusy(paceService(one.limit, one.n * one.runs));
	const tasks = Array.from(
		{ length: one.runs },
		(_, run): BusyTask => ({
			kind: 'busy',
			baseUrl: emulator.baseUrl,
			token: emulator.token,
			contender: 'ours',
			n: one.n,
			budget: mode,
			prefix: `Pace run ${run + 1} job`,
		}),
	);
	const children = await Promise.all(tasks.map((task) => inChild(task, 90 * 60_000)));
	return paceRow(emulator, one, mode, children);
}

function describeCase({ limit, runs, n }: PaceCase): string {
	return `${runs > 1 ? `${runs} runs sharing ` : ''}${limit}/s, N = ${n}${runs > 1 ? ' each' : ''}`;
}

function describeRow(row: PaceRow): string {
	return `${seconds(row.wallMs)} (limit ${seconds(row.boundMs)}, ${fixed(row.wallMs / row.boundMs, 2)}×), ${row.requests} requests, ${row.tooMany} × 429, ${row.delivered}/${row.n * row.runs} delivered${row.errors.length ? `; ${row.errors[0]}` : ''}`;
}

/** In the parent: what the emulator's log says about the case. */
function paceRow(
	emulator: RunComfyEmulator,
	one: PaceCase,
	mode: PaceMode,
	children: BusyChildResult[],
): PaceRow {
	const api = emulator.requests.filter((r) =>
		['submit', 'status', 'result', 'cancel'].includes(r.route),
	);
	const jobs = [...emulator.jobs.values()];
	const answered = new Map<string, number>();
	for (const request of api) {
		if (request.requestId && request.status !== 429) {
			answered.set(request.requestId, (answered.get(request.requestId) ?? 0) + 1);
		}
	}
	const start = Math.min(...children.map((child) => child.startedAt));
	const end = Math.max(...children.map((child) => child.startedAt + child.wallMs));
	const lastJobEndMs = jobs.length ? Math.max(...jobs.map((job) => job.endsAt)) - start : NaN;
	const items = one.n * one.runs;
	return {
		...one,
		mode,
		wallMs: end - start,
		walls: children.map((child) => child.wallMs),
		lastJobEndMs,
		boundMs: Math.max(lastJobEndMs || 0, ((2 * items) / one.limit) * 1000),
		requests: api.length,
		tooMany: api.filter((r) => r.status === 429).length,
		answeredPerJob: median(jobs.map((job) => answered.get(job.id) ?? 0)),
		jobs: jobs.length,
		delivered: children.reduce((sum, child) => sum + child.delivered.length, 0),
		peakRssGrowth: Math.max(...children.map((child) => child.peakRss - child.baselineRss)),
		errors: children.map((child) => child.error).filter((e): e is string => !!e),
	};
}

export function paceTable(rows: PaceRow[]): string {
	return table([
		[
			'real limit',
			'N',
			'budget',
			'wall',
			'physical limit',
			'wall/limit',
			'requests',
			'429s',
			'answered req/job (median)',
			'delivered',
			'peak RSS +',
		],
		...rows.map((r) => [
			r.runs > 1 ? `${r.limit}/s, ${r.runs} runs` : `${r.limit}/s`,
			r.runs > 1 ? `${r.n} each` : r.n,
			PACE_MODE_LABELS[r.mode],
			`${seconds(r.wallMs)}${r.runs > 1 ? ` (${r.walls.map(seconds).join(', ')})` : ''}${r.repeats ? ` median of ${r.repeats.length}` : ''}`,
			seconds(r.boundMs),
			`${fixed(r.wallMs / r.boundMs, 2)}×`,
			r.requests,
			`${r.tooMany} (${fixed((100 * r.tooMany) / Math.max(r.requests, 1), 1)} %)`,
			fixed(r.answeredPerJob, 1),
			`${r.delivered}/${r.n * r.runs}${r.errors.length ? ` (${r.errors[0].slice(0, 40)})` : ''}`,
			`${fixed(r.peakRssGrowth / 1024 / 1024, 1)} MiB`,
		]),
	]);
}

export interface PaceTarget {
	target: string;
	measured: string;
	met: boolean;
}

/** The issue's targets: at N = 1,000 the adaptive budget's; at N = 50 no slower than before. */
export function paceTargets(rows: PaceRow[]): PaceTarget[] {
	const targets: PaceTarget[] = [];
	for (const row of rows.filter((r) => r.mode === 'adaptive')) {
		const name = describeCase(row);
		const share = row.tooMany / Math.max(row.requests, 1);
		const ratio = row.wallMs / row.boundMs;
		if (row.n >= 1000) {
			targets.push(
				{
					target: `${name}: wall ≤ 1.10 × physical limit`,
					measured: `${seconds(row.wallMs)} = ${fixed(ratio, 2)}× ${seconds(row.boundMs)}, ${row.delivered}/${row.n * row.runs} delivered`,
					met: ratio <= 1.1 && row.delivered === row.n * row.runs,
				},
				{
					target: `${name}: 429s < 3 % of requests`,
					measured: `${row.tooMany} of ${row.requests} (${fixed(100 * share, 2)} %)`,
					met: share < 0.03,
				},
				{
					target: `${name}: ≤ 2.2 answered requests per job (median)`,
					measured: fixed(row.answeredPerJob, 1),
					met: row.answeredPerJob <= 2.2,
				},
			);
		}
		const before = rows.find(
			(r) => r.mode === 'fixed' && r.limit === row.limit && r.runs === row.runs && r.n === row.n,
		);
		if (row.n < 1000 && before) {
			const beforeDone = before.delivered === before.n * before.runs;
			targets.push({
				target: `${name}: no slower than the fixed budget`,
				measured: `${seconds(row.wallMs)} vs ${seconds(before.wallMs)}${beforeDone ? '' : ` (fixed: ${before.delivered}/${before.n * before.runs} delivered)`}`,
				met: row.delivered === row.n * row.runs && (!beforeDone || row.wallMs <= before.wallMs),
			});
		}
	}
	return targets;
}
