/** The benchmark's report: each section's table and the targets it measures, from the runs. */
import { VARIANT_LABELS, type BatchRun, type FaultModel, type Variant } from './batch';
import { busyTable, describeBusyService, type BusyRow } from './busy';
import type { MemoryResult, OverheadResult } from './child';
import { paceTable, paceTargets, type PaceRow } from './pace';
import {
	FAULT_N,
	fixed,
	JOB_MEAN_MS,
	JOB_SPREAD,
	median,
	MEMORY_VIDEO_BYTES,
	MEMORY_VIDEOS,
	mib,
	ratio,
	seconds,
	SIZES,
	spread,
	table,
} from './stats';
import { POLL_SECONDS } from './workflows';

export interface Target {
	target: string;
	measured: string;
	met: boolean | null;
}

/** One section of the report: its lines and the targets it measured. */
interface Section {
	lines: string[];
	targets: Target[];
}

export interface BatchSummary {
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

/** Medians per (contender, N, fault model) over the runs. */
export function summarize(runs: BatchRun[]): BatchSummary[] {
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

export function report(
	busy: BusyRow[],
	pace: PaceRow[],
	batch: BatchSummary[],
	batchRuns: BatchRun[],
	faults: BatchSummary[],
	memory: MemoryResult[],
	overhead: OverheadResult | undefined,
): { text: string; targets: Target[] } {
	const sections: Section[] = [];
	if (busy.length) sections.push(busySection(busy));
	if (pace.length) sections.push(paceSection(pace));
	if (batch.length) sections.push(batchSection(batch), batchTargets(batch, batchRuns));
	if (faults.length) sections.push(faultSection(faults));
	if (memory.length) sections.push(memorySection(memory));
	if (overhead) sections.push(overheadSection(overhead));
	const out = sections.flatMap((section) => section.lines);
	const targets = sections.flatMap((section) => section.targets);
	if (targets.length) {
		out.push('', 'Targets (issues 5, 15 and 22)');
		out.push(
			table([
				['target', 'measured', 'met'],
				...targets.map((t) => [t.target, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'NO']),
			]),
		);
	}
	return { text: out.join('\n'), targets };
}

function busySection(busy: BusyRow[]): Section {
	return {
		lines: [
			`Busy service (#15) — ${describeBusyService(busy[0].n)}; node: Max Requests per Second 8, Poll Interval 5 s; bound = max(last job end, 2N ÷ 8/s)`,
			busyTable(busy),
			'',
		],
		targets: busyTargets(busy),
	};
}

function paceSection(pace: PaceRow[]): Section {
	return {
		lines: [
			'Adaptive budget (#22) — emulator busy mode: the real limit as a token bucket (burst 10 s of it), 429 + Retry-After: 1 beyond; 40 jobs at once, the rest queued; run times log-normal, median 8 s, sigma 0.5; node: Poll Interval 5 s; physical limit = max(last job end, 2 requests per item ÷ the real limit)',
			paceTable(pace),
			'',
		],
		targets: paceTargets(pace),
	};
}

function batchSection(batch: BatchSummary[]): Section {
	const out: string[] = [];
	out.push(
		`Batch wall time and requests per job — jobs ${JOB_MEAN_MS / 1000} s ± ${JOB_SPREAD * 100} %, poll every ${POLL_SECONDS} s; medians`,
	);
	const rows: Array<Array<string | number>> = [
		[
			'contender',
			'N',
			'runs',
			'wall',
			'ideal',
			'wall/ideal',
			'(min–max)',
			'status/job',
			'result/job',
			'calls/job',
			'delivered',
		],
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
		"Where the time and the calls go (medians): last submit = when the last job was created; lag = from a job's end to the call that saw it finished; tail = from that call for the job that ended last to the end of the run; early calls = calls less than one poll interval after the job's submit",
		table([
			[
				'contender',
				'N',
				'last submit',
				'lag (median job)',
				'lag (last job)',
				'tail',
				'early calls/job',
			],
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

	return { lines: out, targets: [] };
}

function batchTargets(batch: BatchSummary[], batchRuns: BatchRun[]): Section {
	const targets: Target[] = [];
	const ours = batch.find((s) => s.variant === 'ours' && s.n === 50);
	const hand = batch.find((s) => s.variant === 'handBuilt' && s.n === 50);
	const legacy = batch.find((s) => s.variant === 'oursLegacy' && s.n === 50);
	const fixedBudget = batch.find((s) => s.variant === 'oursFixed' && s.n === 50);
	if (ours && fixedBudget) {
		targets.push({
			target: 'N = 50 (#22): no slower than the fixed budget of before',
			measured: `${seconds(ours.wallMs)} vs ${seconds(fixedBudget.wallMs)} (medians); calls/job ${fixed(ours.requestsPerJob, 2)} vs ${fixed(fixedBudget.requestsPerJob, 2)}`,
			met: ours.wallMs <= fixedBudget.wallMs,
		});
	}
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
			.map(
				(run) =>
					[
						run,
						batchRuns.find(
							(other) => other.variant === 'handBuilt' && other.n === 50 && other.run === run.run,
						),
					] as const,
			)
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
	return { lines: [], targets };
}

function faultSection(faults: BatchSummary[]): Section {
	const out: string[] = [];
	const targets: Target[] = [];
	out.push(
		'',
		`Faults — N = ${FAULT_N}; 1 in 7 status/result calls answers 503, 1 in 5 answers 429 with Retry-After: 1; medians`,
	);
	const rows: Array<Array<string | number>> = [
		[
			'fault model',
			'contender',
			'runs',
			'delivered',
			'jobs/item',
			'orphaned',
			'wall',
			'calls/job',
			'faulted',
			'outcome',
		],
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
	return { lines: out, targets };
}

function memorySection(memory: MemoryResult[]): Section {
	const out: string[] = [];
	const targets: Target[] = [];
	const total = MEMORY_VIDEOS * MEMORY_VIDEO_BYTES;
	const growth = median(memory.map((m) => m.peakRss - m.baselineRss));
	const heap = median(memory.map((m) => m.peakHeapUsed - m.baselineHeapUsed));
	const buffers = median(memory.map((m) => m.peakArrayBuffers - m.baselineArrayBuffers));
	out.push(
		'',
		`Memory — ${MEMORY_VIDEOS} videos × ${mib(MEMORY_VIDEO_BYTES)} = ${mib(total)} downloaded to binary (filesystem mode); medians of ${memory.length}`,
	);
	out.push(
		table([
			['measure', 'value', 'of the bytes'],
			[
				'stored on disk',
				`${mib(median(memory.map((m) => m.bytesStored)))} (${median(memory.map((m) => m.delivered))}/${MEMORY_VIDEOS} files complete)`,
				'',
			],
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
	return { lines: out, targets };
}

function overheadSection(overhead: OverheadResult): Section {
	const out: string[] = [];
	const targets: Target[] = [];
	out.push(
		'',
		`Overhead — CPU per item, N = ${overhead.n}, the emulator (another process) answering at once; medians`,
	);
	const rows: Array<Array<string | number>> = [
		['contender', 'runs', 'CPU/item (engine process)', '(min–max)', 'wall per run'],
	];
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
				...p.byCategory.map((c) => [
					c.category,
					`${fixed(100 * c.share, 1)} %`,
					fixed(c.share * cpu, 2),
				]),
			]),
			'',
			`Node code on the stack: ${fixed(p.inNodeMsPerItem, 2)} ms/item as profiled (its own lines alone: ${fixed(p.nodeSelfMsPerItem, 2)}); by the node's outermost function:`,
			table([
				['node function', 'ms/item (profiled)'],
				...p.byStage.map((s) => [s.stage, fixed(s.msPerItem, 3)]),
			]),
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
	return { lines: out, targets };
}

function busyTargets(rows: BusyRow[]): Target[] {
	const targets: Target[] = [];
	const ours = rows.find((r) => r.contender === 'ours' && r.n === 1000);
	if (ours) {
		targets.push(
			{
				target: 'busy N = 1,000 (#15): zero 429s',
				measured: String(ours.tooMany),
				met: ours.tooMany === 0,
			},
			{
				target: 'busy N = 1,000 (#15): ≤ 3 requests per job (median)',
				measured: fixed(ours.requestsPerJobMedian, 1),
				met: ours.requestsPerJobMedian <= 3,
			},
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
