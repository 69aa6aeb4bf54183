/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run test:n8n`: the packed package in real n8n, on every line in versions.ts, one after the
 * other (never in parallel: the machine has 2 cores).
 *
 *  1. builds and packs the package once,
 *  2. per line: installs n8n and its Node into a cache folder on first use (install.ts),
 *  3. `n8n execute` suites: the tarball installed by hand (both nodes; the RunComfy node's models
 *     and deployments), examples/, and package only,
 *  4. server suites: `n8n start` with the package installed as n8n's installer does, runs started by
 *     production webhooks and the editor's REST calls, stopped by the editor's Stop call; binary
 *     download in filesystem mode and in memory,
 *  5. prints the support matrix and `n8n: N passed, N failed`; exits 1 on any failure.
 *
 * RUNCOMFY_N8N_VERSIONS=2.41.1 runs one line; RUNCOMFY_N8N_SUITES=server,execute picks suites
 * (execute, examples, package-only, server). KEEP_N8N_TMP=1 keeps the temp folders.
 */
import * as fs from 'fs';
import * as path from 'path';

import { RunComfyEmulator } from '../../test/emulator/emulator';
import {
	buildAndPack,
	EXAMPLES_DIR,
	jsonFiles,
	makeTempDir,
	makeUserFolder,
	WORKFLOWS_DIR,
} from './common';
import { ensureN8n, type N8nInstall } from './install';
import { Runner } from './runner';
import { elapsed } from './time';
import { selected, selectedLines, type N8nLine } from './versions';
import { prepare, scriptJobs, VIDEO_BYTES } from './checks/cli';
import { exampleChecks } from './checks/examples';
import { executeChecks } from './checks/execute';
import { runComfyChecks } from './checks/runcomfy';
import { deploymentChecks } from './checks/deployments';
import { bareUserFolder, packageOnlyCheck } from './checks/package-only';
import { serverSuites } from './checks/server-suites';

const SUITES = ['execute', 'examples', 'package-only', 'server'] as const;
type SuiteName = (typeof SUITES)[number];

interface Context {
	runner: Runner;
	install: N8nInstall;
	tmp: string;
	tarball: string;
	emulator: RunComfyEmulator;
	examplesEmulator: RunComfyEmulator;
	/** user folders to remove after a passing run */
	folders: string[];
}

function newEmulator(fetchImages = true): RunComfyEmulator {
	return new RunComfyEmulator({
		queueMs: 300,
		durationMs: 1200,
		videoBytes: VIDEO_BYTES,
		fetchImages,
	});
}

async function executeSuite(ctx: Context): Promise<void> {
	console.log(
		'\n[by hand] npm install <tarball> in .n8n/nodes (npm also installs the peer n8n-workflow)',
	);
	const userFolder = await makeUserFolder(ctx.tarball);
	ctx.folders.push(userFolder);
	scriptJobs(ctx.emulator);
	const suite = await prepare(ctx.runner, ctx.install, {
		tmp: ctx.tmp,
		label: 'by-hand',
		userFolder,
		emulator: ctx.emulator,
		workflowFiles: jsonFiles(WORKFLOWS_DIR),
	});
	await executeChecks(suite);
	await runComfyChecks(suite);
	await deploymentChecks(suite);
	ctx.emulator.onSubmit = undefined;
}

async function examplesSuite(ctx: Context): Promise<void> {
	const examples = jsonFiles(EXAMPLES_DIR);
	console.log(`\n[examples] ${examples.length} workflow(s) from examples/`);
	if (examples.length === 0) return;
	const userFolder = await makeUserFolder(ctx.tarball, 'runcomfy-n8n-examples-');
	ctx.folders.push(userFolder);
	const suite = await prepare(ctx.runner, ctx.install, {
		tmp: ctx.tmp,
		label: 'examples',
		userFolder,
		emulator: ctx.examplesEmulator,
		workflowFiles: examples,
		shortenWaits: true,
	});
	await exampleChecks(suite);
}

async function packageOnlySuite(ctx: Context): Promise<void> {
	console.log(
		"\n[n8n's installer] package only, without peer dependencies (how Settings → Community nodes installs)",
	);
	const userFolder = await bareUserFolder(ctx.tarball);
	ctx.folders.push(userFolder);
	const files = [path.join(WORKFLOWS_DIR, 'generate-download.json')];
	const suite = await prepare(ctx.runner, ctx.install, {
		tmp: ctx.tmp,
		label: 'package-only',
		userFolder,
		emulator: ctx.emulator,
		workflowFiles: files,
	});
	await packageOnlyCheck(suite);
}

const RUN: Record<SuiteName, (ctx: Context) => Promise<void>> = {
	execute: executeSuite,
	examples: examplesSuite,
	'package-only': packageOnlySuite,
	server: async (ctx) => await serverSuites(ctx),
};

async function runLine(
	line: N8nLine,
	base: Omit<Context, 'install' | 'tmp'>,
	suites: SuiteName[],
): Promise<boolean> {
	const t0 = Date.now();
	console.log(
		`\n${'='.repeat(100)}\nn8n ${line.label} on Node ${line.nodeMajor}, expression engine: ${line.expressionEngine}`,
	);
	base.runner.line = line.label;
	const install = await ensureN8n({ version: line.version });
	const tmp = makeTempDir(`runcomfy-n8n-${line.version}-`);
	const ctx: Context = { ...base, install, tmp };
	for (const name of suites) await RUN[name](ctx);
	const ok = base.runner.outcomes.every((o) => o.line !== line.label || o.failures.length === 0);
	if (ok && !process.env.KEEP_N8N_TMP) fs.rmSync(tmp, { recursive: true, force: true });
	else console.log(`\nKept for inspection: ${tmp}`);
	console.log(`\nn8n ${line.label}: done in ${elapsed(t0)}`);
	return ok;
}

async function main(): Promise<void> {
	const t0 = Date.now();
	const lines = selectedLines();
	const suites = selected('RUNCOMFY_N8N_SUITES', SUITES);
	console.log(
		`n8n integration test: the packed package in real n8n ${lines.map((l) => l.label).join(' and ')}`,
	);
	const runner = new Runner();
	const packDir = makeTempDir('runcomfy-n8n-pack-');
	const base = {
		runner,
		tarball: await buildAndPack(packDir),
		emulator: newEmulator(),
		examplesEmulator: newEmulator(false),
		folders: [] as string[],
	};
	console.log(`Emulator on ${await base.emulator.start()}`);
	await base.examplesEmulator.start();
	let ok = true;
	try {
		for (const line of lines) ok = (await runLine(line, base, suites)) && ok;
	} finally {
		await base.emulator.stop();
		await base.examplesEmulator.stop();
		const keep = !ok || process.env.KEEP_N8N_TMP;
		for (const folder of [packDir, ...base.folders])
			if (!keep) fs.rmSync(folder, { recursive: true, force: true });
		if (keep) console.log(`\nUser folders kept: ${base.folders.join(' ')}`);
	}
	runner.printMatrix(lines.map((line) => line.label));
	runner.printNotes();
	runner.printSummary(t0);
	process.exitCode = runner.failed === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	console.log('\nn8n: 0 passed, 1 failed (the test could not run)');
	process.exit(1);
});
