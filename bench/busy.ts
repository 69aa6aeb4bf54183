/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * Issue #15: big batches against a busy service. The emulator limits the API to 10 calls a second
 * (429 + Retry-After beyond it), runs 40 jobs at once and queues the rest, with log-normal run
 * times. Three contenders side by side, each alone in a child process (its peak RSS and CPU are
 * its own) while the emulator answers from this one: the node with its budget and look schedule,
 * the node's fixed-interval poller from before (an internal switch), and the hand-built HTTP
 * Request loop with Batching set to the same 8 requests a second. The node runs with the fixed
 * budget of issue 15 (8/s), as measured then; pace.ts puts it beside today's adaptive one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { POLLING_MODE } from '../nodes/shared/transport/budget';
import type { BusyService, RunComfyEmulator } from '../test/emulator/emulator';
import type { Engine } from '../test/harness/engine';
import { fixed, median, table } from './stats';
import { buildWorkflow } from './workflows';

export const BUSY_SIZES = [50, 1000];
export const BUSY_BUDGET = 8;
export const BUSY_POLL_SECONDS = 5;
export const busyService = (n: number): BusyService => ({
	ratePerSecond: 10,
	burst: 100,
	retryAfterSeconds: 1,
	slots: 40,
	runTime: { medianMs: 8000, sigma: 0.5, seed: 1500 + n },
});

export type BusyContender = 'ours' | 'oursLegacy' | 'handBuilt';
export const BUSY_LABELS: Record<BusyContender, string> = {
	ours: 'RunComfy FusionX: budget 8/s + look schedule',
	oursLegacy: 'RunComfy FusionX: fixed 5 s poller (before)',
	handBuilt: 'hand-built loop, Batching 8/s, Wait 5 s',
};

export interface BusyTask {
	kind: 'busy';
	baseUrl: string;
	token: string;
	contender: BusyContender;
	n: number;
	/**
	 * The node's budget: today's adaptive one (Max Requests per Second at its default), or the
	 * fixed 8/s of issue 15 (the default here, so this section measures what it measured then).
	 */
	budget?: 'fixed' | 'adaptive';
	/** Keeps the prompts of runs sharing one emulator apart. */
	prefix?: string;
}

export interface BusyChildResult {
	startedAt: number;
	wallMs: number;
	cpuMs: number;
	baselineRss: number;
	peakRss: number;
	delivered: string[];
	error?: string;
}

function vmHwm(): number {
	const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
	return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

/** In the child: one run of one contender. */
export async function busyRun(task: BusyTask, engine: Engine): Promise<BusyChildResult> {
	const items = Array.from({ length: task.n }, (_, index) => ({
		prompt: `${task.prefix ?? 'Busy job'} #${index}`,
		imageUrl: `${task.baseUrl}/images/start.png`,
	}));
	const api = { baseUrl: task.baseUrl, token: task.token };
	const fixedBudget = task.budget !== 'adaptive';
	const spec = buildWorkflow(
		task.contender === 'handBuilt' ? 'handBuilt' : 'ours',
		engine,
		api,
		items,
		{
			ours: {
				pollInterval: BUSY_POLL_SECONDS,
				maxJobs: task.n,
				...(fixedBudget ? { maxRequestsPerSecond: BUSY_BUDGET } : {}),
			},
			handBuilt: { pollSeconds: BUSY_POLL_SECONDS, batch: { size: BUSY_BUDGET, intervalMs: 1000 } },
		},
	);
	POLLING_MODE.legacy = task.contender === 'oursLegacy';
	POLLING_MODE.fixedBudget = fixedBudget;
	try {
		writeFileSync('/proc/self/clear_refs', '5');
	} catch {
		// not Linux: the peak is then the process's
	}
	const baselineRss = process.memoryUsage().rss;
	const cpu = process.cpuUsage();
	const startedAt = Date.now();
	const started = performance.now();
	const result = await engine.execute(spec.workflow, spec.resultNode, {}, 'Start');
	const wallMs = performance.now() - started;
	const used = process.cpuUsage(cpu);
	const output = (result.run.data.resultData.runData[spec.resultNode] ?? []).flatMap(
		(run) => run.data?.main?.[0] ?? [],
	);
	const delivered = output
		.filter(
			({ json }) =>
				json.status === 'completed' &&
				(json.videoUrl ?? (json.output as { video?: string })?.video),
		)
		.map(({ json }) => String(json.requestId ?? json.request_id));
	return {
		startedAt,
		wallMs,
		cpuMs: (used.user + used.system) / 1000,
		baselineRss,
		peakRss: vmHwm(),
		delivered,
		error: result.error?.message,
	};
}

export interface BusyRow {
	contender: BusyContender;
	n: number;
	wallMs: number;
	lastJobEndMs: number;
	lowerBoundMs: number;
	requests: number;
	requestsPerJobMedian: number;
	tooMany: number;
	lagP50Ms: number;
	lagP95Ms: number;
	peakRssGrowth: number;
	cpuMsPerItem: number;
	delivered: number;
	jobs: number;
	error?: string;
}

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
};

/** In the parent: what the emulator's log says about the run. */
export function busyRow(
	emulator: RunComfyEmulator,
	task: BusyTask,
	child: BusyChildResult,
): BusyRow {
	const api = emulator.requests.filter((r) =>
		['submit', 'status', 'result', 'cancel'].includes(r.route),
	);
	const jobs = [...emulator.jobs.values()];
	const perJob = new Map<string, number>();
	for (const request of api) {
		if (request.requestId) perJob.set(request.requestId, (perJob.get(request.requestId) ?? 0) + 1);
	}
	const lags: number[] = [];
	for (const job of jobs) {
		const seen = api.find(
			(r) =>
				r.requestId === job.id && r.route !== 'submit' && r.at >= job.endsAt && r.status === 200,
		);
		if (seen) lags.push(seen.at - job.endsAt);
	}
	const lastJobEndMs = jobs.length
		? Math.max(...jobs.map((job) => job.endsAt)) - child.startedAt
		: NaN;
	return {
		contender: task.contender,
		n: task.n,
		wallMs: child.wallMs,
		lastJobEndMs,
		lowerBoundMs: Math.max(lastJobEndMs, ((2 * task.n) / BUSY_BUDGET) * 1000),
		requests: api.length,
		requestsPerJobMedian: median(jobs.map((job) => perJob.get(job.id) ?? 0)),
		tooMany: api.filter((r) => r.status === 429).length,
		lagP50Ms: percentile(lags, 0.5),
		lagP95Ms: percentile(lags, 0.95),
		peakRssGrowth: child.peakRss - child.baselineRss,
		cpuMsPerItem: child.cpuMs / task.n,
		delivered: child.delivered.length,
		jobs: jobs.length,
		error: child.error,
	};
}

export function describeBusyService(n: number): string {
	const s = busyService(n);
	return `emulator: ${s.ratePerSecond} calls/s (token bucket, burst ${s.burst}), 429 + Retry-After: ${s.retryAfterSeconds} beyond; ${s.slots} jobs at once, the rest queued FIFO with positions; run times log-normal, median ${s.runTime.medianMs / 1000} s, sigma ${s.runTime.sigma} (mean ${fixed((s.runTime.medianMs * Math.exp(s.runTime.sigma ** 2 / 2)) / 1000, 2)} s), seed ${s.runTime.seed}`;
}

const secs = (ms: number) => `${fixed(ms / 1000, 1)} s`;

export function busyTable(rows: BusyRow[]): string {
	return table([
		[
			'contender',
			'N',
			'wall',
			'bound',
			'wall/bound',
			'requests',
			'req/job (median)',
			'429s',
			'lag p50',
			'lag p95',
			'peak RSS +',
			'CPU/item',
			'delivered',
		],
		...rows.map((r) => [
			BUSY_LABELS[r.contender],
			r.n,
			secs(r.wallMs),
			secs(r.lowerBoundMs),
			`${fixed(r.wallMs / r.lowerBoundMs, 2)}×`,
			r.requests,
			fixed(r.requestsPerJobMedian, 1),
			r.tooMany,
			secs(r.lagP50Ms),
			secs(r.lagP95Ms),
			`${fixed(r.peakRssGrowth / 1024 / 1024, 1)} MiB`,
			`${fixed(r.cpuMsPerItem, 2)} ms`,
			`${r.delivered}/${r.n}${r.error ? ` (${r.error.slice(0, 40)})` : ''}`,
		]),
	]);
}
