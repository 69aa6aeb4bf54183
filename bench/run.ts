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
 *   npm run bench -- --only pace     (#22: fixed beside adaptive budget; about an hour)
 *   BENCH_LIMITS=2,shared BENCH_SIZES=1000 BENCH_MODES=adaptive npm run bench -- --only pace
 *   BENCH_VARIANTS=ours,oursFixed npm run bench -- --only batch   (some contenders of the batch section)
 */
import './env';

import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';

import { FusionX } from '../nodes/FusionX/FusionX.node';
import { RunComfyEmulator } from '../test/emulator/emulator';
import { cleanUpBinaryData, Engine, FUSIONX_TYPE, useBinaryMode } from '../test/harness/engine';
import { runBatch, type BatchContext, type BatchRun, type FaultModel, type Variant } from './batch';
import {
	BUSY_LABELS,
	BUSY_SIZES,
	busyRow,
	busyService,
	describeBusyService,
	type BusyChildResult,
	type BusyContender,
	type BusyRow,
	type BusyTask,
} from './busy';
import type { MemoryResult, MemoryTask, OverheadResult, OverheadTask } from './child';
import { loadNodesBase, NODES_BASE_VERSION } from './nodes-base';
import { paceSection, paceService, type PaceRow } from './pace';
import { report, summarize } from './report';
import {
	describeMachine,
	FAULT_N,
	fixed,
	JOB_MEAN_MS,
	JOB_SPREAD,
	MEMORY_VIDEO_BYTES,
	MEMORY_VIDEOS,
	mib,
	ratio,
	seconds,
	SIZES,
} from './stats';
import { POLL_SECONDS } from './workflows';

const ROOT = path.join(__dirname, '..');
const SECTIONS = ['busy', 'pace', 'batch', 'faults', 'memory', 'overhead'] as const;
type Section = (typeof SECTIONS)[number];

const OVERHEAD_N = 100;

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
	if (!Number.isInteger(runs) || runs < 1)
		throw new Error(`--runs must be a whole number ≥ 1, got ${value('runs')}`);
	const only = (value('only') ?? SECTIONS.join(',')).split(',').map((s) => s.trim()) as Section[];
	const unknown = only.filter((section) => !SECTIONS.includes(section));
	if (unknown.length)
		throw new Error(`--only knows ${SECTIONS.join(', ')}; not ${unknown.join(', ')}`);
	return {
		quick,
		runs,
		only,
		out: path.resolve(value('out') ?? path.join(ROOT, 'bench', 'results', 'latest.json')),
		overheadItems: Number(value('overhead-items') ?? OVERHEAD_N),
		busySizes: (value('busy-sizes') ?? BUSY_SIZES.join(',')).split(',').map(Number),
		busyContenders: (value('busy-contenders') ?? 'ours,oursLegacy,handBuilt').split(
			',',
		) as BusyContender[],
	};
}

// ---- batch and faults (in this process) --------------------------------------------------------

/** How many runs a (variant, N) gets: a one-at-a-time batch of 10 or 50 is itself N jobs in a row, so once. */
function runsFor(args: Args, variant: Variant, n: number): number {
	if (variant === 'oneByOne' && n > 1) return args.quick && n === 50 ? 0 : 1;
	return args.runs;
}

function describeRun(run: BatchRun): string {
	const outcome = run.error
		? `FAILED after ${seconds(run.wallMs)}: ${run.error}`
		: `${seconds(run.wallMs)} (${ratio(run.ratio)} of ${seconds(run.idealMs)})`;
	return `${outcome}; ${run.delivered}/${run.n} delivered, ${run.jobsCreated} jobs, ${fixed(run.requestsPerJob, 1)} status+result calls per job`;
}

async function batchSection(context: BatchContext, args: Args): Promise<BatchRun[]> {
	console.log(`\n== Batch wall time and requests per job (N = ${SIZES.join(', ')}) ==`);
	const all: Variant[] = ['ours', 'oursFixed', 'oursLegacy', 'handBuilt', 'oneByOne'];
	const picked = process.env.BENCH_VARIANTS?.split(',').map((variant) => variant.trim());
	const variants = picked ? all.filter((variant) => picked.includes(variant)) : all;
	const runs: BatchRun[] = [];
	for (let run = 1; run <= args.runs; run++) {
		for (const n of SIZES) {
			for (const variant of variants) {
				if (run > runsFor(args, variant, n)) continue;
				const result = await runBatch(context, variant, n, run);
				console.log(
					`  ${variant.padEnd(9)} N=${String(n).padEnd(2)} run ${run}: ${describeRun(result)}`,
				);
				runs.push(result);
			}
		}
	}
	if (args.quick)
		console.log('  (--quick: the one-at-a-time batch of 50, about 4 minutes, is left out)');
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
			if (!answer)
				reject(
					new Error(
						`the ${task.kind} worker ended (${signal ?? `exit ${code}`}) without an answer`,
					),
				);
			else if (answer.error && code !== 0)
				reject(new Error(`the ${task.kind} worker failed: ${answer.error}`));
			else resolve(answer);
		});
		child.send(task);
	});
}

async function busySection(
	emulator: RunComfyEmulator,
	sizes: number[],
	contenders: BusyContender[],
): Promise<BusyRow[]> {
	console.log(
		`\n== Busy service (#15): N = ${sizes.join(', ')}; ${describeBusyService(sizes[0])} ==`,
	);
	const rows: BusyRow[] = [];
	for (const n of sizes) {
		for (const contender of contenders) {
			emulator.reset();
			emulator.setBusy(busyService(n));
			const task: BusyTask = {
				kind: 'busy',
				baseUrl: emulator.baseUrl,
				token: emulator.token,
				contender,
				n,
			};
			const child = await inChild<BusyChildResult>(task, 45 * 60_000);
			const row = busyRow(emulator, task, child);
			rows.push(row);
			console.log(
				`  ${BUSY_LABELS[contender]} N=${n}: ${seconds(row.wallMs)} (bound ${seconds(row.lowerBoundMs)}), ${row.requests} requests, ${row.tooMany} × 429, ${row.delivered}/${n} delivered${row.error ? `; error: ${row.error}` : ''}`,
			);
		}
	}
	emulator.setBusy(undefined);
	return rows;
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
			{
				kind: 'memory',
				baseUrl: emulator.baseUrl,
				token: emulator.token,
				videos: MEMORY_VIDEOS,
				videoBytes: MEMORY_VIDEO_BYTES,
			},
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
	console.log(
		`\n== Overhead (N = ${args.overheadItems}, the emulator answers at once, ${runs} runs after a warm-up) ==`,
	);
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
	const needsBase = args.only.some((section) => !['memory', 'busy', 'pace'].includes(section));
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
	let pace: PaceRow[] = [];
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
		if (args.only.includes('busy'))
			busy = await busySection(childEmulator, args.busySizes, args.busyContenders);
		if (args.only.includes('pace')) pace = await paceSection(childEmulator, inChild);
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
	const { text, targets } = report(busy, pace, batch, batchRuns, faults, memory, overhead);
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
				pace: { service: paceService(10, 1000), rows: pace },
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
