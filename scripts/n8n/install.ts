/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions */
/**
 * Installs a real n8n (2.41.1), the Node 24 it needs, and playwright-core into a cache folder OUTSIDE the repo,
 * so `npm install` in the project stays lean. Idempotent: a finished install leaves a marker and is reused.
 *
 *   default folder: ~/.cache/n8n-nodes-runcomfy/n8n-2.41.1     (override: RUNCOMFY_N8N_CACHE=/some/dir)
 *
 * Run directly:  npx ts-node --transpile-only scripts/n8n/install.ts
 * Used by test-n8n.ts and screenshots.ts through ensureN8n().
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const N8N_VERSION = '2.41.1';
export const NODE_MAJOR = '24';
export const PLAYWRIGHT_VERSION = '1.56.1';
export const CHROMIUM = '/usr/bin/chromium';

export interface N8nInstall {
	cacheDir: string;
	/** the Node 24 binary */
	node: string;
	/** n8n's CLI entry (run it with `node`) */
	n8nBin: string;
	/** folder holding node_modules/playwright-core */
	nodeModules: string;
}

export function cacheDir(): string {
	return path.resolve(
		process.env.RUNCOMFY_N8N_CACHE ||
			path.join(os.homedir(), '.cache', 'n8n-nodes-runcomfy', `n8n-${N8N_VERSION}`),
	);
}

function paths(dir: string): N8nInstall {
	return {
		cacheDir: dir,
		node: path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeModules: path.join(dir, 'node_modules'),
	};
}

const MARKER = '.runcomfy-install-complete';
const MARKER_CONTENT = `n8n@${N8N_VERSION} node-${process.platform}-${process.arch}@${NODE_MAJOR} playwright-core@${PLAYWRIGHT_VERSION}\n`;

export function run(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean } = {},
): Promise<void> {
	return new Promise((resolve, reject) => {
		if (!opts.quiet) console.log(`  $ ${cmd} ${args.join(' ')}`);
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: opts.quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
		});
		child.on('error', reject);
		child.on('exit', (code, signal) =>
			code === 0
				? resolve()
				: reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
		);
	});
}

function elapsed(t0: number): string {
	const s = Math.round((Date.now() - t0) / 1000);
	return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Returns the install, installing it first when the cache folder does not hold a finished one. */
export async function ensureN8n(opts: { needChromium?: boolean } = {}): Promise<N8nInstall> {
	const dir = cacheDir();
	const p = paths(dir);
	const markerFile = path.join(dir, MARKER);
	const done =
		fs.existsSync(markerFile) &&
		fs.readFileSync(markerFile, 'utf8') === MARKER_CONTENT &&
		fs.existsSync(p.node) &&
		fs.existsSync(p.n8nBin);
	if (!done) await install(dir);
	else console.log(`n8n ${N8N_VERSION} found in ${dir}`);
	if (opts.needChromium) ensureChromium();
	return p;
}

function ensureChromium(): void {
	if (fs.existsSync(CHROMIUM)) return;
	throw new Error(
		`${CHROMIUM} not found. Install Debian's chromium first (as root): apt-get install -y chromium`,
	);
}

async function install(dir: string): Promise<void> {
	const t0 = Date.now();
	console.log('='.repeat(100));
	console.log(
		`First use: installing n8n ${N8N_VERSION}, Node ${NODE_MAJOR} and playwright-core into`,
	);
	console.log(`  ${dir}`);
	console.log('(outside the repo; set RUNCOMFY_N8N_CACHE to choose another folder).');
	console.log(
		'This takes several minutes (about 4-6 for npm, 1-2 for sqlite3) and about 3 GB of disk.',
	);
	console.log('It happens only once; later runs reuse the folder.');
	console.log('='.repeat(100));
	fs.mkdirSync(dir, { recursive: true });
	fs.rmSync(path.join(dir, MARKER), { force: true });
	// Rewritten each time, so the folder holds exactly what is listed below.
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'runcomfy-n8n-cache',
				private: true,
				description: 'real n8n for n8n-nodes-runcomfy tests',
			},
			null,
			2,
		) + '\n',
	);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

	// Node 24 comes from the registry as the plain binary package node-<platform>-<arch> (what the
	// `node` package's preinstall would fetch): no install script, and it carries the headers that
	// native builds need. n8n is installed without scripts: some of its optional native modules
	// download sources at install time, which a closed network refuses.
	const nodePkg = `node-${process.platform}-${process.arch}`;
	console.log(
		`\n[1/2] n8n@${N8N_VERSION}, ${nodePkg}@${NODE_MAJOR} and playwright-core@${PLAYWRIGHT_VERSION} (--ignore-scripts) ...`,
	);
	let t = Date.now();
	await run(
		npm,
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			'--save-exact',
			'--ignore-scripts',
			`n8n@${N8N_VERSION}`,
			`${nodePkg}@${NODE_MAJOR}`,
			`playwright-core@${PLAYWRIGHT_VERSION}`,
		],
		{ cwd: dir },
	);
	const nodeBin = paths(dir).node;
	if (!fs.existsSync(nodeBin)) throw new Error(`Node ${NODE_MAJOR} binary missing: ${nodeBin}`);
	console.log(`      done in ${elapsed(t)}`);

	console.log(`\n[2/2] building sqlite3 for Node ${NODE_MAJOR} (about 1-2 minutes) ...`);
	t = Date.now();
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: path.join(dir, 'node_modules', nodePkg),
		npm_config_build_from_source: 'true',
	};
	await run(npm, ['rebuild', '--loglevel=error', '--ignore-scripts=false', 'sqlite3'], {
		cwd: dir,
		env,
	});
	console.log(`      done in ${elapsed(t)}`);

	fs.writeFileSync(path.join(dir, MARKER), MARKER_CONTENT);
	console.log(`\nn8n ${N8N_VERSION} installed in ${dir} (${elapsed(t0)} in all).\n`);
}

if (require.main === module) {
	ensureN8n().then(
		(p) => console.log(JSON.stringify(p, null, 2)),
		(err) => {
			console.error(err instanceof Error ? err.message : err);
			process.exit(1);
		},
	);
}
