/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run screenshots`: the packed package in a real n8n 2.41.1 editor, photographed.
 *
 * Installs n8n + Node 24 + playwright-core into the cache folder on first use (see install.ts),
 * installs the tarball into a throwaway N8N_USER_FOLDER, imports a credential, the examples/ workflows
 * and scripts/n8n/workflows/screenshots/, starts `n8n start` on 127.0.0.1 with the RunComfy emulator
 * behind the credential, signs in as a fresh owner through the sign-in form, and saves PNGs under docs/:
 *
 *   n8n-example-<name>.png   each examples/ workflow on the canvas
 *   n8n-panel-<operation>.png the FusionX panel of every operation
 *   n8n-operations.png        the operation list
 *   n8n-options-generate.png  the options of Generate Video
 *   n8n-output-generate.png   Generate Video run in the editor: the output, video as binary
 *   n8n-node-search.png       the node found in the node panel
 *   n8n-output-generate-binary.png  the same, Binary tab
 *   n8n-credential.png        a new RunComfy API credential (defaults)
 *   n8n-credential-tested.png the emulator credential after n8n's connection test
 *
 * Browser: Debian's /usr/bin/chromium, headless, no sandbox, background networking off, and every
 * request to anything but 127.0.0.1 is aborted. Ends with `screenshots: N saved, N failed`.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { RunComfyEmulator } from '../../test/emulator/emulator';
import {
	buildAndPack,
	elapsed,
	EXAMPLES_DIR,
	jsonFiles,
	makeTempDir,
	makeUserFolder,
	n8nEnv,
	NODE_TYPE,
	REPO_ROOT,
	renderWorkflows,
	runN8n,
	setupOwner,
	startN8nServer,
	WORKFLOWS_DIR,
	writeCredentials,
	type Json,
	type N8nServer,
	freePort,
} from './common';
import { CHROMIUM, ensureN8n } from './install';

// Browser globals used inside page.evaluate callbacks (the project type-checks without the DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: any): any;
type Element = any;
type HTMLElement = any;
type HTMLInputElement = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

// playwright-core lives in the cache folder, not in the project's devDependencies: loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Page = any;

const DOCS_DIR = path.join(REPO_ROOT, 'docs');
const DOCS_WORKFLOW_ID = 'rcDocsOperations1';
/** A FusionX node left at its defaults (no options set), for the operation list and the option menu. */
const DEFAULTS_NODE = 'RunComfy FusionX';
// Not "RunComfy account": that is the name n8n proposes for a new one (the credential form shot).
const CREDENTIAL_NAME = 'RunComfy';
// A throwaway owner of a throwaway instance; n8n wants 8+ characters, a digit and a capital.
const OWNER = {
	email: 'owner@example.com',
	password: `Shots-${randomBytes(6).toString('hex')}-9X`,
	firstName: 'Ada',
	lastName: 'Owner',
};
const WIDTH = 1440;
const HEIGHT = 900;
/** Canvas shots: a smaller window, so zoom-to-fit draws the nodes larger. */
const CANVAS_VIEWPORT = { width: 1200, height: 560 };

const OPERATION_NODES: Array<{ operation: string; node: string }> = [
	{ operation: 'generate', node: 'Generate Video' },
	{ operation: 'submit', node: 'Submit Job' },
	{ operation: 'getStatus', node: 'Get Status' },
	{ operation: 'waitForCompletion', node: 'Wait for Completion' },
	{ operation: 'getResult', node: 'Get Result' },
	{ operation: 'cancel', node: 'Cancel Job' },
];

const saved: string[] = [];
const failed: Array<{ name: string; error: string }> = [];
const notes: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function shot(name: string, body: () => Promise<void>): Promise<void> {
	const t0 = Date.now();
	try {
		await body();
		console.log(`  ✓ ${name} (${elapsed(t0)})`);
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		failed.push({ name, error: message });
		console.log(`  ✗ ${name}: ${message}`);
	}
}

/** Saves a PNG of the page, of an element (a Playwright locator), or of a clip rectangle. */
async function save(page: Page, file: string, target?: Page | Box): Promise<void> {
	const out = path.join(DOCS_DIR, file);
	await dismissToasts(page);
	if (target && typeof target.screenshot === 'function') {
		await target.screenshot({ path: out, animations: 'disabled' });
	} else if (target) {
		await page.screenshot({ path: out, animations: 'disabled', clip: target as Box });
	} else {
		await page.screenshot({ path: out, animations: 'disabled' });
	}
	saved.push(path.relative(REPO_ROOT, out));
}

interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

async function dismissToasts(page: Page): Promise<void> {
	for (const close of await page.$$('.el-notification__closeBtn'))
		await close.click().catch(() => undefined);
	await sleep(400);
}

/** The panel's middle column (tabs, Execute step, parameters): what the README shows of each operation. */
async function parametersColumn(page: Page): Promise<Box> {
	const box: Box | null = await page.evaluate(() => {
		let element: HTMLElement | null = document.querySelector('[data-test-id="node-parameters"]');
		let best: HTMLElement | null = null;
		while (element && element.getBoundingClientRect().width < 720) {
			if (element.querySelector('[data-test-id="node-execute-button"]')) best = element;
			element = element.parentElement;
		}
		if (!best) return null;
		const rect = best.getBoundingClientRect();
		// Down to the last field (short panels would otherwise end in a tall empty area).
		const fields = [
			...best.querySelectorAll(
				'[data-test-id="parameter-item"], [data-test-id="collection-parameter-add"]',
			),
		];
		const last = Math.max(
			...fields.map((field: Element) => field.getBoundingClientRect().bottom),
			rect.y + 200,
		);
		return {
			x: rect.x,
			y: rect.y,
			width: rect.width,
			height: Math.min(rect.height, last - rect.y + 28),
		};
	});
	if (!box) throw new Error('could not find the parameter column of the node panel');
	return box;
}

async function signIn(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/signin`);
	await page.fill('#emailOrLdapLoginId', OWNER.email);
	await page.fill('#password', OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((u: URL) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
}

async function openWorkflow(page: Page, url: string, id: string): Promise<void> {
	await page.setViewportSize({ width: WIDTH, height: HEIGHT });
	await page.goto(`${url}/workflow/${id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	await sleep(1000);
}

async function fitCanvas(page: Page): Promise<void> {
	await page.click('[data-test-id="zoom-to-fit"]');
	await sleep(800);
	await page.mouse.move(5, 300); // no hover toolbar on a node
	await sleep(300);
}

async function openNode(page: Page, name: string): Promise<Page> {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await page.waitForSelector('[data-test-id="node-parameters"]', { timeout: 30_000 });
	await sleep(1200);
	return ndv;
}

/** Grows the window until the parameter column needs no scrolling, so one PNG shows every field. */
async function fitParameters(page: Page): Promise<void> {
	const overflow: number = await page.evaluate(() => {
		let element: HTMLElement | null = document.querySelector('[data-test-id="node-parameters"]');
		while (element) {
			if (element.scrollHeight > element.clientHeight + 2) {
				const style = getComputedStyle(element);
				if (/(auto|scroll)/.test(style.overflowY))
					return element.scrollHeight - element.clientHeight;
			}
			element = element.parentElement;
		}
		return 0;
	});
	if (overflow > 0) {
		await page.setViewportSize({ width: WIDTH, height: Math.min(HEIGHT + overflow + 24, 3000) });
		await sleep(800);
	}
}

/** Field labels n8n shows in the open panel, to check the right fields rendered. */
async function labels(page: Page): Promise<string[]> {
	return await page.$$eval(
		'[data-test-id="node-parameters"] [data-test-id="input-label"]',
		(elements: Element[]) =>
			elements.map((element) => (element.textContent ?? '').trim()).filter(Boolean),
	);
}

function expectLabels(operation: string, shown: string[], wanted: string[]): void {
	const missing = wanted.filter((label) => !shown.some((text) => text.startsWith(label)));
	if (missing.length > 0)
		throw new Error(
			`${operation}: fields not shown: ${missing.join(', ')} (shown: ${shown.join(' | ')})`,
		);
}

const EXPECTED_FIELDS: Record<string, string[]> = {
	generate: [
		'Operation',
		'Prompt',
		'Image Source',
		'Image URL',
		'Resolution',
		'Number of Frames',
		'Frames per Second',
		'Seed',
		'Steps',
		'Guidance Scale',
		'Shift',
		'Additional Inputs',
		'Options',
	],
	submit: [
		'Operation',
		'Prompt',
		'Image Source',
		'Input Binary Field',
		'Resolution',
		'Number of Frames',
		'Options',
	],
	getStatus: ['Operation', 'Request ID'],
	waitForCompletion: ['Operation', 'Request ID', 'Options'],
	getResult: ['Operation', 'Request ID', 'Options'],
	cancel: ['Operation', 'Request ID'],
};

async function main(): Promise<void> {
	const t0 = Date.now();
	console.log('Screenshots of the package in a real n8n 2.41.1 editor');
	const install = await ensureN8n({ needChromium: true });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { chromium } = require(path.join(install.nodeModules, 'playwright-core')) as Json;
	fs.mkdirSync(DOCS_DIR, { recursive: true });

	const tmp = makeTempDir('runcomfy-n8n-shots-');
	const tarball = await buildAndPack(path.join(tmp, 'pack'));
	const userFolder = await makeUserFolder(tarball, 'runcomfy-n8n-shots-user-');
	// Image URLs in examples are not fetched (closed network); jobs take a few seconds, as for real.
	const emulator = new RunComfyEmulator({
		queueMs: 800,
		durationMs: 2500,
		videoBytes: 3_400_000,
		fetchImages: false,
	});
	const base = await emulator.start();
	const env = n8nEnv(install, userFolder, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });

	const credentials = path.join(tmp, 'credentials.json');
	writeCredentials(credentials, base, emulator.token, CREDENTIAL_NAME);
	const examples = jsonFiles(EXAMPLES_DIR);
	const rendered = renderWorkflows(
		[...examples, ...jsonFiles(path.join(WORKFLOWS_DIR, 'screenshots'))],
		path.join(tmp, 'workflows'),
		{ baseUrl: base, credentialName: CREDENTIAL_NAME },
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

	let server: N8nServer | undefined;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	let browser: any;
	const consoleErrors: string[] = [];
	try {
		console.log('Starting the n8n editor ...');
		server = await startN8nServer(install, env, await freePort());
		await setupOwner(server.url, OWNER);
		console.log(`n8n editor on ${server.url}; Chromium from ${CHROMIUM}`);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
		});
		const context = await browser.newContext({
			viewport: { width: WIDTH, height: HEIGHT },
			deviceScaleFactor: 1,
		});
		const page: Page = await context.newPage();
		const blocked = new Set<string>();
		await page.route('**/*', (route: Page) => {
			const url = new URL(route.request().url());
			if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') {
				return route.continue();
			}
			blocked.add(url.hostname);
			return route.abort();
		});
		page.on('console', (message: Page) => {
			if (message.type() === 'error') consoleErrors.push(message.text());
		});
		page.on('dialog', (dialog: Page) => dialog.accept());
		await signIn(page, server.url);
		const url = server.url;

		// --- example workflows on the canvas -------------------------------------------------------
		const exampleWorkflows = rendered.filter((workflow) => examples.includes(workflow.file));
		for (const workflow of exampleWorkflows) {
			const name = path.basename(workflow.file, '.json');
			await shot(`example canvas: ${workflow.name}`, async () => {
				await openWorkflow(page, url, workflow.id);
				await page.setViewportSize(CANVAS_VIEWPORT);
				await fitCanvas(page);
				const shown: string[] = await page.$$eval(
					'[data-test-id="canvas-node"]',
					(elements: Element[]) =>
						elements.map((element) => element.getAttribute('data-node-type') ?? ''),
				);
				if (!shown.includes(NODE_TYPE))
					throw new Error(`no FusionX node on the canvas (${shown.join(', ')})`);
				await save(page, `n8n-example-${name}.png`);
			});
		}
		if (exampleWorkflows.length === 0) {
			await shot('workflow canvas (no examples/ folder)', async () => {
				await openWorkflow(page, url, DOCS_WORKFLOW_ID);
				await page.setViewportSize(CANVAS_VIEWPORT);
				await fitCanvas(page);
				await save(page, 'n8n-workflow.png');
			});
		}

		// --- the node panel of every operation --------------------------------------------------------
		for (const { operation, node } of OPERATION_NODES) {
			await shot(`panel: ${operation}`, async () => {
				await openWorkflow(page, url, DOCS_WORKFLOW_ID);
				const ndv = await openNode(page, node);
				expectLabels(operation, await labels(page), EXPECTED_FIELDS[operation]);
				await fitParameters(page);
				await save(page, `n8n-panel-${operation}.png`, await parametersColumn(page));
				void ndv;
			});
		}

		// --- the operation list and the options of Generate Video ------------------------------------
		await shot('operation list', async () => {
			await openWorkflow(page, url, DOCS_WORKFLOW_ID);
			await openNode(page, DEFAULTS_NODE);
			await page.click('[data-test-id="parameter-input-operation"]');
			await sleep(800);
			const options: string[] = await page.$$eval(
				'.el-select-dropdown__item, [role="option"]',
				(elements: Element[]) =>
					elements
						.filter((element) => (element as HTMLElement).offsetParent !== null)
						.map((element) => (element.textContent ?? '').trim()),
			);
			for (const wanted of [
				'Cancel Job',
				'Generate Video',
				'Get Result',
				'Get Status',
				'Submit Job',
				'Wait for Completion',
			]) {
				if (!options.some((text) => text.startsWith(wanted)))
					throw new Error(`operation "${wanted}" not listed (${options.join(' | ')})`);
			}
			const column = await parametersColumn(page);
			await save(page, 'n8n-operations.png', { ...column, height: Math.min(column.height, 620) });
			await page.keyboard.press('Escape');
		});
		await shot('options of Generate Video', async () => {
			await openWorkflow(page, url, DOCS_WORKFLOW_ID);
			await openNode(page, DEFAULTS_NODE);
			await fitParameters(page);
			// Room below the button, so the menu opens downwards and hides nothing.
			const size = page.viewportSize();
			await page.setViewportSize({ width: size.width, height: size.height + 320 });
			await sleep(600);
			await page.click('[data-test-id="collection-parameter-add"]');
			await sleep(800);
			const options: string[] = await page.$$eval(
				'[data-test-id="collection-parameter-option"]',
				(elements: Element[]) => elements.map((element) => (element.textContent ?? '').trim()),
			);
			for (const wanted of [
				'Cancel on Timeout',
				'Download Video',
				'Max Concurrent Submits',
				'Poll Interval',
				'Timeout',
			]) {
				if (!options.some((text) => text.startsWith(wanted)))
					throw new Error(`option "${wanted}" not offered (${options.join(' | ')})`);
			}
			const column = await parametersColumn(page);
			// The "Options" heading, the Add Option button and the open menu.
			const span: { top: number; bottom: number } = await page.evaluate(() => {
				const rects = [
					...document.querySelectorAll('[data-test-id="collection-parameter-option"]'),
					document.querySelector('[data-test-id="collection-parameter-add"]'),
					[...document.querySelectorAll('[data-test-id="node-parameters"] *')].find(
						(element: Element) =>
							element.children.length === 0 && (element.textContent ?? '').trim() === 'Options',
					),
				]
					.filter(Boolean)
					.map((element: Element) => element.getBoundingClientRect());
				return {
					top: Math.min(...rects.map((rect: { top: number }) => rect.top)),
					bottom: Math.max(...rects.map((rect: { bottom: number }) => rect.bottom)),
				};
			});
			const y = Math.max(column.y, span.top - 16);
			await save(page, 'n8n-options-generate.png', {
				x: column.x,
				y,
				width: column.width,
				height: span.bottom + 20 - y,
			});
			await page.keyboard.press('Escape');
		});

		// --- Generate Video executed in the editor: output with the video as binary -------------------
		await shot('Generate Video executed in the editor', async () => {
			await openWorkflow(page, url, DOCS_WORKFLOW_ID);
			const ndv = await openNode(page, 'Generate Video');
			const submitsBefore = emulator.count('submit');
			await page.click('[data-test-id="node-execute-button"]');
			await page.waitForSelector(
				'[data-test-id="node-run-status-success"], [data-test-id="ndv-binary-data_0"]',
				{
					timeout: 90_000,
				},
			);
			await sleep(1000);
			if (emulator.count('submit') !== submitsBefore + 1)
				throw new Error('the emulator saw no submit');
			const json = page
				.locator('[data-test-id="output-panel"] [data-test-id="radio-button-json"]')
				.first();
			if (await json.count()) {
				await json.click();
				await sleep(800);
			}
			const text: string = await page.locator('[data-test-id="output-panel"]').first().innerText();
			for (const wanted of ['requestId', 'completed', 'videoUrl']) {
				if (!text.includes(wanted)) throw new Error(`the output does not show "${wanted}"`);
			}
			await save(page, 'n8n-output-generate.png', ndv);
			const binary = page
				.locator('[data-test-id="output-panel"] [data-test-id="radio-button-binary"]')
				.first();
			if (await binary.count()) {
				await binary.click();
				await sleep(800);
				const shown: string = await page
					.locator('[data-test-id="output-panel"]')
					.first()
					.innerText();
				if (!/video\/mp4/.test(shown))
					throw new Error('the Binary tab does not show a video/mp4 file');
				await save(page, 'n8n-output-generate-binary.png', ndv);
			}
		});

		// --- the node in the node panel (search) ------------------------------------------------------
		await shot('node search', async () => {
			await openWorkflow(page, url, exampleWorkflows[0]?.id ?? DOCS_WORKFLOW_ID);
			await fitCanvas(page);
			await page.click('[data-test-id="node-creator-plus-button"]');
			await sleep(1000);
			await page.keyboard.type('RunComfy', { delay: 40 });
			await sleep(1500);
			const found = async () =>
				(await page.$$eval('[data-test-id="item-iterator-item"]', (elements: Element[]) =>
					elements.map((element) => (element.textContent ?? '').trim()),
				)) as string[];
			if (!(await found()).some((text) => text.startsWith('RunComfy FusionX'))) {
				notes.push(
					'The node panel\'s top-level search ("What happens next?") does not list RunComfy FusionX: n8n keeps nodes ' +
						'whose codex categories include "AI" out of that search. It is found under AI → search "RunComfy".',
				);
				await page.keyboard.press('Control+A');
				await page.keyboard.press('Backspace');
				await sleep(1000);
				await page
					.locator('[data-test-id="item-iterator-item"]', { hasText: /^AI/ })
					.first()
					.click();
				await sleep(1000);
				await page.keyboard.type('RunComfy', { delay: 40 });
				await sleep(1500);
				if (!(await found()).some((text) => text.startsWith('RunComfy FusionX')))
					throw new Error('RunComfy FusionX not found in the node panel');
			}
			await page
				.locator('[data-test-id="item-iterator-item"]', { hasText: /^RunComfy FusionX(?! Tool)/ })
				.first()
				.click();
			await sleep(1200);
			const actions: string = await page.locator('body').innerText();
			for (const wanted of [
				'Generate a video from an image',
				'Submit a video job',
				'Cancel a queued job',
			]) {
				if (!actions.includes(wanted)) throw new Error(`action "${wanted}" not listed`);
			}
			await save(page, 'n8n-node-search.png');
		});

		// --- the credential --------------------------------------------------------------------------
		await shot('credential form and connection test', async () => {
			await page.setViewportSize({ width: WIDTH, height: HEIGHT });
			await page.goto(`${url}/home/credentials`);
			await page
				.locator('[data-test-id="resources-list-item"]', { hasText: CREDENTIAL_NAME })
				.first()
				.click();
			const modal = page
				.locator('[data-test-id="editCredential-modal"], .el-dialog')
				.filter({ hasText: 'RunComfy' })
				.first();
			await modal.waitFor({ timeout: 30_000 });
			await sleep(1000);
			const save_ = page.locator('[data-test-id="credential-save-button"]').first();
			await save_.click();
			await page.waitForSelector('text=/Connection tested successfully|Couldn.t connect/', {
				timeout: 30_000,
			});
			const text: string = await modal.innerText();
			if (!/Connection tested successfully/.test(text))
				throw new Error(`credential test did not pass: ${text.slice(0, 300)}`);
			if (emulator.count('status') === 0)
				throw new Error('the credential test sent no request to the emulator');
			await sleep(500);
			await save(page, 'n8n-credential-tested.png', modal);
		});
		await shot('new credential form', async () => {
			await openWorkflow(page, url, DOCS_WORKFLOW_ID);
			await openNode(page, DEFAULTS_NODE);
			await page.click('[data-test-id="node-credentials-select"]');
			await sleep(600);
			await page.click('[data-test-id="node-credentials-select-item-new"]');
			const modal = page
				.locator('[data-test-id="editCredential-modal"], .el-dialog')
				.filter({ hasText: 'API Token' })
				.first();
			await modal.waitFor({ timeout: 30_000 });
			await sleep(1000);
			const text: string = await modal.innerText();
			for (const wanted of ['RunComfy API', 'API Token', 'Base URL']) {
				if (!text.includes(wanted))
					throw new Error(`the credential form does not show "${wanted}"`);
			}
			const baseUrl: string = await modal
				.locator('input')
				.evaluateAll((inputs: HTMLInputElement[]) => inputs.map((input) => input.value).join(' '));
			if (!baseUrl.includes('https://model-api.runcomfy.net'))
				throw new Error(`Base URL default not shown (${baseUrl})`);
			await save(page, 'n8n-credential.png', modal);
			await page.keyboard.press('Escape');
		});

		if (blocked.size > 0)
			notes.push(`The editor tried to reach (blocked): ${[...blocked].sort().join(', ')}`);
	} finally {
		await browser?.close();
		const log = server?.log() ?? '';
		await server?.stop();
		await emulator.stop();
		const suspicious = log
			.split('\n')
			.filter(
				(line) => /runcomfy|fusionx/i.test(line) && /error|warn|fail|could not|unknown/i.test(line),
			);
		if (suspicious.length > 0)
			notes.push(`n8n log lines about the package:\n    ${suspicious.slice(0, 20).join('\n    ')}`);
		const pageErrors = consoleErrors.filter((text) => /runcomfy|fusionx/i.test(text));
		if (pageErrors.length > 0)
			notes.push(
				`Browser console errors about the package:\n    ${pageErrors.slice(0, 20).join('\n    ')}`,
			);
		if (failed.length === 0 && !process.env.KEEP_N8N_TMP) {
			fs.rmSync(tmp, { recursive: true, force: true });
			fs.rmSync(userFolder, { recursive: true, force: true });
		} else {
			fs.writeFileSync(path.join(tmp, 'n8n.log'), log);
			console.log(
				`\nKept for inspection: ${tmp} ${userFolder} (n8n log: ${path.join(tmp, 'n8n.log')})`,
			);
		}
	}
	if (notes.length > 0) {
		console.log('\nSeen in the editor:');
		for (const note of notes) console.log(`  - ${note}`);
	}
	console.log(`\nSaved:\n${saved.map((file) => `  ${file}`).join('\n')}`);
	console.log(`\nscreenshots: ${saved.length} saved, ${failed.length} failed (${elapsed(t0)})`);
	process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	console.log(`\nscreenshots: ${saved.length} saved, 1 failed (could not run)`);
	process.exit(1);
});
