/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run screenshots`: the packed package in a real n8n 2.41.1 editor, photographed.
 *
 * Installs n8n + Node 24 + playwright-core into the cache folder on first use (see install.ts),
 * installs the tarball into a throwaway N8N_USER_FOLDER, imports a credential, the examples/ workflows
 * and scripts/n8n/workflows/screenshots/, starts `n8n start` on 127.0.0.1 with the RunComfy emulator
 * behind the credential, signs in as a fresh owner through the sign-in form, and saves PNGs under
 * docs/, one function per picture (scripts/n8n/screenshots/):
 *
 *   n8n-example-<name>.png    each examples/ workflow on the canvas            canvas.ts
 *   n8n-panel-<operation>.png the FusionX panel of every operation              panels.ts
 *   n8n-operations.png        the operation list                                panels.ts
 *   n8n-options-generate.png  the options of Generate Video                     panels.ts
 *   n8n-output-generate.png   Generate Video run in the editor (and -binary)    output.ts
 *   n8n-node-search.png       the node found in the node panel                  search.ts
 *   n8n-credential-tested.png the emulator credential after n8n's connection test  credential.ts
 *   n8n-credential.png        a new RunComfy API credential (defaults)          credential.ts
 *   n8n-runcomfy-panel.png    the RunComfy node: Run Model, FLUX, its inputs     runcomfy.ts
 *   n8n-deployment-panel.png  Run Workflow on a deployment, inputs from its workflow  deployment.ts
 *   n8n-node-search.png …     the node search, actions, fresh panels          search.ts
 *
 * RUNCOMFY_SHOTS=<text> takes only the pictures whose name contains it (e.g. "runcomfy").
 * RUNCOMFY_N8N_VERSIONS=1.123.81 runs another line; RUNCOMFY_SHOTS_DIR=docs/1.x puts its pictures
 * there (`npm run check:editor` does both lines).
 * Every wait is on a condition (browser.ts, editor.ts). Browser: Debian's /usr/bin/chromium,
 * headless, no sandbox, and every request to anything but 127.0.0.1 is aborted. Ends with
 * `screenshots: N saved, N failed`.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { RunComfyEmulator } from '../../test/emulator/emulator';
import {
	buildAndPack,
	elapsed,
	EXAMPLES_DIR,
	freePort,
	jsonFiles,
	makeTempDir,
	makeUserFolder,
	n8nEnv,
	renderWorkflows,
	runN8n,
	setupOwner,
	startN8nServer,
	WORKFLOWS_DIR,
	writeCredentials,
	type Json,
	type N8nServer,
} from './common';
import { CHROMIUM, ensureN8n, type N8nInstall } from './install';
import { selectedLines } from './versions';
import {
	DOCS_DIR,
	HEIGHT,
	trackRequests,
	WIDTH,
	type Page,
	type Shots,
} from './screenshots/browser';
import { exampleCanvas } from './screenshots/canvas';
import { credentialTested, newCredential } from './screenshots/credential';
import { signIn } from './screenshots/editor';
import { generateOutput } from './screenshots/output';
import {
	DOCS_WORKFLOW_ID,
	generateOptions,
	OPERATION_NODES,
	operationList,
	operationPanel,
} from './screenshots/panels';
import { deploymentPanel } from './screenshots/deployment';
import { runComfyPanel } from './screenshots/runcomfy';
import { nodeActions, nodeSearch } from './screenshots/search';

// Not "RunComfy account": that is the name n8n proposes for a new one (the credential form shot).
const CREDENTIAL_NAME = 'RunComfy';
// A throwaway owner of a throwaway instance; n8n wants 8+ characters, a digit and a capital.
const OWNER = {
	email: 'owner@example.com',
	password: `Shots-${randomBytes(6).toString('hex')}-9X`,
	firstName: 'Ada',
	lastName: 'Owner',
};

interface Picture {
	name: string;
	take: (shots: Shots) => Promise<void>;
}

/** Every picture, in the order they are taken. */
function pictures(examples: Array<{ id: string; file: string; name: string }>): Picture[] {
	return [
		...examples.map((workflow) => ({
			name: `example canvas: ${workflow.name}`,
			take: async (shots: Shots) =>
				await exampleCanvas(
					shots,
					workflow.id,
					`n8n-example-${path.basename(workflow.file, '.json')}.png`,
				),
		})),
		...OPERATION_NODES.map((entry) => ({
			name: `panel: ${entry.operation}`,
			take: async (shots: Shots) => await operationPanel(shots, entry),
		})),
		{ name: 'operation list', take: operationList },
		{ name: 'options of Generate Video', take: generateOptions },
		{ name: 'Generate Video executed in the editor', take: generateOutput },
		{
			name: 'node search',
			take: async (shots) => await nodeSearch(shots, examples[0]?.id ?? DOCS_WORKFLOW_ID),
		},
		{
			name: 'node search: actions and fresh panels',
			take: async (shots) => await nodeActions(shots, examples[0]?.id ?? DOCS_WORKFLOW_ID),
		},
		{
			name: 'credential form and connection test',
			take: async (shots) => await credentialTested(shots, CREDENTIAL_NAME),
		},
		{
			name: 'new credential form',
			take: async (shots) => await newCredential(shots, 'RunComfy FusionX'),
		},
		{ name: 'RunComfy node: Run Model with FLUX', take: runComfyPanel },
		{ name: 'RunComfy node: Run Workflow on a deployment', take: deploymentPanel },
	];
}

/** A throwaway user folder with the tarball, the credential and the workflows imported. */
async function prepare(install: N8nInstall, tmp: string, emulator: RunComfyEmulator) {
	const tarball = await buildAndPack(path.join(tmp, 'pack'));
	const userFolder = await makeUserFolder(tarball, 'runcomfy-n8n-shots-user-');
	const env = n8nEnv(install, userFolder, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
	const credentials = path.join(tmp, 'credentials.json');
	writeCredentials(credentials, emulator.baseUrl, emulator.token, CREDENTIAL_NAME);
	const examples = jsonFiles(EXAMPLES_DIR);
	const rendered = renderWorkflows(
		[...examples, ...jsonFiles(path.join(WORKFLOWS_DIR, 'screenshots'))],
		path.join(tmp, 'workflows'),
		{ baseUrl: emulator.baseUrl, credentialName: CREDENTIAL_NAME },
	);
	console.log('Importing the credential and workflows ...');
	for (const args of [
		['import:credentials', `--input=${credentials}`],
		['import:workflow', '--separate', `--input=${path.join(tmp, 'workflows')}`],
	]) {
		const result = await runN8n(install, args, env);
		if (result.code !== 0 || !/Successfully imported/.test(result.stdout)) {
			throw new Error(
				`n8n ${args[0]} failed:\n${(result.stdout + result.stderr).split('\n').slice(-30).join('\n')}`,
			);
		}
	}
	const exampleWorkflows = rendered.filter((workflow) => examples.includes(workflow.file));
	return { userFolder, env, exampleWorkflows };
}

/** Headless Chromium on a page that may reach 127.0.0.1 only; collects console errors. */
async function openBrowser(install: N8nInstall, blocked: Set<string>, consoleErrors: string[]) {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { chromium } = require(path.join(install.nodeModules, 'playwright-core')) as Json;
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			...['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
			...['--disable-component-update', '--disable-sync', '--no-first-run'],
		],
	});
	const context = await browser.newContext({
		viewport: { width: WIDTH, height: HEIGHT },
		deviceScaleFactor: 1,
	});
	const page: Page = await context.newPage();
	await page.route('**/*', (route: Page) => {
		const url = new URL(route.request().url());
		if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:')
			return route.continue();
		blocked.add(url.hostname);
		return route.abort();
	});
	page.on('console', (message: Page) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});
	page.on('dialog', (dialog: Page) => dialog.accept());
	return { browser, page };
}

/** Takes one picture; a failure is recorded and the next picture is taken. */
async function take(picture: Picture, shots: Shots, failed: string[]): Promise<void> {
	const t0 = Date.now();
	try {
		await picture.take(shots);
		console.log(`  ✓ ${picture.name} (${elapsed(t0)})`);
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		failed.push(`${picture.name}: ${message}`);
		console.log(`  ✗ ${picture.name}: ${message}`);
	}
}

/** What the n8n log and the browser console said about the package. */
function complaints(log: string, consoleErrors: string[]): string[] {
	const notes: string[] = [];
	const about = (line: string) => /runcomfy|fusionx/i.test(line);
	const suspicious = log
		.split('\n')
		.filter((line) => about(line) && /error|warn|fail|could not|unknown/i.test(line));
	if (suspicious.length > 0)
		notes.push(`n8n log lines about the package:\n    ${suspicious.slice(0, 20).join('\n    ')}`);
	const pageErrors = consoleErrors.filter(about);
	if (pageErrors.length > 0)
		notes.push(
			`Browser console errors about the package:\n    ${pageErrors.slice(0, 20).join('\n    ')}`,
		);
	return notes;
}

async function main(): Promise<void> {
	const t0 = Date.now();
	// RUNCOMFY_N8N_VERSIONS picks the line (its first entry); the default is the newest.
	const version = selectedLines()[0]?.version;
	console.log(`Screenshots of the package in a real n8n ${version ?? 'editor'}`);
	const install = await ensureN8n({ version, needChromium: true });
	fs.mkdirSync(DOCS_DIR, { recursive: true });
	const tmp = makeTempDir('runcomfy-n8n-shots-');
	// Image URLs in examples are not fetched (closed network); jobs take a few seconds, as for real.
	const emulator = new RunComfyEmulator({
		queueMs: 800,
		durationMs: 2500,
		videoBytes: 3_400_000,
		fetchImages: false,
	});
	await emulator.start();
	const { userFolder, env, exampleWorkflows } = await prepare(install, tmp, emulator);
	const failed: string[] = [];
	const blocked = new Set<string>();
	const consoleErrors: string[] = [];
	const shots = { emulator, saved: [] as string[], notes: [] as string[] };
	let server: N8nServer | undefined;
	let browser: Json | undefined;
	try {
		console.log('Starting the n8n editor ...');
		server = await startN8nServer(install, env, await freePort());
		await setupOwner(server.url, OWNER);
		console.log(`n8n editor on ${server.url}; Chromium from ${CHROMIUM}`);
		const opened = await openBrowser(install, blocked, consoleErrors);
		browser = opened.browser;
		const context: Shots = {
			...shots,
			page: opened.page,
			url: server.url,
			inFlight: trackRequests(opened.page),
		};
		await signIn(opened.page, server.url, OWNER);
		// RUNCOMFY_SHOTS=<text> takes only the pictures whose name contains it.
		const only = process.env.RUNCOMFY_SHOTS?.toLowerCase();
		for (const picture of pictures(exampleWorkflows)) {
			if (!only || picture.name.toLowerCase().includes(only)) await take(picture, context, failed);
		}
		if (blocked.size > 0)
			shots.notes.push(`The editor tried to reach (blocked): ${[...blocked].sort().join(', ')}`);
	} finally {
		await browser?.close();
		const log = server?.log() ?? '';
		await server?.stop();
		await emulator.stop();
		shots.notes.push(...complaints(log, consoleErrors));
		if (failed.length === 0 && !process.env.KEEP_N8N_TMP) {
			fs.rmSync(tmp, { recursive: true, force: true });
			fs.rmSync(userFolder, { recursive: true, force: true });
		} else {
			fs.writeFileSync(path.join(tmp, 'n8n.log'), log);
			console.log(`\nKept for inspection: ${tmp} ${userFolder} (n8n log: ${tmp}/n8n.log)`);
		}
	}
	report(shots, failed, t0);
}

function report(shots: { saved: string[]; notes: string[] }, failed: string[], t0: number): void {
	if (shots.notes.length > 0) {
		console.log('\nSeen in the editor:');
		for (const note of shots.notes) console.log(`  - ${note}`);
	}
	if (failed.length > 0) console.log(`\nFailed:\n${failed.map((f) => `  ${f}`).join('\n')}`);
	console.log(`\nSaved:\n${shots.saved.map((file) => `  ${file}`).join('\n')}`);
	console.log(
		`\nscreenshots: ${shots.saved.length} saved, ${failed.length} failed (${elapsed(t0)})`,
	);
	process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	console.log('\nscreenshots: 0 saved, 1 failed (could not run)');
	process.exit(1);
});
