/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions */
/**
 * n8n in queue mode on 127.0.0.1: one `n8n start` (the main: editor, REST, webhooks, the wait
 * tracker) and `n8n worker` processes, sharing Redis (Bull), Postgres and one encryption key. Each
 * process has its own user folder with the package installed as n8n's installer leaves it
 * (`.n8n/nodes/node_modules/n8n-nodes-runcomfy`), its own N8N_PORT / N8N_RUNNERS_BROKER_PORT /
 * QUEUE_HEALTH_CHECK_PORT.
 *
 * Community packages on workers: `n8n worker` loads them itself (`needsCommunityPackages = true`
 * in commands/worker.js, then `initCommunityPackages()` when N8N_COMMUNITY_PACKAGES_ENABLED is
 * true, its default). On 1.x (1.123) the same: worker.js sets `needsCommunityPackages = true`, and
 * the community-packages module's `loadDir()` adds `~/.n8n/nodes/node_modules` to the folders
 * n8n loads nodes from (unless N8N_COMMUNITY_PACKAGES_PREVENT_LOADING). N8N_COMMUNITY_PACKAGES is a
 * different thing (2.x's instance-settings loader: packages to install at start-up when managed by
 * env) and is not needed when the package is on disk in each user folder.
 */
import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import type { RunComfyEmulator } from '../../../test/emulator/emulator';
import {
	freePort,
	n8nEnv,
	renderWorkflows,
	runN8n,
	startN8nServer,
	writeCredentials,
	type Json,
	type N8nServer,
} from '../common';
import type { N8nInstall } from '../install';
import { RestSession } from '../rest';
import { tail } from '../runner';
import { waitFor } from '../time';
import { bareUserFolder } from '../checks/package-only';
import type { Postgres, Service } from './infra';
import { queueLineOf } from './lines';
import { stopTracked, track, trackPid } from './infra';

export interface Worker {
	name: string;
	pid: number;
	userFolder: string;
	healthPort: number;
	log: () => string;
	/** SIGTERM (n8n's graceful shutdown), SIGKILL after a while */
	stop: () => Promise<void>;
	/** SIGKILL to the worker process alone, as an OOM killer or a lost machine would */
	kill: () => Promise<void>;
	exited: () => boolean;
}

export interface Cluster {
	install: N8nInstall;
	emulator: RunComfyEmulator;
	main: N8nServer;
	mainFolder: string;
	rest: RestSession;
	workers: Worker[];
	/** every user folder the cluster made (the main's and each worker's, stopped ones too) */
	folders: string[];
	workflows: Array<{ id: string; name: string; json: Json }>;
	/** environment shared by every process (without the per-process ports) */
	env: NodeJS.ProcessEnv;
	tmp: string;
	tarball: string;
	startWorker: (name: string, extra?: NodeJS.ProcessEnv) => Promise<Worker>;
}

export function queueEnv(
	install: N8nInstall,
	userFolder: string,
	shared: { redis: Service; postgres: Postgres; key: string },
	extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
	return n8nEnv(install, userFolder, {
		N8N_ENCRYPTION_KEY: shared.key,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(shared.redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(shared.postgres.port),
		DB_POSTGRESDB_DATABASE: shared.postgres.database,
		DB_POSTGRESDB_USER: shared.postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		// The line's own default in queue mode, said explicitly (2.x database, 1.x in memory).
		...queueLineOf(install.line).binaryEnv,
		// manual runs go to the workers too, as in a production queue setup
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		QUEUE_WORKER_TIMEOUT: '10',
		...extra,
	});
}

/**
 * Imports the credential and the workflows (through the main's user folder, into Postgres), then
 * starts the main and the workers.
 */
export async function startCluster(opts: {
	install: N8nInstall;
	emulator: RunComfyEmulator;
	redis: Service;
	postgres: Postgres;
	tarball: string;
	tmp: string;
	workflowFiles: string[];
	workers: number;
	concurrency: number;
	workerEnv?: NodeJS.ProcessEnv;
	mainEnv?: NodeJS.ProcessEnv;
}): Promise<Cluster> {
	const { install, emulator, tmp } = opts;
	const shared = {
		redis: opts.redis,
		postgres: opts.postgres,
		key: randomBytes(24).toString('hex'),
	};
	const mainFolder = await bareUserFolder(opts.tarball);
	const folders = [mainFolder];
	const env = queueEnv(install, mainFolder, shared, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	});
	const credentials = path.join(tmp, 'queue-credentials.json');
	writeCredentials(credentials, emulator.baseUrl, emulator.token);
	const dir = path.join(tmp, 'queue-workflows');
	const workflows = renderWorkflows(opts.workflowFiles, dir, { baseUrl: emulator.baseUrl });
	const creds = await runN8n(install, ['import:credentials', `--input=${credentials}`], env);
	if (!/Successfully imported 1 credential/.test(creds.stdout))
		throw new Error(`import:credentials failed:\n${tail(creds.stdout + creds.stderr)}`);
	const wfs = await runN8n(install, ['import:workflow', '--separate', `--input=${dir}`], env);
	if (!/Successfully imported/.test(wfs.stdout))
		throw new Error(`import:workflow failed:\n${tail(wfs.stdout + wfs.stderr)}`);

	const main = await startN8nServer(install, { ...env, ...opts.mainEnv }, await freePort());
	trackPid('n8n main', main.pid);
	const rest = await RestSession.asOwner(install, main.url);

	const startWorker = async (name: string, extra: NodeJS.ProcessEnv = {}): Promise<Worker> => {
		const userFolder = await bareUserFolder(opts.tarball);
		folders.push(userFolder);
		const healthPort = await freePort();
		const workerEnv = queueEnv(install, userFolder, shared, {
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_PORT: String(await freePort()),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			...opts.workerEnv,
			...extra,
		});
		const child = spawn(
			install.node,
			[install.n8nBin, 'worker', `--concurrency=${opts.concurrency}`],
			{ env: workerEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
		);
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		const entry = track(`n8n ${name}`, child);
		const exited = () => child.exitCode !== null || child.signalCode !== null;
		await waitFor(
			`n8n ${name} to answer /healthz/readiness`,
			async () => {
				if (exited()) throw new Error(`n8n ${name} exited:\n${tail(output)}`);
				const res = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`).catch(
					() => undefined,
				);
				return res?.ok ? true : undefined;
			},
			{ timeoutMs: 180_000, intervalMs: 500 },
		);
		return {
			name,
			pid: child.pid ?? 0,
			userFolder,
			healthPort,
			log: () => output,
			stop: async () => {
				await stopTracked(entry);
				fs.writeFileSync(path.join(userFolder, 'n8n.log'), output);
			},
			kill: async () => {
				// The worker process only: its task runner child is left to notice on its own.
				process.kill(child.pid ?? 0, 'SIGKILL');
				await waitFor(`n8n ${name} to die`, () => (exited() ? true : undefined), {
					timeoutMs: 10_000,
				});
				await stopTracked(entry); // and whatever is left in its process group
				fs.writeFileSync(path.join(userFolder, 'n8n.log'), output);
			},
			exited,
		};
	};

	const workers: Worker[] = [];
	for (let i = 1; i <= opts.workers; i++) workers.push(await startWorker(`worker-${i}`));
	return {
		install,
		emulator,
		main,
		mainFolder,
		rest,
		workers,
		folders,
		workflows,
		env,
		tmp,
		tarball: opts.tarball,
		startWorker,
	};
}

export async function stopCluster(cluster: Cluster | undefined): Promise<void> {
	if (!cluster) return;
	for (const worker of cluster.workers) await worker.stop();
	await cluster.main.stop();
	fs.writeFileSync(path.join(cluster.mainFolder, 'n8n.log'), cluster.main.log());
}

/** Execution ids a worker's log says it started ("Worker started execution 12 (job 7)"). */
export function executionsRunBy(worker: Worker): string[] {
	return [...worker.log().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
}
