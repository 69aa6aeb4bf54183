/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions */
/**
 * `npm run bench`: the RunComfy FusionX node side by side with the loop users build by hand from
 * n8n's built-in nodes and with the one-item-at-a-time pattern of single-node peers, through n8n's
 * real WorkflowExecute against the RunComfy emulator. Prints the tables, writes
 * bench/results/latest.json. See BENCHMARKS.md for how to read them.
 *
 *   npm run bench                    full run (about 10 minutes on 2 cores)
 *   npm run bench -- --quick         one run of each, no one-at-a-time batch of 50 (about 3 minutes)
 *   npm run bench -- --only batch,faults,memory,overhead   some sections only
 *   npm run bench -- --runs 5        runs per measurement (default 3; --quick: 1)
 *   npm run bench -- --out file.json
 *   npm run bench -- --only busy --busy-sizes 1000 --busy-contenders ours   (#15, one contender)
 */
import './env';

import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';

import { FusionX } from '../nodes/FusionX/FusionX.node';
import { RunComfyEmulator } from '../test/emulator/emulator';
import { cleanUpBinaryData, Engine, FUSIONX_TYPE, useBinaryMode } from '../test/harness/engine';
import {
	runBatch,
	VARIANT_LABELS,
	type BatchContext,
	type BatchRun,
	type FaultModel,
	type Variant,
} from './batch';
import {
	BUSY_LABELS,
	BUSY_SIZES,
	busyRow,
	busyService,
	busyTable,
	describeBusyService,
	type BusyChildResult,
	type BusyContender,
	type BusyRow,
	type BusyTask,
} from './busy';
import type { MemoryResult, MemoryTask, OverheadResult, OverheadTask } from './child';
import { loadNodesBase, NODES_BASE_VERSION } from './nodes-base';
import {
	describeMachine,
	fixed,
	JOB_MEAN_MS,
	JOB_SPREAD,
	median,
	spread,
	table,
} from './stats';
import { POLL_SECONDS } from './workflows';

const ROOT = path.join(__dirname, '..');
const SECTIONS = ['busy', 'batch', 'faults', 'memory', 'overhead'] as const;
type Section = (typeof SECTIONS)[number];

const SIZES = [1, 10, 50];
const FAULT_N = 50;
const MEMORY_VIDEOS = 10;
const MEMORY_VIDEO_BYTES = 50 * 1024 * 1024;
const OVERHEAD_N = 100;
const MiB = 1024 * 1024;

interface Args {
	quick: boolean;
	runs: number;
	only: Section[];
	out: string;
	overheadItems: number;
	busySizes: number[];
	busyContenders: BusyContender[];
}

function parseArgs(argv: string[]): Args {
	const value = (name: string) => {
		const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
		if (index < 0) return undefined;
		const arg = argv[index];
		return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
	};
	const quick = argv.includes('--quick');
	const runs = Number(value('runs') ?? (quick ? 1 : 3));
	if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${value('runs')}`);
	const only = (value('only') ?? SECTIONS.join(',')).split(',').map((s) => s.trim()) as Section[];
	const unknown = only.filter((section) => !SECTIONS.includes(section));
	if (unknown.length) throw new Error(`--only knows ${SECTIONS.join(', ')}; not ${unknown.join(', ')}`);
	return {
		quick,
		runs,
		only,
		out: path.resolve(value('out') ?? path.join(ROOT, 'bench', 'results', 'latest.json')),
		overheadItems: Number(value('overhead-items') ?? OVERHEAD_N),
		busySizes: (value('busy-sizes') ?? BUSY_SIZES.join(',')).split(',').map(Number),
		busyContenders: (value('busy-contenders') ?? 'ours,oursLegacy,handBuilt').split(',') as BusyContender[],
	};
}

const seconds = (ms: number) => `${fixed(ms / 1000, 2)} s`;
const ratio = (value: number) => `${fixed(value, 2)}×`;
const mib = (bytes: number) => `${fixed(bytes / MiB, 1)} MiB`;

// ---- batch and faults (in this process) --------------------------------------------------------

/** How many runs a (variant, N) gets: a one-at-a-time batch of 10 or 50 is itself N jobs in a row, so once. */
function runsFor(args: Args, variant: Variant, n: number): number {
	if (variant === 'oneByOne' && n > 1) return args.quick && n === 50 ? 0 : 1;
	return args.runs;
}

function describeRun(run: BatchRun): string {
	const outcome = run.error ? `FAILED after ${seconds(run.wallMs)}: ${run.error}` : `${seconds(run.wallMs)} (${ratio(run.ratio)} of ${seconds(run.idealMs)})`;
	return `${outcome}; ${run.delivered}/${run.n} delivered, ${run.jobsCreated} jobs, ${fixed(run.requestsPerJob, 1)} status+result calls per job`;
}

interface BatchSummary {
	variant: Variant;
	faults: FaultModel | null;
	label: string;
	n: number;
	runs: number;
	wallMs: number;
	idealMs: number;
	ratio: number;
	ratioMin: number;
	ratioMax: number;
	statusPerJob: number;
	resultPerJob: number;
	requestsPerJob: number;
	delivered: number;
	deliveredMin: number;
	jobsPerItem: number;
	jobsPerItemMax: number;
	orphaned: number;
	faultedCalls: number;
	failedRuns: number;
	errors: string[];
	lastSubmitMs: number;
	earlyCallsPerJob: number;
	lagMedianMs: number;
	lastJobLagMs: number;
	tailMs: number;
}

function summarize(runs: BatchRun[]): BatchSummary[] {
	const groups = new Map<string, BatchRun[]>();
	for (const run of runs) {
		const key = `${run.variant}|${run.n}|${run.faults}`;
		groups.set(key, [...(groups.get(key) ?? []), run]);
	}
	return [...groups.values()].map((group) => {
		const { variant, n, faults } = group[0];
		const ratios = group.map((run) => run.ratio);
		return {
			variant,
			faults,
			label: VARIANT_LABELS[variant],
			n,
			runs: group.length,
			wallMs: median(group.map((run) => run.wallMs)),
			idealMs: median(group.map((run) => run.idealMs)),
			ratio: median(ratios),
			ratioMin: spread(ratios).min,
			ratioMax: spread(ratios).max,
			statusPerJob: median(group.map((run) => run.statusCalls / run.jobsCreated)),
			resultPerJob: median(group.map((run) => run.resultCalls / run.jobsCreated)),
			requestsPerJob: median(group.map((run) => run.requestsPerJob)),
			delivered: median(group.map((run) => run.delivered)),
			deliveredMin: Math.min(...group.map((run) => run.delivered)),
			jobsPerItem: median(group.map((run) => run.jobsCreated / run.n)),
			jobsPerItemMax: Math.max(...group.map((run) => run.jobsCreated / run.n)),
			orphaned: median(group.map((run) => run.orphaned)),
			faultedCalls: median(group.map((run) => run.faultedCalls)),
			failedRuns: group.filter((run) => run.error).length,
			errors: [...new Set(group.map((run) => run.error).filter((e): e is string => !!e))],
			lastSubmitMs: median(group.map((run) => run.lastSubmitMs)),
			earlyCallsPerJob: median(group.map((run) => run.earlyCallsPerJob)),
			lagMedianMs: median(group.map((run) => run.lagMedianMs)),
			lastJobLagMs: median(group.map((run) => run.lastJobLagMs)),
			tailMs: median(group.map((run) => run.tailMs)),
		};
	});
}

async function batchSection(context: BatchContext, args: Args): Promise<BatchRun[]> {
	console.log(`\n== Batch wall time and requests per job (N = ${SIZES.join(', ')}) ==`);
	const variants: Variant[] = ['ours', 'oursLegacy', 'handBuilt', 'oneByOne'];
	const runs: BatchRun[] = [];
	for (let run = 1; run <= args.runs; run++) {
		for (const n of SIZES) {
			for (const variant of variants) {
				if (run > runsFor(args, variant, n)) continue;
				const result = await runBatch(context, variant, n, run);
				console.log(`  ${variant.padEnd(9)} N=${String(n).padEnd(2)} run ${run}: ${describeRun(result)}`);
				runs.push(result);
			}
		}
	}
	if (args.quick) console.log('  (--quick: the one-at-a-time batch of 50, about 4 minutes, is left out)');
	return runs;
}

const FAULT_MODELS: Record<FaultModel, string> = {
	every: 'every 7th status/result call 503, every 5th 429 (per route)',
	random: 'same rates at random (seeded): 1/7 503, 1/5 429',
};

async function faultSection(context: BatchContext, args: Args): Promise<BatchRun[]> {
	console.log(
		`\n== Faults (N = ${FAULT_N}; 1 in 7 status/result calls answers 503, 1 in 5 answers 429 with Retry-After: 1) ==`,
	);
	const variants: Variant[] = ['ours', 'oursContinue', 'handBuilt', 'handBuiltRetry', 'oneByOne'];
	const runs: BatchRun[] = [];
	for (const model of Object.keys(FAULT_MODELS) as FaultModel[]) {
		console.log(`  -- ${FAULT_MODELS[model]}`);
		for (let run = 1; run <= args.runs; run++) {
			for (const variant of variants) {
				// One run: the one-at-a-time loop fails at once; Continue On Fail only shows the blast radius.
				if ((variant === 'oneByOne' || variant === 'oursContinue') && run > 1) continue;
				const result = await runBatch(context, variant, FAULT_N, run, { faults: model });
				console.log(`  ${variant.padEnd(14)} run ${run}: ${describeRun(result)}`);
				runs.push(result);
			}
		}
	}
	return runs;
}

// ---- memory and overhead (engine in a child process, emulator here) ----------------------------

function inChild<T>(task: MemoryTask | OverheadTask | BusyTask, timeoutMs: number): Promise<T> {
	const child = fork(path.join(__dirname, 'child.ts'), [], {
		cwd: ROOT,
		execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true', TS_NODE_TRANSPILE_ONLY: 'true' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	return new Promise<T>((resolve, reject) => {
		let answer: (T & { error?: string }) | undefined;
		const timer = setTimeout(() => child.kill(), timeoutMs);
		child.once('message', (message) => (answer = message as T & { error?: string }));
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			if (!answer) reject(new Error(`the ${task.kind} worker ended (${signal ?? `exit ${code}`}) without an answer`));
			else if (answer.error && code !== 0) reject(new Error(`the ${task.kind} worker failed: ${answer.error}`));
			else resolve(answer);
		});
		child.send(task);
	});
}

async function busySection(emulator: RunComfyEmulator, sizes: number[], contenders: BusyContender[]): Promise<BusyRow[]> {
	console.log(`\n== Busy service (#15): N = ${sizes.join(', ')}; ${describeBusyService(sizes[0])} ==`);
	const rows: BusyRow[] = [];
	for (const n of sizes) {
		for (const contender of contenders) {
			emulator.reset();
			emulator.setBusy(busyService(n));
			const task: BusyTask = { kind: 'busy', baseUrl: emulator.baseUrl, token: emulator.token, contender, n };
			const child = await inChild<BusyChildResult>(task, 45 * 60_000);
			const row = busyRow(emulator, task, child);
			rows.push(row);
			console.log(`  ${BUSY_LABELS[contender]} N=${n}: ${seconds(row.wallMs)} (bound ${seconds(row.lowerBoundMs)}), ${row.requests} requests, ${row.tooMany} × 429, ${row.delivered}/${n} delivered${row.error ? `; error: ${row.error}` : ''}`);
		}
	}
	emulator.setBusy(undefined);
	return rows;
}

function busyTargets(rows: BusyRow[]): Target[] {
	const targets: Target[] = [];
	const ours = rows.find((r) => r.contender === 'ours' && r.n === 1000);
	if (ours) {
		targets.push(
			{ target: 'busy N = 1,000 (#15): zero 429s', measured: String(ours.tooMany), met: ours.tooMany === 0 },
			{ target: 'busy N = 1,000 (#15): ≤ 3 requests per job (median)', measured: fixed(ours.requestsPerJobMedian, 1), met: ours.requestsPerJobMedian <= 3 },
			{
				target: 'busy N = 1,000 (#15): wall ≤ 1.15 × max(last job end, 2N ÷ budget)',
				measured: `${seconds(ours.wallMs)} = ${ratio(ours.wallMs / ours.lowerBoundMs)} of ${seconds(ours.lowerBoundMs)}`,
				met: ours.wallMs <= 1.15 * ours.lowerBoundMs && ours.delivered === ours.n,
			},
		);
	}
	const small = rows.find((r) => r.contender === 'ours' && r.n === 50);
	const smallBefore = rows.find((r) => r.contender === 'oursLegacy' && r.n === 50);
	if (small && smallBefore) {
		targets.push({
			target: 'busy N = 50 (#15): no slower than the fixed-interval poller',
			measured: `${seconds(small.wallMs)} vs ${seconds(smallBefore.wallMs)}`,
			met: small.wallMs <= smallBefore.wallMs,
		});
	}
	return targets;
}

async function memorySection(emulator: RunComfyEmulator, args: Args): Promise<MemoryResult[]> {
	console.log(
		`\n== Memory (${MEMORY_VIDEOS} videos of ${mib(MEMORY_VIDEO_BYTES)}, Download Video on, filesystem binary mode) ==`,
	);
	const results: MemoryResult[] = [];
	for (let run = 1; run <= args.runs; run++) {
		emulator.reset();
		emulator.onSubmit = (body) => ({
			queueMs: 0,
			durationMs: 0,
			videoBytes: String(body['600_prompt']).startsWith('warm-up') ? 64 * 1024 : MEMORY_VIDEO_BYTES,
		});
		const result = await inChild<MemoryResult>(
			{ kind: 'memory', baseUrl: emulator.baseUrl, token: emulator.token, videos: MEMORY_VIDEOS, videoBytes: MEMORY_VIDEO_BYTES },
			300_000,
		);
		results.push(result);
		const growth = result.peakRss - result.baselineRss;
		console.log(
			`  run ${run}: ${result.delivered}/${MEMORY_VIDEOS} stored (${mib(result.bytesStored)}) in ${seconds(result.wallMs)}; RSS ${mib(result.baselineRss)} → peak ${mib(result.peakRss)} (+${mib(growth)}, ${fixed((100 * growth) / (MEMORY_VIDEOS * MEMORY_VIDEO_BYTES), 1)} % of the bytes); heap used peak +${mib(result.peakHeapUsed - result.baselineHeapUsed)}${result.error ? `; error: ${result.error}` : ''}`,
		);
	}
	return results;
}

async function overheadSection(emulator: RunComfyEmulator, args: Args): Promise<OverheadResult> {
	const runs = Math.max(args.runs, args.quick ? 3 : 5);
	console.log(`\n== Overhead (N = ${args.overheadItems}, the emulator answers at once, ${runs} runs after a warm-up) ==`);
	emulator.reset();
	const result = await inChild<OverheadResult>(
		{
			kind: 'overhead',
			baseUrl: emulator.baseUrl,
			token: emulator.token,
			n: args.overheadItems,
			runs,
			contenders: ['ours', 'handBuilt'],
			profile: true,
		},
		300_000,
	);
	for (const entry of result.contenders) {
		console.log(
			`  ${entry.contender.padEnd(9)} CPU per item ${entry.cpuMsPerItem.map((ms) => fixed(ms, 2)).join(', ')} ms (whole engine process)`,
		);
		if (entry.profile) {
			console.log(
				`            profiled: ${fixed(entry.profile.inNodeMsPerItem, 2)} ms/item with node code on the stack, ${fixed(entry.profile.nodeSelfMsPerItem, 2)} ms/item in the node's own code`,
			);
		}
	}
	return result;
}

// ---- report -------------------------------------------------------------------------------------

interface Target {
	target: string;
	measured: string;
	met: boolean | null;
}

function report(
	busy: BusyRow[],
	batch: BatchSummary[],
	batchRuns: BatchRun[],
	faults: BatchSummary[],
	memory: MemoryResult[],
	overhead: OverheadResult | undefined,
): { text: string; targets: Target[] } {
	const out: string[] = [];
	const targets: Target[] = [];
	if (busy.length) {
		out.push(`Busy service (#15) — ${describeBusyService(busy[0].n)}; node: Max Requests per Second 8, Poll Interval 5 s; bound = max(last job end, 2N ÷ 8/s)`);
		out.push(busyTable(busy), '');
		targets.push(...busyTargets(busy));
	}
	if (batch.length) {
		out.push(
			`Batch wall time and requests per job — jobs ${JOB_MEAN_MS / 1000} s ± ${JOB_SPREAD * 100} %, poll every ${POLL_SECONDS} s; medians`,
		);
		const rows: Array<Array<string | number>> = [
			['contender', 'N', 'runs', 'wall', 'ideal', 'wall/ideal', '(min–max)', 'status/job', 'result/job', 'calls/job', 'delivered'],
		];
		for (const n of SIZES) {
			for (const s of batch.filter((entry) => entry.n === n)) {
				rows.push([
					s.label,
					n,
					s.runs,
					seconds(s.wallMs),
					seconds(s.idealMs),
					ratio(s.ratio),
					s.runs > 1 ? `${fixed(s.ratioMin, 2)}–${fixed(s.ratioMax, 2)}` : '',
					fixed(s.statusPerJob, 2),
					fixed(s.resultPerJob, 2),
					fixed(s.requestsPerJob, 2),
					`${s.delivered}/${n}`,
				]);
			}
		}
		out.push(table(rows));
		out.push(
			'',
			'Where the time and the calls go (medians): last submit = when the last job was created; lag = from a job\'s end to the call that saw it finished; tail = from that call for the job that ended last to the end of the run; early calls = calls less than one poll interval after the job\'s submit',
			table([
				['contender', 'N', 'last submit', 'lag (median job)', 'lag (last job)', 'tail', 'early calls/job'],
				...batch
					.filter((s) => s.variant !== 'oneByOne' || s.n === 1)
					.map((s) => [
						s.label,
						s.n,
						seconds(s.lastSubmitMs),
						seconds(s.lagMedianMs),
						seconds(s.lastJobLagMs),
						seconds(s.tailMs),
						fixed(s.earlyCallsPerJob, 2),
					]),
			]),
		);
		const ours = batch.find((s) => s.variant === 'ours' && s.n === 50);
		const hand = batch.find((s) => s.variant === 'handBuilt' && s.n === 50);
		const legacy = batch.find((s) => s.variant === 'oursLegacy' && s.n === 50);
		if (ours && legacy) {
			targets.push({
				target: 'N = 50 (#15): no slower than the fixed-interval poller before the budget',
				measured: `${seconds(ours.wallMs)} vs ${seconds(legacy.wallMs)} (medians); calls/job ${fixed(ours.requestsPerJob, 2)} vs ${fixed(legacy.requestsPerJob, 2)}`,
				met: ours.wallMs <= legacy.wallMs,
			});
		}
		if (ours) {
			targets.push({
				target: 'N = 50: wall time ≤ 1.15× the longest job',
				measured: `${ratio(ours.ratio)} (median of ${ours.runs}; ${fixed(ours.ratioMin, 2)}–${fixed(ours.ratioMax, 2)})`,
				met: ours.ratio <= 1.15,
			});
		}
		if (ours && hand) {
			const pairs = batchRuns
				.filter((run) => run.variant === 'ours' && run.n === 50)
				.map((run) => [run, batchRuns.find((other) => other.variant === 'handBuilt' && other.n === 50 && other.run === run.run)] as const)
				.filter((pair): pair is readonly [BatchRun, BatchRun] => !!pair[1]);
			const behind = pairs.filter(([o, h]) => o.wallMs > h.wallMs);
			targets.push({
				target: 'N = 50: never behind the hand-built loop (same job durations, run by run)',
				measured: `${seconds(ours.wallMs)} vs ${seconds(hand.wallMs)} (medians); behind in ${behind.length} of ${pairs.length} runs${behind.length ? ` (by ${behind.map(([o, h]) => seconds(o.wallMs - h.wallMs)).join(', ')})` : ''}`,
				met: behind.length === 0,
			});
			targets.push({
				target: "N = 50: status/result calls per job ≤ the hand-built loop's",
				measured: `${fixed(ours.requestsPerJob, 2)} vs ${fixed(hand.requestsPerJob, 2)}`,
				met: ours.requestsPerJob <= hand.requestsPerJob,
			});
		}
	}
	if (faults.length) {
		out.push(
			'',
			`Faults — N = ${FAULT_N}; 1 in 7 status/result calls answers 503, 1 in 5 answers 429 with Retry-After: 1; medians`,
		);
		const rows: Array<Array<string | number>> = [
			['fault model', 'contender', 'runs', 'delivered', 'jobs/item', 'orphaned', 'wall', 'calls/job', 'faulted', 'outcome'],
		];
		for (const s of faults) {
			rows.push([
				s.faults ?? '',
				s.label,
				s.runs,
				`${s.delivered}/${s.n}`,
				fixed(s.jobsPerItem, 2),
				s.orphaned,
				seconds(s.wallMs),
				fixed(s.requestsPerJob, 2),
				s.faultedCalls,
				s.failedRuns ? `failed ${s.failedRuns}/${s.runs}: ${s.errors[0]}`.slice(0, 80) : 'completed',
			]);
		}
		out.push(table(rows));
		for (const s of faults.filter((entry) => entry.variant === 'ours')) {
			targets.push({
				target: `faults (${s.faults}): every item delivered, exactly one job per item`,
				measured: `${s.deliveredMin}/${s.n} delivered in the worst of ${s.runs} run${s.runs === 1 ? '' : 's'} (${s.failedRuns} failed), ${fixed(s.jobsPerItemMax, 2)} jobs per item at most`,
				met: s.failedRuns === 0 && s.deliveredMin === s.n && s.jobsPerItemMax === 1,
			});
		}
	}
	if (memory.length) {
		const total = MEMORY_VIDEOS * MEMORY_VIDEO_BYTES;
		const growth = median(memory.map((m) => m.peakRss - m.baselineRss));
		const heap = median(memory.map((m) => m.peakHeapUsed - m.baselineHeapUsed));
		const buffers = median(memory.map((m) => m.peakArrayBuffers - m.baselineArrayBuffers));
		out.push('', `Memory — ${MEMORY_VIDEOS} videos × ${mib(MEMORY_VIDEO_BYTES)} = ${mib(total)} downloaded to binary (filesystem mode); medians of ${memory.length}`);
		out.push(
			table([
				['measure', 'value', 'of the bytes'],
				['stored on disk', `${mib(median(memory.map((m) => m.bytesStored)))} (${median(memory.map((m) => m.delivered))}/${MEMORY_VIDEOS} files complete)`, ''],
				['RSS before', mib(median(memory.map((m) => m.baselineRss))), ''],
				[`peak RSS (${memory[0].peakRssSource})`, mib(median(memory.map((m) => m.peakRss))), ''],
				['peak RSS growth', mib(growth), `${fixed((100 * growth) / total, 1)} %`],
				['peak heap used growth', mib(heap), `${fixed((100 * heap) / total, 1)} %`],
				['peak array buffers growth', mib(buffers), `${fixed((100 * buffers) / total, 1)} %`],
				['wall time', seconds(median(memory.map((m) => m.wallMs))), ''],
			]),
		);
		targets.push({
			target: 'memory: peak RSS growth < 25 % of the bytes downloaded',
			measured: `${mib(growth)} = ${fixed((100 * growth) / total, 1)} % of ${mib(total)}`,
			met: growth < 0.25 * total && memory.every((m) => m.delivered === MEMORY_VIDEOS),
		});
	}
	if (overhead) {
		out.push('', `Overhead — CPU per item, N = ${overhead.n}, the emulator (another process) answering at once; medians`);
		const rows: Array<Array<string | number>> = [['contender', 'runs', 'CPU/item (engine process)', '(min–max)', 'wall per run']];
		for (const entry of overhead.contenders) {
			rows.push([
				VARIANT_LABELS[entry.contender],
				entry.cpuMsPerItem.length,
				`${fixed(median(entry.cpuMsPerItem), 2)} ms`,
				`${fixed(spread(entry.cpuMsPerItem).min, 2)}–${fixed(spread(entry.cpuMsPerItem).max, 2)}`,
				seconds(median(entry.wallMs)),
			]);
		}
		out.push(table(rows));
		const ours = overhead.contenders.find((entry) => entry.contender === 'ours');
		if (ours?.profile) {
			const p = ours.profile;
			const cpu = median(ours.cpuMsPerItem);
			out.push(
				'',
				`Where the node's CPU goes — one more run under V8's sampling profiler (main thread; the profiler slows it: ${fixed(p.busyMsPerItem, 2)} ms/item busy). The estimate is the share × the ${fixed(cpu, 2)} ms/item measured without the profiler.`,
				table([
					['category', 'share', 'est. ms/item'],
					...p.byCategory.map((c) => [c.category, `${fixed(100 * c.share, 1)} %`, fixed(c.share * cpu, 2)]),
				]),
				'',
				`Node code on the stack: ${fixed(p.inNodeMsPerItem, 2)} ms/item as profiled (its own lines alone: ${fixed(p.nodeSelfMsPerItem, 2)}); by the node's outermost function:`,
				table([['node function', 'ms/item (profiled)'], ...p.byStage.map((s) => [s.stage, fixed(s.msPerItem, 3)])]),
			);
		}
		if (ours) {
			const cpu = median(ours.cpuMsPerItem);
			targets.push({
				target: 'overhead: < 5 ms CPU per item in the node',
				measured: `${fixed(cpu, 2)} ms/item for the whole engine process (n8n + HTTP client + node)${ours.profile ? `; ${fixed(ours.profile.inNodeMsPerItem, 2)} ms/item with node code on the stack` : ''}`,
				met: ours.profile ? ours.profile.inNodeMsPerItem < 5 : cpu < 5,
			});
		}
	}
	if (targets.length) {
		out.push('', 'Targets (issues 5 and 15)');
		out.push(table([['target', 'measured', 'met'], ...targets.map((t) => [t.target, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'NO'])]));
	}
	return { text: out.join('\n'), targets };
}

// ---- main ---------------------------------------------------------------------------------------

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const machine = describeMachine();
	const started = Date.now();
	console.log(
		`RunComfy FusionX benchmark${args.quick ? ' (--quick)' : ''}: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, n8n-core ${machine.n8nCore}, n8n-nodes-base ${NODES_BASE_VERSION}`,
	);
	if (machine.loadAverageAtStart > 0.5 * machine.cores) {
		console.log(
			`Note: the load average is ${machine.loadAverageAtStart} on ${machine.cores} cores: other work is running, wall and CPU times will be noisy.`,
		);
	}
	const needsBase = args.only.some((section) => section !== 'memory' && section !== 'busy');
	const base = needsBase ? await loadNodesBase() : {};

	const emulator = new RunComfyEmulator({ queueMs: 0, durationMs: JOB_MEAN_MS });
	const baseUrl = await emulator.start();
	const childEmulator = new RunComfyEmulator({ queueMs: 0, durationMs: 0, fetchImages: false });
	await childEmulator.start();
	await useBinaryMode('filesystem');
	const engine = new Engine({ [FUSIONX_TYPE]: new FusionX(), ...base });
	engine.credentialsHelper.credentials = { runComfyApi: { apiToken: emulator.token, baseUrl } };
	const context: BatchContext = { emulator, engine, baseUrl, token: emulator.token };

	let busy: BusyRow[] = [];
	let batchRuns: BatchRun[] = [];
	let faultRuns: BatchRun[] = [];
	let memory: MemoryResult[] = [];
	let overhead: OverheadResult | undefined;
	try {
		if (args.only.includes('batch') || args.only.includes('faults')) {
			// Warm-up: every contender once, so no measured run pays for loading and compiling code.
			for (const variant of ['ours', 'handBuilt', 'oneByOne'] as const) {
				await runBatch(context, variant, 2, 0, { durations: [200, 200] });
			}
		}
		if (args.only.includes('busy')) busy = await busySection(childEmulator, args.busySizes, args.busyContenders);
		if (args.only.includes('batch')) batchRuns = await batchSection(context, args);
		if (args.only.includes('faults')) faultRuns = await faultSection(context, args);
		if (args.only.includes('memory')) memory = await memorySection(childEmulator, args);
		if (args.only.includes('overhead')) overhead = await overheadSection(childEmulator, args);
	} finally {
		await emulator.stop();
		await childEmulator.stop();
		cleanUpBinaryData();
	}

	const batch = summarize(batchRuns);
	const faults = summarize(faultRuns);
	const { text, targets } = report(busy, batch, batchRuns, faults, memory, overhead);
	const elapsed = Math.round((Date.now() - started) / 1000);
	console.log(`\n${text}\n\n(${Math.floor(elapsed / 60)} min ${elapsed % 60} s)`);

	mkdirSync(path.dirname(args.out), { recursive: true });
	writeFileSync(
		args.out,
		`${JSON.stringify(
			{
				generatedAt: new Date().toISOString(),
				elapsedSeconds: elapsed,
				loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100,
				options: { quick: args.quick, runs: args.runs, only: args.only },
				machine: { ...machine, n8nNodesBase: NODES_BASE_VERSION },
				jobs: { meanMs: JOB_MEAN_MS, spread: JOB_SPREAD, queueMs: 0, pollSeconds: POLL_SECONDS },
				busy: { service: busyService(1000), rows: busy },
				batch: { summary: batch, runs: batchRuns },
				faults: { summary: faults, runs: faultRuns },
				memory: { videos: MEMORY_VIDEOS, videoBytes: MEMORY_VIDEO_BYTES, runs: memory },
				overhead,
				targets,
			},
			null,
			2,
		)}\n`,
	);
	console.log(`Written: ${path.relative(process.cwd(), args.out)}`);
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
