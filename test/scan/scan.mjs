/**
 * Runs n8n's community-package scanner (@n8n/scan-community-package) on this package, offline.
 *
 * The scanner's own entry point (`analyzePackageByName`) downloads the published tarball and the
 * provenance-attested GitHub source; it then lints two legs with `analyzePackage`:
 *   - tarball leg: the unpacked tarball, patterns ['**\/*.js', 'package.json']
 *   - source leg:  the package root in the source checkout, patterns SOURCE_FILE_PATTERNS
 *                  (['package.json', '{nodes,credentials}/**\/*.{js,ts,json}'])
 * Here the tarball is `npm pack` of the working tree and the source is the working tree itself,
 * so nothing is fetched. Any socket connection from this process is refused, to keep it offline.
 *
 * ESM because the scanner is ESM (jest's CommonJS runtime cannot import it); the jest test
 * test/scan/scanner.test.ts runs this file with node. Prints one JSON line on stdout; exit code 0
 * only when both legs pass.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

net.Socket.prototype.connect = function () {
	throw new Error('scan must stay offline: a network connection was attempted');
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

const run = (command, args, cwd) => {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
	return result.stdout;
};

// eslint-plugin-n8n-nodes-base switches to fixture mode under NODE_ENV=test (which jest sets):
// every node file is then taken for "Test.node.ts" and package.json checks change. n8n runs the
// scanner without it, so clear it before the plugin is loaded.
delete process.env.NODE_ENV;

const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
const { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } = scanner;
// fast-glob as the scanner itself resolves it.
const glob = createRequire(
	createRequire(import.meta.url).resolve('@n8n/scan-community-package/package.json'),
)('fast-glob');

// The files a leg lints: the same glob and ignores as analyzePackage.
const filesOf = (dir, patterns) =>
	glob.sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] }).sort();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'runcomfy-scan-'));
try {
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials])
		if (!fs.existsSync(path.join(root, file)))
			throw new Error(`${file} is missing: run \`npm run build\` before the scan`);

	// Tarball leg: exactly what `npm publish` would upload.
	const packed = JSON.parse(
		run(
			'npm',
			['pack', '--json', '--offline', '--ignore-scripts', '--pack-destination', work],
			root,
		),
	);
	const tarball = path.join(work, packed[0].filename);
	const packageDir = path.join(work, 'package');
	fs.mkdirSync(packageDir);
	run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], work);

	// Source leg: the directory the scanner would pick in a checkout of this repository.
	const sourceDir = findPackageRoot(root, manifest.name);
	if (sourceDir !== root)
		throw new Error(`the scanner would lint ${sourceDir} as ${manifest.name}, not ${root}`);

	const legs = [
		{ leg: 'tarball', dir: packageDir, patterns: TARBALL_PATTERNS },
		{ leg: 'source', dir: sourceDir, patterns: SOURCE_FILE_PATTERNS },
	];
	const report = [];
	for (const { leg, dir, patterns } of legs) {
		const files = filesOf(dir, patterns);
		const started = Date.now();
		const result = await analyzePackage(dir, patterns);
		report.push({
			leg,
			patterns,
			files,
			passed: result.passed === true && files.length > 0,
			message: files.length === 0 ? 'no files to lint' : result.message,
			details: result.details ?? (result.error ? String(result.error.stack) : undefined),
			ms: Date.now() - started,
		});
	}

	// Canary: the same analysis must flag a package with known violations, so a silently broken
	// analysis (no rules loaded, parser failure swallowed) cannot pass the two legs above.
	const canaryDir = path.join(work, 'canary');
	fs.mkdirSync(path.join(canaryDir, 'nodes/Canary'), { recursive: true });
	fs.writeFileSync(
		path.join(canaryDir, 'package.json'),
		JSON.stringify({ name: 'n8n-nodes-canary', version: '0.0.1', overrides: { a: '1' } }),
	);
	fs.writeFileSync(
		path.join(canaryDir, 'nodes/Canary/Canary.node.ts'),
		"console.log('canary');\nexport const value = process.env.HOME;\n",
	);
	const canary = await analyzePackage(canaryDir, SOURCE_FILE_PATTERNS);
	const canaryFlags = canary.passed === false && /no-console/.test(canary.details ?? '');

	const passed = report.every((leg) => leg.passed) && canaryFlags;
	process.stdout.write(
		JSON.stringify({
			passed,
			scanner: scannerVersion(),
			legs: report,
			canary: { flagged: canaryFlags, details: canary.details ?? canary.message },
		}) + '\n',
	);
	process.exitCode = passed ? 0 : 1;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}

function scannerVersion() {
	const file = path.join(root, 'node_modules/@n8n/scan-community-package/package.json');
	return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}
