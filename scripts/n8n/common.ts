/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * Shared by test-n8n.ts and screenshots.ts: build and pack the package, install the tarball into a
 * throwaway n8n user folder the way a user installs a community node by hand, render the test
 * workflows, and run n8n's CLI with an environment that keeps it offline.
 */
import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { run, type N8nInstall } from './install';

/** Parsed JSON from n8n (workflows, execution data): deliberately loose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const WORKFLOWS_DIR = path.join(__dirname, 'workflows');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const NODE_TYPE = 'n8n-nodes-runcomfy.fusionX';
export const CREDENTIAL_TYPE = 'runComfyApi';
export const CREDENTIAL_ID = 'rcEmulatorCred01';
export const CREDENTIAL_NAME = 'RunComfy (emulator)';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export { elapsed } from './time';

export function makeTempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `npm run build`, then `npm pack` into `destination`; returns the tarball's path. */
export async function buildAndPack(destination: string): Promise<string> {
	console.log('Building the package (npm run build) ...');
	await run(npm, ['run', '--silent', 'build'], { cwd: REPO_ROOT, quiet: true }).catch(async () => {
		// Run again with output shown, so the build error is visible.
		await run(npm, ['run', 'build'], { cwd: REPO_ROOT });
	});
	fs.mkdirSync(destination, { recursive: true });
	const before = new Set(fs.readdirSync(destination));
	await run(npm, ['pack', '--silent', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		quiet: true,
	});
	const tarball = fs
		.readdirSync(destination)
		.find((name) => name.endsWith('.tgz') && !before.has(name));
	if (!tarball) throw new Error(`npm pack wrote no tarball into ${destination}`);
	console.log(`Packed ${tarball}`);
	return path.join(destination, tarball);
}

/**
 * A fresh N8N_USER_FOLDER with the tarball installed as a community node by hand:
 * `npm install <tarball>` inside `<folder>/.n8n/nodes`.
 */
export async function makeUserFolder(tarball: string, prefix = 'runcomfy-n8n-'): Promise<string> {
	const userFolder = makeTempDir(prefix);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
	);
	console.log(`Installing the tarball into ${nodesDir} (npm install <tarball>) ...`);
	await run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
		cwd: nodesDir,
		quiet: true,
	});
	const installed = path.join(nodesDir, 'node_modules', 'n8n-nodes-runcomfy', 'package.json');
	if (!fs.existsSync(installed)) throw new Error(`the package did not land in ${installed}`);
	return userFolder;
}

/** One random key per throwaway user folder (kept in it, so every n8n run on the folder agrees). */
function instanceKey(userFolder: string): string {
	const file = path.join(userFolder, '.runcomfy-instance-key');
	if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(24).toString('hex'));
	return fs.readFileSync(file, 'utf8');
}

/** Environment for every n8n process: this user folder, offline, info logs, filesystem binary data. */
export function n8nEnv(
	install: N8nInstall,
	userFolder: string,
	extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	// Keep only the basics of the caller's environment: n8n reads many N8N_* and DB_* variables.
	for (const key of ['HOME', 'LANG', 'TERM', 'TMPDIR', 'USER']) {
		if (process.env[key] !== undefined) env[key] = process.env[key];
	}
	const all: NodeJS.ProcessEnv = {
		...env,
		PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: instanceKey(userFolder),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_PUBLIC_API_DISABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// Said explicitly: n8n warns that its default turns to false (unverified packages stop loading).
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NO_COLOR: '1',
		...install.line.env,
		...extra,
	};
	// `extra` may unset a variable (e.g. to get n8n's own default) by giving it as undefined.
	for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
	return all;
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs `n8n <args>` under Node 24 and collects its output. */
export function runN8n(
	install: N8nInstall,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs = 180_000,
): Promise<CliResult> {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		// The test harness, not the node: it starts the real n8n CLI.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = spawn(install.node, [install.n8nBin, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: process.platform !== 'win32',
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		const timer = setTimeout(() => {
			stderr += `\n[test] n8n ${args[0]} timed out after ${timeoutMs} ms; killed\n`;
			killTree(child.pid);
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			killTree(child.pid); // the task runner child, if n8n left it behind
			resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
		});
	});
}

/** Kills a process group started with `detached: true` (n8n and the task runner it spawned). */
export function killTree(pid: number | undefined): void {
	if (!pid) return;
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}

/**
 * The execution JSON `n8n execute --rawOutput` prints (through its logger, so possibly between log
 * lines, and possibly followed by a crash on exit): the first top-level `{` … `}` block that parses.
 */
export function extractExecutionJson(output: string): Json | undefined {
	const lines = output.split(/\r?\n/);
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n')) as Json;
			} catch {
				break;
			}
		}
	}
	return undefined;
}

/** Copies workflow JSON files into `outDir`, filling in the emulator's URL and the credential. */
export function renderWorkflows(
	files: string[],
	outDir: string,
	vars: { baseUrl: string; credentialId?: string; credentialName?: string; shortenWaits?: boolean },
): Array<{ file: string; id: string; name: string; json: Json }> {
	fs.mkdirSync(outDir, { recursive: true });
	return files.map((file) => {
		const text = fs
			.readFileSync(file, 'utf8')
			.split('__EMULATOR__')
			.join(vars.baseUrl)
			.split('__CREDENTIAL_ID__')
			.join(vars.credentialId ?? CREDENTIAL_ID);
		const json = JSON.parse(text) as Json;
		// Point every FusionX node at the imported credential (examples may name another one).
		for (const node of json.nodes as Array<Json>) {
			if (node.type === NODE_TYPE) {
				node.credentials = {
					[CREDENTIAL_TYPE]: {
						id: vars.credentialId ?? CREDENTIAL_ID,
						name: vars.credentialName ?? CREDENTIAL_NAME,
					},
				};
			}
		}
		// `n8n execute` does not resume long waits (the execution stays "waiting"); waits under a
		// minute run in-process, so a test copy waits 1 second instead.
		if (vars.shortenWaits) {
			for (const node of json.nodes as Array<Json>) {
				if (node.type === 'n8n-nodes-base.wait') {
					node.parameters = {
						...node.parameters,
						resume: 'timeInterval',
						amount: 1,
						unit: 'seconds',
					};
				}
			}
		}
		if (!json.id)
			json.id = path
				.basename(file, '.json')
				.replace(/[^A-Za-z0-9]/g, '')
				.slice(0, 21);
		json.active = false;
		const out = path.join(outDir, path.basename(file));
		fs.writeFileSync(out, JSON.stringify(json, null, 2));
		return { file, id: String(json.id), name: String(json.name), json };
	});
}

export function writeCredentials(
	file: string,
	baseUrl: string,
	token: string,
	name = CREDENTIAL_NAME,
): void {
	fs.writeFileSync(
		file,
		JSON.stringify(
			[
				{
					id: CREDENTIAL_ID,
					name,
					type: CREDENTIAL_TYPE,
					// The Serverless API (deployments, their jobs, object_info, the balance) is on the
					// Account API URL: the emulator serves it on the same host.
					data: { apiToken: token, baseUrl, accountApiUrl: baseUrl },
				},
			],
			null,
			2,
		),
	);
}

export function jsonFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => path.join(dir, name));
}

export interface N8nServer {
	url: string;
	/** the n8n main process (n8n's CLI runs in the process it is started in) */
	pid: number;
	/** everything n8n printed so far */
	log: () => string;
	stop: () => Promise<void>;
}

/** `n8n start` on 127.0.0.1:port; resolves once /healthz answers 200. */
export async function startN8nServer(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	port: number,
	timeoutMs = 180_000,
): Promise<N8nServer> {
	const url = `http://127.0.0.1:${port}`;
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
	const child = spawn(install.node, [install.n8nBin, 'start'], {
		env: { ...env, N8N_PORT: String(port), N8N_EDITOR_BASE_URL: `${url}/` },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: process.platform !== 'win32',
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	let exited = false;
	const exit = new Promise<void>((resolve) =>
		child.on('exit', () => {
			exited = true;
			resolve();
		}),
	);
	const stop = async () => {
		if (!exited) {
			child.kill('SIGTERM');
			await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
		}
		killTree(child.pid);
	};
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (exited)
			throw new Error(`n8n start exited early:\n${output.split('\n').slice(-40).join('\n')}`);
		try {
			// /healthz answers as soon as n8n listens, before its REST routes are set up; n8n says
			// "Editor is now accessible" (both lines) once they are.
			const res = await fetch(`${url}/healthz`);
			if (res.ok && output.includes('Editor is now accessible'))
				return { url, pid: child.pid ?? 0, log: () => output, stop };
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await stop();
	throw new Error(
		`n8n did not become healthy within ${timeoutMs} ms:\n${output.split('\n').slice(-40).join('\n')}`,
	);
}

/** Creates the instance owner; n8n answers 404 on this route while it is still starting. */
export async function setupOwner(
	url: string,
	owner: { email: string; password: string; firstName: string; lastName: string },
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		const res = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		}).catch((error: Error) => ({ ok: false, status: 0, text: async () => error.message }));
		if (res.ok) return;
		last = `${res.status} ${(await res.text()).slice(0, 300)}`;
		if (res.status !== 404 && res.status !== 0 && res.status !== 503) break;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`owner setup failed: ${last}`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}
