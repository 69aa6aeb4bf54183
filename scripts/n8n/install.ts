/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions */
/**
 * Installs a real n8n of each line in versions.ts, the Node it runs on, and playwright-core into a
 * cache folder OUTSIDE the repo, so `npm install` in the project stays lean. Idempotent: a finished
 * install leaves a marker and is reused.
 *
 *   default folder: ~/.cache/n8n-nodes-runcomfy/n8n-<version>   (parent override: RUNCOMFY_N8N_CACHE)
 *
 * Run directly:  npx ts-node --transpile-only scripts/n8n/install.ts [version ...]   (default: all)
 * Used by test-n8n.ts and screenshots.ts through ensureN8n().
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { elapsed } from './time';
import { lineOf, N8N_LINES, N8N_VERSIONS, type N8nLine } from './versions';

export const PLAYWRIGHT_VERSION = '1.56.1';
export const CHROMIUM = '/usr/bin/chromium';

export interface N8nInstall {
	line: N8nLine;
	cacheDir: string;
	/** the Node binary this line runs on */
	node: string;
	/** n8n's CLI entry (run it with `node`) */
	n8nBin: string;
	/** folder holding node_modules/n8n, node_modules/playwright-core, … */
	nodeModules: string;
}

/** Parent of the per-version folders. */
export function cacheRoot(): string {
	return path.resolve(
		process.env.RUNCOMFY_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-runcomfy'),
	);
}

function paths(line: N8nLine): N8nInstall {
	const dir = path.join(cacheRoot(), `n8n-${line.version}`);
	return {
		line,
		cacheDir: dir,
		node: path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeModules: path.join(dir, 'node_modules'),
	};
}

const MARKER = '.runcomfy-install-complete';

function markerContent(line: N8nLine): string {
	const overrides = Object.entries(line.overrides).map(([name, spec]) => ` ${name}=${spec}`);
	return `n8n@${line.version} node-${process.platform}-${process.arch}@${line.nodeMajor} playwright-core@${PLAYWRIGHT_VERSION}${overrides.join('')}\n`;
}

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

/** The install of one n8n version (default: the newest line), installing it first if needed. */
export async function ensureN8n(
	opts: { version?: string; needChromium?: boolean } = {},
): Promise<N8nInstall> {
	const line = lineOf(opts.version ?? N8N_VERSIONS[0]);
	const p = paths(line);
	const markerFile = path.join(p.cacheDir, MARKER);
	const done =
		fs.existsSync(markerFile) &&
		fs.readFileSync(markerFile, 'utf8') === markerContent(line) &&
		fs.existsSync(p.node) &&
		fs.existsSync(p.n8nBin);
	if (!done) await install(p);
	else console.log(`n8n ${line.version} (Node ${line.nodeMajor}) found in ${p.cacheDir}`);
	if (opts.needChromium) ensureChromium();
	return p;
}

function ensureChromium(): void {
	if (fs.existsSync(CHROMIUM)) return;
	throw new Error(
		`${CHROMIUM} not found. Install Debian's chromium first (as root): apt-get install -y chromium`,
	);
}

function announce(p: N8nInstall): void {
	console.log('='.repeat(100));
	console.log(`First use: installing n8n ${p.line.version} and Node ${p.line.nodeMajor} into`);
	console.log(`  ${p.cacheDir}`);
	console.log('(outside the repo; set RUNCOMFY_N8N_CACHE to choose another parent folder).');
	console.log(
		'This takes several minutes (about 4-6 for npm, 1-2 for sqlite3) and 2-3 GB of disk.',
	);
	console.log('It happens once per n8n version; later runs reuse the folder.');
	console.log('='.repeat(100));
}

/** The throwaway package.json that hosts n8n: rewritten each time, with the line's overrides. */
function writeHostPackage(p: N8nInstall): void {
	const pkg: Record<string, unknown> = {
		name: 'runcomfy-n8n-cache',
		private: true,
		description: 'real n8n for n8n-nodes-runcomfy tests',
	};
	if (Object.keys(p.line.overrides).length > 0) pkg.overrides = p.line.overrides;
	fs.writeFileSync(path.join(p.cacheDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
}

async function install(p: N8nInstall): Promise<void> {
	const t0 = Date.now();
	const { line, cacheDir: dir } = p;
	announce(p);
	fs.mkdirSync(dir, { recursive: true });
	fs.rmSync(path.join(dir, MARKER), { force: true });
	writeHostPackage(p);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

	// Node comes from the registry as the plain binary package node-<platform>-<arch> (what the
	// `node` package's preinstall would fetch): no install script, and it carries the headers that
	// native builds need. n8n is installed without scripts: some of its optional native modules
	// download sources at install time, which a closed network refuses.
	const nodePkg = `node-${process.platform}-${process.arch}`;
	const packages = [
		`n8n@${line.version}`,
		`${nodePkg}@${line.nodeMajor}`,
		`playwright-core@${PLAYWRIGHT_VERSION}`,
	];
	console.log(`\n[1/2] ${packages.join(', ')} (--ignore-scripts) ...`);
	let t = Date.now();
	const flags = ['--no-audit', '--no-fund', '--loglevel=error', '--save-exact', '--ignore-scripts'];
	await run(npm, ['install', ...flags, ...packages], { cwd: dir });
	if (!fs.existsSync(p.node)) throw new Error(`Node ${line.nodeMajor} binary missing: ${p.node}`);
	console.log(`      done in ${elapsed(t)}`);

	console.log(`\n[2/2] building sqlite3 for Node ${line.nodeMajor} (about 1-2 minutes) ...`);
	t = Date.now();
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${path.dirname(p.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: path.join(dir, 'node_modules', nodePkg),
		npm_config_build_from_source: 'true',
	};
	await run(npm, ['rebuild', '--loglevel=error', '--ignore-scripts=false', 'sqlite3'], {
		cwd: dir,
		env,
	});
	console.log(`      done in ${elapsed(t)}`);

	fs.writeFileSync(path.join(dir, MARKER), markerContent(line));
	console.log(`\nn8n ${line.version} installed in ${dir} (${elapsed(t0)} in all).\n`);
}

if (require.main === module) {
	const wanted = process.argv.slice(2);
	const versions = wanted.length > 0 ? wanted : N8N_LINES.map((line) => line.version);
	(async () => {
		for (const version of versions) console.log(JSON.stringify(await ensureN8n({ version })));
	})().catch((err: unknown) => {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	});
}
