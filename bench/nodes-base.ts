/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions */
/**
 * n8n's real built-in nodes (HTTP Request, Wait, If, Loop Over Items) for the competitors of the
 * benchmark. `n8n-nodes-base` is far too big for the project's devDependencies, so it is installed
 * on first use into a cache folder outside the repo and loaded from there:
 *
 *   default folder: ~/.cache/n8n-nodes-runcomfy/bench     (override: RUNCOMFY_BENCH_CACHE=/some/dir)
 *
 * The node classes require `n8n-workflow`, `n8n-core` and `@n8n/di`; those are resolved to the
 * project's copies (the very ones the engine runs on), as in a real n8n where one copy is shared by
 * the engine and every node. n8n-nodes-base 2.41.x depends on n8n-workflow 2.41.0, the project's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

export const NODES_BASE_VERSION = '2.41.1';

/** Type names and the versions the benchmark's workflows use (the defaults of n8n 2.41's editor). */
export const BASE_TYPES = {
	httpRequest: { type: 'n8n-nodes-base.httpRequest', version: 4.2 },
	wait: { type: 'n8n-nodes-base.wait', version: 1.1 },
	if: { type: 'n8n-nodes-base.if', version: 2.2 },
	splitInBatches: { type: 'n8n-nodes-base.splitInBatches', version: 3 },
} as const;

const NODE_FILES: Record<keyof typeof BASE_TYPES, { file: string; className: string }> = {
	httpRequest: { file: 'HttpRequest/HttpRequest.node.js', className: 'HttpRequest' },
	wait: { file: 'Wait/Wait.node.js', className: 'Wait' },
	if: { file: 'If/If.node.js', className: 'If' },
	splitInBatches: { file: 'SplitInBatches/SplitInBatches.node.js', className: 'SplitInBatches' },
};

/** Packages the loaded nodes must share with the engine (one copy, as in n8n itself). */
const SHARED = ['n8n-workflow', 'n8n-core', '@n8n/di'];

export function cacheDir(): string {
	return path.resolve(
		process.env.RUNCOMFY_BENCH_CACHE ||
			path.join(homedir(), '.cache', 'n8n-nodes-runcomfy', 'bench'),
	);
}

function installedVersion(dir: string): string | undefined {
	const manifest = path.join(dir, 'node_modules', 'n8n-nodes-base', 'package.json');
	if (!existsSync(manifest)) return undefined;
	return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function npm(args: string[], cwd: string): Promise<void> {
	console.log(`  $ (cd ${cwd} && npm ${args.join(' ')})`);
	return new Promise((resolve, reject) => {
		const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
			cwd,
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		child.on('error', reject);
		child.on('exit', (code, signal) =>
			code === 0
				? resolve()
				: reject(new Error(`npm ${args[0]} failed (${signal ?? `exit ${code}`})`)),
		);
	});
}

/** Installs n8n-nodes-base into the cache folder unless the right version is already there. */
export async function ensureNodesBase(): Promise<string> {
	const dir = cacheDir();
	const found = installedVersion(dir);
	if (found === NODES_BASE_VERSION) return dir;
	console.log(
		found
			? `n8n-nodes-base ${found} in ${dir} is not ${NODES_BASE_VERSION}: reinstalling it there.`
			: `n8n-nodes-base ${NODES_BASE_VERSION} (n8n's built-in nodes, ~800 MB with its dependencies) is not in ${dir}: installing it there once (1–3 minutes). Set RUNCOMFY_BENCH_CACHE to use another folder.`,
	);
	mkdirSync(dir, { recursive: true });
	const manifest = path.join(dir, 'package.json');
	if (!existsSync(manifest)) {
		writeFileSync(
			manifest,
			`${JSON.stringify({ name: 'runcomfy-bench-cache', private: true, description: 'n8n built-in nodes for npm run bench of n8n-nodes-runcomfy' }, null, 2)}\n`,
		);
	}
	const started = Date.now();
	await npm(
		[
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`n8n-nodes-base@${NODES_BASE_VERSION}`,
		],
		dir,
	);
	if (installedVersion(dir) !== NODES_BASE_VERSION) {
		throw new Error(
			`npm install finished but ${dir} holds no n8n-nodes-base ${NODES_BASE_VERSION}`,
		);
	}
	console.log(`  installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
	return dir;
}

let redirected = false;

/** Makes `require('n8n-workflow')` (and the other SHARED packages) from the cache load the project's copy. */
function shareEngineModules(cacheNodeModules: string): void {
	if (redirected) return;
	redirected = true;
	const projectRequire = createRequire(path.join(__dirname, '..', 'package.json'));
	const coreRequire = createRequire(projectRequire.resolve('n8n-core'));
	const resolver = Module as unknown as {
		_resolveFilename: (
			request: string,
			parent: { filename?: string } | undefined,
			...rest: unknown[]
		) => string;
	};
	const original = resolver._resolveFilename;
	resolver._resolveFilename = function (request, parent, ...rest) {
		if (
			parent?.filename?.startsWith(cacheNodeModules) &&
			SHARED.some((name) => request === name || request.startsWith(`${name}/`))
		) {
			// @n8n/di: n8n-core's own copy, so the nodes see the container n8n-core fills.
			return request.startsWith('@n8n/di')
				? coreRequire.resolve(request)
				: projectRequire.resolve(request);
		}
		return original.call(this, request, parent, ...rest);
	};
}

export type BaseNodeTypes = Record<string, INodeType | IVersionedNodeType>;

/** Installs if needed, then loads the built-in node classes, keyed by their n8n type names. */
export async function loadNodesBase(): Promise<BaseNodeTypes> {
	const dir = await ensureNodesBase();
	const nodeModules = path.join(dir, 'node_modules');
	shareEngineModules(nodeModules);
	const load = createRequire(path.join(dir, 'package.json'));
	const types: BaseNodeTypes = {};
	for (const [key, { file, className }] of Object.entries(NODE_FILES)) {
		const moduleExports = load(
			path.join(nodeModules, 'n8n-nodes-base', 'dist', 'nodes', file),
		) as Record<string, new () => INodeType | IVersionedNodeType>;
		types[BASE_TYPES[key as keyof typeof BASE_TYPES].type] = new moduleExports[className]();
	}
	return types;
}
