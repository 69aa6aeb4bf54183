/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The engine side of the memory and overhead benchmarks, in a process of its own (forked by
 * run.ts with --expose-gc): its memory and CPU are then n8n's and the node's alone, while the
 * emulator answers from the parent process. Gets one task over IPC, answers with the result, exits.
 */
import './env';

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { FusionX } from '../nodes/FusionX/FusionX.node';
import { Container } from '../test/harness/core-deps';
import { cleanUpBinaryData, Engine, FUSIONX_TYPE, useBinaryMode } from '../test/harness/engine';
import { busyRun, type BusyTask } from './busy';
import { loadNodesBase } from './nodes-base';
import { buildWorkflow, type Contender } from './workflows';

export interface MemoryTask {
	kind: 'memory';
	baseUrl: string;
	token: string;
	videos: number;
	videoBytes: number;
}

export interface MemoryResult {
	wallMs: number;
	delivered: number;
	/** Sum of the sizes of the files found in the binary store afterwards. */
	bytesStored: number;
	baselineRss: number;
	/** VmHWM after resetting it before the run (Linux); otherwise the sampled peak. */
	peakRss: number;
	peakRssSampled: number;
	peakRssSource: 'VmHWM' | 'sampled';
	baselineHeapUsed: number;
	peakHeapUsed: number;
	baselineArrayBuffers: number;
	peakArrayBuffers: number;
	error?: string;
}

export interface OverheadTask {
	kind: 'overhead';
	baseUrl: string;
	token: string;
	n: number;
	runs: number;
	contenders: Contender[];
	profile: boolean;
}

export interface ProfileSummary {
	/** Main-thread time the sampling profiler saw busy (not idle), per item. */
	busyMsPerItem: number;
	/** Samples with a frame of nodes/FusionX anywhere on the stack: the node and what it calls. */
	inNodeMsPerItem: number;
	/** Samples whose top frame is in nodes/FusionX: the node's own code. */
	nodeSelfMsPerItem: number;
	/** All busy time, by where it went (the shares add up to 1). */
	byCategory: Array<{ category: string; msPerItem: number; share: number }>;
	/** Inclusive time by the outermost node function on the stack (which part of the node's work). */
	byStage: Array<{ stage: string; msPerItem: number }>;
}

export interface OverheadResult {
	n: number;
	contenders: Array<{
		contender: Contender;
		cpuMsPerItem: number[];
		wallMs: number[];
		delivered: number[];
		profile?: ProfileSummary;
	}>;
	error?: string;
}

type Task = MemoryTask | OverheadTask | BusyTask;

const NODE_DIR = `${path.sep}nodes${path.sep}FusionX${path.sep}`;

function gc() {
	const collect = (globalThis as { gc?: () => void }).gc;
	collect?.();
	collect?.();
}

function peakRssFromKernel(): number | undefined {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets the kernel's peak-RSS mark (Linux ≥ 4.0); false where that is not possible. */
function resetPeakRss(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

async function newEngine(task: { baseUrl: string; token: string }, withBase: boolean) {
	const engine = new Engine({
		[FUSIONX_TYPE]: new FusionX(),
		...(withBase ? await loadNodesBase() : {}),
	});
	engine.credentialsHelper.credentials = {
		runComfyApi: { apiToken: task.token, baseUrl: task.baseUrl },
	};
	return engine;
}

function items(task: { baseUrl: string }, n: number, prompt: string) {
	return Array.from({ length: n }, (_, index) => ({
		prompt: `${prompt}${index}`,
		imageUrl: `${task.baseUrl}/images/start.png`,
	}));
}

function outputOf(
	result: Awaited<ReturnType<Engine['execute']>>,
	node: string,
): INodeExecutionData[] {
	return (result.run.data.resultData.runData[node] ?? []).flatMap(
		(task) => task.data?.main?.[0] ?? [],
	);
}

async function memory(task: MemoryTask): Promise<MemoryResult> {
	await useBinaryMode('filesystem');
	const engine = await newEngine(task, false);
	const api = { baseUrl: task.baseUrl, token: task.token };
	const run = async (n: number, prompt: string) => {
		const spec = buildWorkflow('ours', engine, api, items(task, n, prompt), {
			ours: { download: true },
		});
		return { spec, result: await engine.execute(spec.workflow, spec.resultNode, {}, 'Start') };
	};
	// Warm-up (the parent serves small videos for it): code loaded and compiled before the baseline.
	await run(1, 'warm-up #');
	gc();
	const baseline = process.memoryUsage();
	const kernelPeak = resetPeakRss();
	const peak = {
		rss: baseline.rss,
		heapUsed: baseline.heapUsed,
		arrayBuffers: baseline.arrayBuffers,
	};
	const sample = () => {
		const now = process.memoryUsage();
		peak.rss = Math.max(peak.rss, now.rss);
		peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
		peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
	};
	const sampler = setInterval(sample, 5);
	const started = performance.now();
	const { spec, result } = await run(task.videos, 'Bench video #');
	const wallMs = performance.now() - started;
	clearInterval(sampler);
	sample();
	const hwm = kernelPeak ? peakRssFromKernel() : undefined;

	const binaryData = Container.get(BinaryDataService);
	let bytesStored = 0;
	let delivered = 0;
	for (const item of outputOf(result, spec.resultNode)) {
		const data = item.binary?.data as IBinaryData | undefined;
		if (!data?.id) continue;
		const size = statSync(binaryData.getPath(data.id)).size;
		bytesStored += size;
		if (size === task.videoBytes) delivered++;
	}
	cleanUpBinaryData();
	return {
		wallMs,
		delivered,
		bytesStored,
		baselineRss: baseline.rss,
		peakRss: hwm ?? peak.rss,
		peakRssSampled: peak.rss,
		peakRssSource: hwm ? 'VmHWM' : 'sampled',
		baselineHeapUsed: baseline.heapUsed,
		peakHeapUsed: peak.heapUsed,
		baselineArrayBuffers: baseline.arrayBuffers,
		peakArrayBuffers: peak.arrayBuffers,
		error: result.error?.message,
	};
}

interface CpuProfile {
	nodes: Array<{
		id: number;
		callFrame: { functionName: string; url: string };
		children?: number[];
	}>;
	samples: number[];
	timeDeltas: number[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params ?? {}, (error, result) =>
			error ? reject(error) : resolve(result as T),
		),
	);
}

async function profiled(work: () => Promise<unknown>): Promise<CpuProfile> {
	const session = new Session();
	session.connect();
	try {
		await post(session, 'Profiler.enable');
		await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
		await post(session, 'Profiler.start');
		await work();
		return (await post<{ profile: CpuProfile }>(session, 'Profiler.stop')).profile;
	} finally {
		session.disconnect();
	}
}

const HTTP_CODE = [
	'/axios/',
	'/follow-redirects/',
	'/backend-network/',
	'/proxy-from-env/',
	'node:_http',
	'node:http',
	'node:https',
	'node:net',
	'node:tls',
	'node:url',
	'node:internal/url',
	'node:internal/http',
	'node:internal/stream_base_commons',
	'node:internal/streams',
	'node:stream',
];
const ENGINE_CODE = ['/n8n-core/', '/n8n-workflow/', '/@n8n/', '/test/harness/'];

/**
 * Where a sample's time went: node code anywhere on the stack wins; otherwise the nearest frame
 * (from the top) that belongs to the HTTP client or to n8n's engine. `undefined`: the profiler's own
 * work, left out.
 */
function category(stack: CpuProfile['nodes']): string | undefined {
	const urls = stack.map((node) => node.callFrame.url);
	if (urls.some((url) => url.startsWith('node:inspector'))) return undefined;
	if (urls.some((url) => url.includes(NODE_DIR))) return 'node (and what it calls)';
	const name = stack[0]?.callFrame.functionName;
	if (name === '(garbage collector)') return 'garbage collector';
	if (name === '(program)') return 'V8 and native (program)';
	for (const url of urls) {
		if (HTTP_CODE.some((part) => url.includes(part))) return 'HTTP client and sockets';
		if (ENGINE_CODE.some((part) => url.includes(part))) return 'n8n engine and harness';
	}
	return 'other (timers, microtask queue)';
}

function summarize(profile: CpuProfile, n: number): ProfileSummary {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const inNode = (id: number) => byId.get(id)!.callFrame.url.includes(NODE_DIR);
	let busy = 0;
	let inclusive = 0;
	let self = 0;
	const stages = new Map<string, number>();
	const categories = new Map<string, number>();
	profile.samples.forEach((id, index) => {
		const microseconds = profile.timeDeltas[index] ?? 0;
		if (byId.get(id)!.callFrame.functionName === '(idle)') return;
		const stack: CpuProfile['nodes'] = [];
		for (
			let current: number | undefined = id;
			current !== undefined;
			current = parent.get(current)
		) {
			stack.push(byId.get(current)!);
		}
		const kind = category(stack);
		if (kind === undefined) return;
		busy += microseconds;
		if (inNode(id)) self += microseconds;
		categories.set(kind, (categories.get(kind) ?? 0) + microseconds);
		const outermost = [...stack].reverse().find((node) => node.callFrame.url.includes(NODE_DIR));
		if (!outermost) return;
		inclusive += microseconds;
		const frame = outermost.callFrame;
		const stage = `${path.basename(frame.url).replace(/\.ts$/, '')}:${frame.functionName || '(anonymous)'}`;
		stages.set(stage, (stages.get(stage) ?? 0) + microseconds);
	});
	const perItem = (microseconds: number) => microseconds / 1000 / n;
	const ranked = (map: Map<string, number>, limit: number) =>
		[...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
	return {
		busyMsPerItem: perItem(busy),
		inNodeMsPerItem: perItem(inclusive),
		nodeSelfMsPerItem: perItem(self),
		byCategory: ranked(categories, 10).map(([name, microseconds]) => ({
			category: name,
			msPerItem: perItem(microseconds),
			share: microseconds / busy,
		})),
		byStage: ranked(stages, 8).map(([stage, microseconds]) => ({
			stage,
			msPerItem: perItem(microseconds),
		})),
	};
}

async function overhead(task: OverheadTask): Promise<OverheadResult> {
	await useBinaryMode('filesystem');
	const engine = await newEngine(
		task,
		task.contenders.some((c) => c !== 'ours'),
	);
	const api = { baseUrl: task.baseUrl, token: task.token };
	const result: OverheadResult = { n: task.n, contenders: [] };
	for (const contender of task.contenders) {
		const once = async () => {
			const spec = buildWorkflow(contender, engine, api, items(task, task.n, 'Overhead #'));
			const outcome = await engine.execute(spec.workflow, spec.resultNode, {}, 'Start');
			if (outcome.error) throw new Error(`${contender}: ${outcome.error.message}`);
			return outputOf(outcome, spec.resultNode).length;
		};
		await once(); // warm-up: code compiled and optimised, connections open
		const entry: OverheadResult['contenders'][number] = {
			contender,
			cpuMsPerItem: [],
			wallMs: [],
			delivered: [],
		};
		for (let run = 0; run < task.runs; run++) {
			gc();
			const cpu = process.cpuUsage();
			const started = performance.now();
			entry.delivered.push(await once());
			entry.wallMs.push(performance.now() - started);
			const used = process.cpuUsage(cpu);
			entry.cpuMsPerItem.push((used.user + used.system) / 1000 / task.n);
		}
		if (task.profile && contender === 'ours')
			entry.profile = summarize(await profiled(once), task.n);
		result.contenders.push(entry);
	}
	cleanUpBinaryData();
	return result;
}

process.once('message', (task: Task) => {
	const work =
		task.kind === 'memory'
			? memory(task)
			: task.kind === 'busy'
				? newEngine(task, task.contender === 'handBuilt').then(
						async (engine) => await busyRun(task, engine),
					)
				: overhead(task);
	work.then(
		(result) => process.send!(result, () => process.exit(0)),
		(error: Error) => process.send!({ error: error.stack ?? error.message }, () => process.exit(1)),
	);
});
