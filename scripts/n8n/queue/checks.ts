/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * The queue-mode checks: each one drives the cluster over webhooks and the editor's REST calls and
 * reads the emulator's request log, the saved executions and the workers' logs.
 */
import * as fs from 'fs';

import type { Job } from '../../../test/emulator/emulator';
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { elapsed, waitFor } from '../time';
import { itemsOf } from '../checks/cli';
import {
	callWebhook,
	finishedExecution,
	memory,
	newExecution,
	type ServerSuite,
} from '../checks/server';
import { executionsRunBy, type Cluster, type Worker } from './cluster';
import { queueLineOf } from './lines';

const MiB = 1024 * 1024;

/** The REST helpers of checks/server.ts only need the main's URL and the REST session. */
export function suiteOf(cluster: Cluster): ServerSuite {
	return { server: cluster.main, rest: cluster.rest } as unknown as ServerSuite;
}

export type Numbers = (text: string) => void;

function submitsTagged(cluster: Cluster, tag: string): Job[] {
	return [...cluster.emulator.jobs.values()].filter((job) =>
		String(job.input['600_prompt'] ?? '').startsWith(`[${tag}]`),
	);
}

function workerOf(
	cluster: Cluster,
	executionId: string,
	workers = cluster.workers,
): Worker | undefined {
	return workers.find((worker) => executionsRunBy(worker).includes(executionId));
}

// ---- 1. 20 webhook runs × 5 items ---------------------------------------------------------------

export const FAN_RUNS = 20;
export const FAN_ITEMS = 5;

export async function fanOut(cluster: Cluster, expect: Expect, numbers: Numbers): Promise<void> {
	const suite = suiteOf(cluster);
	const workflow = 'rcQFanout01';
	const before = new Set((await cluster.rest.executions(workflow)).map((e) => String(e.id)));
	const t0 = Date.now();
	// The first call waits for the webhook to be registered; then all 20 at once.
	await callWebhook(suite, 'rc-q-fanout', { run: 0 });
	await Promise.all(
		Array.from({ length: FAN_RUNS - 1 }, (_, i) =>
			callWebhook(suite, 'rc-q-fanout', { run: i + 1 }),
		),
	);
	let ids: string[] = [];
	let statuses = '';
	await waitFor(
		`${FAN_RUNS} executions to finish`,
		async () => {
			const mine = (await cluster.rest.executions(workflow)).filter(
				(e) => !before.has(String(e.id)),
			);
			ids = mine.map((e) => String(e.id));
			statuses = mine.map((e) => e.status).join(',');
			const done = mine.filter((e) => !['new', 'running', 'waiting', 'unknown'].includes(e.status));
			return mine.length >= FAN_RUNS && done.length === mine.length ? true : undefined;
		},
		{
			timeoutMs: 300_000,
			intervalMs: 1000,
			describe: () => `${ids.length} executions: ${statuses}`,
		},
	);
	const took = elapsed(t0);
	let videos = 0;
	const failed: string[] = [];
	for (const id of ids) {
		const execution = await cluster.rest.execution(id);
		if (execution.status !== 'success') failed.push(`${id}: ${execution.status}`);
		for (const item of itemsOf(execution, 'Generate Video')) {
			const binary = item.binary?.data;
			if (item.json?.status === 'completed' && binary?.mimeType === 'video/mp4') videos++;
		}
	}
	const jobs = submitsTagged(cluster, 'q-fan');
	const distinctPrompts = new Set(jobs.map((job) => String(job.input['600_prompt']))).size;
	const perWorker = cluster.workers.map(
		(worker) => ids.filter((id) => executionsRunBy(worker).includes(id)).length,
	);
	expect(ids.length === FAN_RUNS, `${ids.length} executions, want ${FAN_RUNS}`);
	expect(failed.length === 0, `executions not successful: ${failed.join('; ')}`);
	expect(
		videos === FAN_RUNS * FAN_ITEMS,
		`${videos} videos delivered, want ${FAN_RUNS * FAN_ITEMS}`,
	);
	expect(
		jobs.length === FAN_RUNS * FAN_ITEMS,
		`${jobs.length} jobs created, want ${FAN_RUNS * FAN_ITEMS}`,
	);
	expect(
		distinctPrompts === jobs.length,
		`${jobs.length} jobs for ${distinctPrompts} distinct items`,
	);
	expect(
		perWorker.every((n) => n > 0),
		`executions per worker ${perWorker.join(' / ')}: each worker must run some`,
	);
	expect(
		perWorker.reduce((a, b) => a + b, 0) === FAN_RUNS,
		`workers' logs account for ${perWorker.reduce((a, b) => a + b, 0)} of ${FAN_RUNS} executions`,
	);
	numbers(
		`${videos} videos, ${jobs.length} jobs created; executions per worker ${perWorker.join(' / ')}; ${took}`,
	);
}

// ---- 2. three large videos in the line's binary data mode ----------------------------------------

export const BIG_COUNT = 3;

/**
 * The size of a stored binary as n8n recorded it: database mode keeps `bytes` (2.x; 1.x keeps only
 * the rounded `fileSize` text), the in-memory mode (1.x's `default`) keeps the file base64 in `data`.
 */
function storedBytes(binary: Json | undefined): number | undefined {
	if (!binary) return undefined;
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (!binary.id && typeof binary.data === 'string')
		return Buffer.byteLength(binary.data, 'base64');
	return undefined;
}

/** The first bytes the emulator serves for a job's video. */
async function servedHead(url: string, bytes = 32): Promise<Buffer> {
	const controller = new AbortController();
	const res = await fetch(url, { signal: controller.signal });
	const reader = res.body?.getReader();
	const chunks: Buffer[] = [];
	let length = 0;
	while (reader && length < bytes) {
		const { value, done } = await reader.read();
		if (done) break;
		chunks.push(Buffer.from(value));
		length += value.length;
	}
	controller.abort();
	return Buffer.concat(chunks).subarray(0, bytes);
}

/** What one large-download run is: the binary data mode the worker runs and the videos' size. */
export interface BigRun {
	/** whether the next node reads each video back whole and writes it to disk */
	readBack: boolean;
	mode: 'database' | 'default';
	/** each video's size (the emulator adds the item's index: bigVideoBytes) */
	bytes: number;
}

/** Starts a large-download run and answers its execution id; the emulator must serve `bytes`. */
async function startBig(cluster: Cluster, outDir: string, readBack: boolean): Promise<string> {
	const suite = suiteOf(cluster);
	fs.mkdirSync(outDir, { recursive: true });
	return await newExecution(
		suite,
		readBack ? 'rcQDownload01' : 'rcQDownOnly01',
		async () =>
			await callWebhook(suite, readBack ? 'rc-q-download' : 'rc-q-download-only', { dir: outDir }),
	);
}

export async function bigDownloads(
	cluster: Cluster,
	outDir: string,
	run: BigRun,
	expect: Expect,
	numbers: Numbers,
): Promise<string> {
	const { readBack, mode: binaryMode, bytes: bigBytes } = run;
	const suite = suiteOf(cluster);
	const workflow = readBack ? 'rcQDownload01' : 'rcQDownOnly01';
	const jobsBefore = submitsTagged(cluster, 'q-big').length;
	const baseline = cluster.workers.map((worker) => {
		memory.resetPeak(worker.pid);
		return memory.currentKiB(worker.pid);
	});
	const t0 = Date.now();
	const id = await startBig(cluster, outDir, readBack);
	const execution = await finishedExecution(suite, workflow, id, 600_000);
	const took = elapsed(t0);
	// The node's downloads, before this check fetches the files' first bytes itself.
	const nodeDownloads = cluster.emulator.requests.filter((request) => request.route === 'file');
	const index = cluster.workers.findIndex((worker) => executionsRunBy(worker).includes(id));
	const worker = cluster.workers[index];
	expect(worker, `no worker's log says it ran execution ${id}`);
	expect(
		execution.status === 'success',
		`saved execution ${id} is ${show(execution.status)}: ${show(execution.data?.resultData?.error?.message)}`,
	);
	const items = itemsOf(execution, 'Generate Video');
	expect(
		items.length === BIG_COUNT,
		`${items.length} items from Generate Video, want ${BIG_COUNT}`,
	);
	for (const item of items) {
		const binary = item.binary?.data;
		const served = cluster.emulator.jobs.get(String(item.json?.requestId))?.videoBytes;
		const described = show(binary && { ...binary, data: binary.id ? binary.data : '…' });
		if (binaryMode === 'database')
			expect(
				typeof binary?.id === 'string' && binary.id.startsWith('database'),
				`binary.data.id is not a database id: ${described}`,
			);
		else
			expect(
				binary && !binary.id && typeof binary.data === 'string',
				`binary.data is not held in the item (in memory): ${described}`,
			);
		// 1.x's database mode records no `bytes` (only a rounded `fileSize` text): there the files
		// the next node wrote are compared instead.
		const bytes = storedBytes(binary);
		if (bytes !== undefined || !readBack)
			expect(
				bytes !== undefined && bytes === served,
				`binary.data holds ${show(bytes)} bytes, the emulator served ${show(served)}`,
			);
	}
	// The node after ours read each video back whole from n8n's store and wrote it to disk.
	const written = itemsOf(execution, 'Write Files');
	const jobs = submitsTagged(cluster, 'q-big').slice(jobsBefore);
	let sameHead = 0;
	for (const item of written) {
		const file = String(item.json?.fileName);
		const job = cluster.emulator.jobs.get(String(item.json?.requestId));
		const size = fs.existsSync(file) ? fs.statSync(file).size : -1;
		expect(
			job !== undefined && size === job.videoBytes,
			`${file} has ${size} bytes, the emulator served ${show(job?.videoBytes)}`,
		);
		if (size > 0 && job) {
			const head = Buffer.alloc(32);
			const fd = fs.openSync(file, 'r');
			fs.readSync(fd, head, 0, 32, 0);
			fs.closeSync(fd);
			const served = await servedHead(`${cluster.emulator.baseUrl}/files/${job.id}.mp4`);
			if (head.equals(served)) sameHead++;
			else
				expect(
					false,
					`${file} starts ${head.toString('hex')}, the emulator served ${served.toString('hex')}`,
				);
		}
		fs.rmSync(file, { force: true });
	}
	if (readBack)
		expect(written.length === BIG_COUNT, `${written.length} files written back, want ${BIG_COUNT}`);
	expect(jobs.length === BIG_COUNT, `${jobs.length} jobs created, want ${BIG_COUNT}`);
	if (!worker) return id;
	const peak = memory.peakKiB(worker.pid);
	const before = baseline[index];
	const growth = (peak - before) / 1024;
	const other = cluster.workers
		.filter((w) => w !== worker)
		.map((w) => `${w.name} ${Math.round(memory.currentKiB(w.pid) / 1024)} MiB`);
	const limit = 1.5 * (bigBytes / MiB);
	numbers(
		`${BIG_COUNT} × ${bigBytes / MiB} MiB in ${binaryMode} mode; ${worker.name} (pid ${worker.pid}) RSS ${Math.round(before / 1024)} → peak ${Math.round(peak / 1024)} MiB (+${Math.round(growth)} MiB = ${(growth / (bigBytes / MiB)).toFixed(2)}× one video; sum of the videos ${BIG_COUNT * (bigBytes / MiB)} MiB)${readBack ? `; ${sameHead}/${BIG_COUNT} files read back by the next node: size and first 32 bytes as served` : ''}; ${took}${other.length ? `; idle: ${other.join(', ')}` : ''}`,
	);
	// What the node controls: one video on the wire at a time (the emulator's log of its streams).
	const streams = nodeDownloads
		.filter(
			(request) => request.route === 'file' && jobs.some((job) => job.id === request.requestId),
		)
		.sort((a, b) => a.at - b.at);
	const overlapping = streams.filter(
		(stream, index) => index > 0 && stream.at < (streams[index - 1].endedAt ?? Infinity),
	);
	expect(streams.length === BIG_COUNT, `${streams.length} video downloads, want ${BIG_COUNT}`);
	expect(
		overlapping.length === 0,
		`${overlapping.length} downloads started before the previous one ended`,
	);
	// n8n's database store holds each file whole; whether the worker's memory returns between files
	// is n8n's and V8's: reported, and bounded only loosely (never more than the sum plus one video).
	// In memory (1.x's default) n8n keeps every file in the item, base64, with copies for saving the
	// execution: that cost is n8n's by design, reported only.
	if (!readBack && binaryMode === 'database')
		expect(
			growth <= (BIG_COUNT + 1) * (bigBytes / MiB),
			`peak RSS grew by ${Math.round(growth)} MiB, more than all the videos together (${limit} MiB is the goal)`,
		);

	return id;
}

// ---- more than n8n 1.x can save, in memory ------------------------------------------------------

/**
 * Three large videos in one execution in n8n 1.x's in-memory mode: the node delivers them, but n8n
 * saves an execution's data as one `flatted` string, and V8 caps a string at 536 870 888
 * characters (2^29 - 24): three 200 MiB videos are about 839 million characters of base64. What n8n
 * does then is measured here (1.123.81: the worker logs `RangeError: Invalid string length` from
 * `updateExistingExecution`, the main saves the execution as `crashed`); the node's part is checked:
 * each job submitted once, each video downloaded once, each item completed in the worker's log.
 */
export async function tooBigToSave(
	cluster: Cluster,
	outDir: string,
	expect: Expect,
	numbers: Numbers,
): Promise<void> {
	const suite = suiteOf(cluster);
	const jobsBefore = submitsTagged(cluster, 'q-big').length;
	const t0 = Date.now();
	const id = await startBig(cluster, outDir, false);
	const execution = await finishedExecution(suite, 'rcQDownOnly01', id, 600_000);
	const took = elapsed(t0);
	const worker = workerOf(cluster, id);
	const log = worker?.log() ?? '';
	const jobs = submitsTagged(cluster, 'q-big').slice(jobsBefore);
	const downloads = jobs.map(
		(job) =>
			cluster.emulator.requests.filter((r) => r.route === 'file' && r.requestId === job.id).length,
	);
	const completed = jobs.filter((job) =>
		new RegExp(`RunComfy job ${job.id} \\(item \\d+\\): completed`).test(log),
	).length;
	const saveError =
		/There was a problem running hook "workflowExecuteAfter" RangeError: Invalid string length/.test(
			log,
		);
	const total = jobs.reduce((sum, job) => sum + job.videoBytes, 0);
	expect(worker, `no worker's log says it ran execution ${id}`);
	expect(
		['crashed', 'error'].includes(String(execution.status)),
		`saved execution ${id} is ${show(execution.status)}: n8n 1.x saved ${Math.round(total / MiB)} MiB of videos in memory after all (the limit moved?)`,
	);
	expect(saveError, `the worker's log has no "Invalid string length" from saving the execution`);
	expect(jobs.length === BIG_COUNT, `${jobs.length} jobs created, want ${BIG_COUNT}`);
	expect(
		downloads.every((n) => n === 1),
		`downloads per video ${downloads.join(' / ')}, want 1 each`,
	);
	expect(completed === BIG_COUNT, `${completed}/${BIG_COUNT} items completed in the worker's log`);
	numbers(
		`${BIG_COUNT} videos, ${Math.round(total / MiB)} MiB together (about ${Math.round((total * 4) / 3 / 1e6)} million characters of base64); the node: ${jobs.length} jobs, downloads per video ${downloads.join(' / ')}, ${completed}/${BIG_COUNT} completed in ${worker?.name ?? '?'}'s log; n8n: ${saveError ? '"RangeError: Invalid string length" saving the execution (flatted), ' : ''}saved as ${show(execution.status)}; ${took}`,
	);
}

// ---- oversize refusal -----------------------------------------------------------------------------

/** n8n 1.123's word that it ignores the limit's variable (its schema refuses a string). */
const LIMIT_IGNORED =
	/Invalid value for N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE - Expected number, received string\. Falling back to default value/;

export async function oversize(cluster: Cluster, expect: Expect, numbers: Numbers): Promise<void> {
	const { limitMiB, envIgnored } = queueLineOf(cluster.install.line).oversize;
	const suite = suiteOf(cluster);
	const workflow = 'rcQOversize01';
	const t0 = Date.now();
	const id = await newExecution(
		suite,
		workflow,
		async () => await callWebhook(suite, 'rc-q-oversize', {}),
	);
	const execution = await finishedExecution(suite, workflow, id, 300_000);
	const item = itemsOf(execution, 'Generate Video')[0];
	const message = String(item?.json?.error ?? execution.data?.resultData?.error?.message ?? '');
	const jobs = submitsTagged(cluster, 'q-huge');
	const downloads = cluster.emulator.requests.filter(
		(r) => r.route === 'file' && jobs.some((job) => job.id === r.requestId),
	).length;
	expect(item?.json?.error, `the item did not fail: ${show(item?.json)}`);
	expect(
		message.includes('N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE') && message.includes(`${limitMiB}`),
		`the error does not name the limit (${limitMiB}) and the setting: ${show(message)}`,
	);
	expect(
		downloads === 1,
		`the video was downloaded ${downloads} times (a refusal must not be retried)`,
	);
	const ignored = cluster.workers.some((worker) => LIMIT_IGNORED.test(worker.log()));
	if (envIgnored)
		expect(
			ignored,
			"the worker's log does not say n8n ignored N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE",
		);
	else expect(!ignored, 'n8n ignored N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE');
	numbers(
		`${envIgnored && ignored ? `n8n ignored the variable ("Invalid value for N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE - Expected number, received string. Falling back to default value."), the limit stays ${limitMiB} MiB; ` : ''}"${message.replace(/"[^"]*" \([^)]*\)/, '"….mp4" (…)').slice(0, 240)}"; ${downloads} download(s); ${elapsed(t0)}`,
	);
}

// ---- 3. Stop of an execution running on a worker ------------------------------------------------

async function heldJobs(cluster: Cluster, tag: string, count: number): Promise<Job[]> {
	return await waitFor(
		`${count} ${tag} jobs queued and polled`,
		() => {
			const jobs = submitsTagged(cluster, tag);
			if (jobs.length < count) return undefined;
			const ids = new Set(jobs.map((job) => job.id));
			const polled = cluster.emulator.requests.some(
				(r) => (r.route === 'status' || r.route === 'result') && ids.has(String(r.requestId)),
			);
			return polled ? jobs : undefined;
		},
		{ timeoutMs: 120_000, intervalMs: 200 },
	);
}

export async function stopOnWorker(
	cluster: Cluster,
	expect: Expect,
	numbers: Numbers,
): Promise<void> {
	const suite = suiteOf(cluster);
	const workflow = 'rcQHold01';
	const id = await newExecution(
		suite,
		workflow,
		async () => await callWebhook(suite, 'rc-q-hold', { tag: 'q-stop' }),
	);
	const jobs = await heldJobs(cluster, 'q-stop', 4);
	const worker = await waitFor(`a worker to log execution ${id}`, () => workerOf(cluster, id), {
		timeoutMs: 30_000,
	});
	const t0 = Date.now();
	await cluster.rest.stop(id);
	const cancelled = await waitFor(
		'every job of the stopped execution to be cancelled',
		() => (jobs.every((job) => job.status === 'cancelled') ? true : undefined),
		{ timeoutMs: 60_000, describe: () => jobs.map((job) => job.status).join(', ') },
	).catch((error: Error) => error.message);
	const cancelMs = Date.now() - t0;
	expect(cancelled === true, String(cancelled));
	const execution = await finishedExecution(suite, workflow, id, 60_000);
	expect(
		execution.status === 'canceled',
		`saved execution ${id} is ${show(execution.status)}, want canceled`,
	);
	const extra = submitsTagged(cluster, 'q-stop').length;
	expect(extra === 4, `${extra} submits, want 4 (none after Stop)`);
	numbers(
		`execution ran on ${worker.name}; Stop sent to the main; ${jobs.filter((j) => j.status === 'cancelled').length}/4 jobs cancelled ${(cancelMs / 1000).toFixed(1)} s after the call; saved as ${execution.status}`,
	);
}

// ---- 4. SIGKILL of a worker in the middle of a wait ---------------------------------------------

/** How many times a worker's log says it started this execution. */
function startsOf(worker: Worker, id: string): number {
	return executionsRunBy(worker).filter((x) => x === id).length;
}

export async function killWorker(
	cluster: Cluster,
	expect: Expect,
	numbers: Numbers,
	notes: string[],
): Promise<Worker | undefined> {
	const { rerunsStalledJobs } = queueLineOf(cluster.install.line);
	const suite = suiteOf(cluster);
	const workflow = 'rcQHold01';
	const id = await newExecution(
		suite,
		workflow,
		async () => await callWebhook(suite, 'rc-q-hold', { tag: 'q-kill' }),
	);
	const jobs = await heldJobs(cluster, 'q-kill', 4);
	const worker = await waitFor(`a worker to log execution ${id}`, () => workerOf(cluster, id), {
		timeoutMs: 30_000,
	});
	const survivors = cluster.workers.filter((w) => w !== worker);
	const before = (await cluster.rest.execution(id)).status;
	const t0 = Date.now();
	await worker.kill();
	console.log(
		`      SIGKILL to ${worker.name} (pid ${worker.pid}) while execution ${id} waits on 4 jobs`,
	);
	const at = () => `${Math.round((Date.now() - t0) / 1000)} s`;
	// What n8n does next, as it happens: every status change with its time after the kill, and a
	// surviving worker starting the same execution again (its log: "Worker started execution <id>").
	const timeline: string[] = [`${before} at 0 s`];
	let last = before;
	let rerunBy: Worker | undefined;
	const settled = await waitFor(
		`execution ${id} to leave "${before}" or to be started again`,
		async () => {
			const status = String((await cluster.rest.execution(id)).status);
			if (status !== last) {
				timeline.push(`${status} at ${at()}`);
				last = status;
			}
			if (['crashed', 'error', 'success', 'canceled'].includes(status)) return status;
			rerunBy = survivors.find((w) => startsOf(w, id) > 0);
			if (rerunBy) {
				timeline.push(`started again by ${rerunBy.name} at ${at()}`);
				return 'rerun';
			}
			return undefined;
		},
		{ timeoutMs: 300_000, intervalMs: 2000, describe: () => timeline.join(' → ') },
	).catch((error: Error) => `never: ${error.message}`);
	const logged = jobs.filter((job) =>
		new RegExp(`RunComfy job ${job.id} \\(item \\d+\\): submitted`).test(worker.log()),
	).length;
	let rerunJobs: Job[] = [];
	let stopped = '';
	if (settled === 'rerun') {
		// The run again submits its 4 items again (new paid jobs); the editor's Stop ends it, and the
		// node cancels the jobs of the run it is in.
		rerunJobs = await waitFor(
			'the run again to submit its 4 items',
			() => {
				const again = submitsTagged(cluster, 'q-kill').filter((job) => !jobs.includes(job));
				return again.length >= 4 ? again : undefined;
			},
			{ timeoutMs: 120_000, intervalMs: 200 },
		).catch(() => submitsTagged(cluster, 'q-kill').filter((job) => !jobs.includes(job)));
		const tStop = Date.now();
		await cluster.rest.stop(id);
		const cancelled = await waitFor(
			"the run again's jobs to be cancelled",
			() => (rerunJobs.every((job) => job.status === 'cancelled') ? true : undefined),
			{ timeoutMs: 60_000, describe: () => rerunJobs.map((job) => job.status).join(', ') },
		).catch((error: Error) => error.message);
		expect(cancelled === true, String(cancelled));
		const final = await finishedExecution(suite, workflow, id, 60_000);
		timeline.push(`Stop at ${Math.round((tStop - t0) / 1000)} s → ${final.status}`);
		stopped = `; Stop after the run again: ${rerunJobs.filter((j) => j.status === 'cancelled').length}/${rerunJobs.length} of its jobs cancelled ${((Date.now() - tStop) / 1000).toFixed(1)} s after the call, saved ${final.status}`;
		expect(final.status === 'canceled', `after Stop, execution ${id} is ${show(final.status)}`);
	}
	const submits = submitsTagged(cluster, 'q-kill');
	const execution = await cluster.rest.execution(id);
	const saved = JSON.stringify(execution.data ?? {});
	const inSaved = jobs.filter((job) => saved.includes(job.id)).length;
	const stillQueued = jobs.filter((job) => job.status === 'in_queue').length;
	if (rerunsStalledJobs) {
		// n8n 1.x (read in its sources, measured here): Bull's maxStalledCount stays 1, so once the
		// dead worker's lock (60 s) has expired, the stall check moves the job back to the queue and
		// a surviving worker runs the execution again from its start.
		expect(
			settled === 'rerun',
			`execution ${id}: ${timeline.join(' → ')}; want it started again by a surviving worker (1.x: Bull maxStalledCount 1)`,
		);
		expect(
			rerunJobs.length === 4 && submits.length === 8,
			`${submits.length} submits (run again: ${rerunJobs.length}), want 4 + 4: each run submits each item once`,
		);
	} else {
		// n8n 2.x (measured): Bull finds the job stalled once its lock (60 s) expires, fails it
		// (maxStalledCount 0: never re-run), and the main saves the execution as `error`.
		expect(
			settled === 'error' || settled === 'crashed',
			`execution ${id} ended as ${show(settled)} (${timeline.join(' → ')}), want error or crashed`,
		);
		expect(submits.length === 4, `${submits.length} submits for the killed run: it was run again`);
	}
	expect(logged === 4, `${logged}/4 request ids in the killed worker's log ("submitted" lines)`);
	numbers(
		`${timeline.join(' → ')}; ${settled === 'rerun' ? `run again from the start: ${submits.length} submits (4 + ${rerunJobs.length})` : `not re-run (${submits.length} submits)`}; request ids: ${logged}/4 in ${worker.name}'s log, ${inSaved}/4 in the saved execution; the first run's jobs left ${stillQueued}/4 in_queue at RunComfy (nobody cancels them)${stopped}`,
	);
	notes.push(
		`SIGKILL (n8n ${cluster.install.line.label}): execution ${id} ${timeline.join(' → ')}; error ${show(execution.data?.resultData?.error?.message)}`,
	);
	return worker;
}

// ---- 5. park and check ---------------------------------------------------------------------------

export const PARK_JOB_MS = 120_000;

/**
 * Starts the park-and-check run; expects it saved as `waiting` (parked in the database, the worker
 * freed). n8n's Wait node parks only when the time left is at least 65 000 ms when the Wait node
 * itself runs (Wait.node.js: `if (waitValue < 65000)` it waits in-process, holding the worker).
 */
export async function startPark(
	cluster: Cluster,
	expect: Expect,
): Promise<{ id: string; t0: number }> {
	const suite = suiteOf(cluster);
	const t0 = Date.now();
	const id = await newExecution(
		suite,
		'rcQPark01',
		async () => await callWebhook(suite, 'rc-q-park', {}),
	);
	let seen: Json = {};
	const parked = await waitFor(
		`execution ${id} to be saved as waiting`,
		async () => {
			seen = await cluster.rest.execution(id);
			return seen.status === 'waiting' ? true : undefined;
		},
		{ timeoutMs: 45_000, intervalMs: 500 },
	).catch(() => false);
	expect(
		parked,
		`execution ${id} is ${show(seen.status)}, not waiting, 45 s after the webhook: the Wait node did not park it (n8n parks only when at least 65 000 ms are left when the Wait node runs; checkAgainAt is 65 s after the Submit's answer, so a few ms less remain) and the worker holds it while it waits`,
	);
	return { id, t0 };
}

export async function finishPark(
	cluster: Cluster,
	park: { id: string; t0: number },
	meanwhile: string[],
	expect: Expect,
	numbers: Numbers,
): Promise<void> {
	const suite = suiteOf(cluster);
	const execution = await finishedExecution(suite, 'rcQPark01', park.id, PARK_JOB_MS + 240_000);
	const took = elapsed(park.t0);
	const job = submitsTagged(cluster, 'q-park')[0];
	expect(execution.status === 'success', `saved execution ${park.id} is ${show(execution.status)}`);
	const done = itemsOf(execution, 'Video ready (store it here)')[0];
	const binaries = Object.values((done?.binary ?? {}) as Record<string, Json>);
	expect(done?.json?.status === 'completed', `Video ready got ${show(done?.json)}`);
	expect(
		binaries.some((b) => b.mimeType === 'video/mp4'),
		`no video binary on the completed item: ${show(Object.keys(done?.binary ?? {}))}`,
	);
	const checks = (execution.data?.resultData?.runData?.['Check job'] ?? []).length;
	const waits = (execution.data?.resultData?.runData?.['Wait until checkAgainAt'] ?? []).length;
	expect(
		checks >= 2,
		`Check job ran ${checks} time(s), want a Still Running look before the Completed one`,
	);
	expect(meanwhile.length > 0, 'no other execution ran on a worker while this one was parked');
	const ranOn = cluster.workers
		.concat()
		.map((w) => `${w.name}×${executionsRunBy(w).filter((x) => x === park.id).length}`)
		.join(' ');
	const jobs = job ? 1 : 0;
	numbers(
		`${PARK_JOB_MS / 1000} s job; ${meanwhile.length} other execution(s) ran while it was saved as waiting (${meanwhile.join(', ')}); Wait ran ${waits}×, Check Job ${checks}×; ${jobs} job; video ${binaries.map((b) => `${b.mimeType} ${typeof b.bytes === 'number' ? `${b.bytes} bytes` : b.fileSize}`).join(', ')}; ${took} webhook → video; worker pickups ${ranOn}`,
	);
}
