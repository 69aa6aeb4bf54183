/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run test:n8n`: the packed package in a real n8n 2.41.1, run headless.
 *
 *  1. installs n8n + Node 24 into a cache folder on first use (see install.ts),
 *  2. builds and packs the package, installs the tarball into a throwaway N8N_USER_FOLDER the way a
 *     user installs a community node by hand (`npm install <tarball>` inside `.n8n/nodes`),
 *  3. starts the RunComfy emulator on 127.0.0.1, imports a credential and the workflows in
 *     scripts/n8n/workflows/ (and examples/, when it exists) with `n8n import:*`,
 *  4. runs each with `n8n execute --id … --rawOutput` and checks the execution JSON,
 *  5. repeats the smallest run with the package installed as n8n's own installer does it
 *     (package only, no peer dependencies: n8n-workflow and zod must come from n8n itself).
 *
 * Prints `n8n: N passed, N failed` and exits 1 on any failure. KEEP_N8N_TMP=1 keeps the temp folders.
 */
import * as fs from 'fs';
import * as path from 'path';

import { RunComfyEmulator } from '../../test/emulator/emulator';
import {
	buildAndPack,
	elapsed,
	EXAMPLES_DIR,
	extractExecutionJson,
	jsonFiles,
	makeTempDir,
	makeUserFolder,
	n8nEnv,
	NODE_TYPE,
	renderWorkflows,
	runN8n,
	WORKFLOWS_DIR,
	writeCredentials,
	type CliResult,
	type Json,
	freePort,
} from './common';
import { ensureN8n, run, type N8nInstall } from './install';

const VIDEO_BYTES = 2 * 1024 * 1024 + 123;
const IMAGE_PATH = '/images/start.png';

interface Outcome {
	name: string;
	failures: string[];
	ms: number;
}

const outcomes: Outcome[] = [];

/** One named check: collects every failed expectation instead of stopping at the first. */
async function check(
	name: string,
	body: (expect: (ok: unknown, message: string) => void) => Promise<void> | void,
) {
	const t0 = Date.now();
	const failures: string[] = [];
	const expect = (ok: unknown, message: string) => {
		if (!ok) failures.push(message);
	};
	try {
		await body(expect);
	} catch (error) {
		failures.push(
			`threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
		);
	}
	outcomes.push({ name, failures, ms: Date.now() - t0 });
	if (failures.length === 0) {
		console.log(`  ✓ ${name} (${elapsed(t0)})`);
	} else {
		console.log(`  ✗ ${name} (${elapsed(t0)})`);
		for (const failure of failures) console.log(`      - ${failure}`);
	}
}

/** Output items of a node's first run, first output. */
function itemsOf(execution: Json | undefined, node: string): Json[] {
	return execution?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];
}

function show(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** Finds a filesystem-mode binary's file under the user folder from its id. */
function binaryFile(userFolder: string, id: string): string | undefined {
	const relative = id.replace(/^filesystem(-v2)?:/, '');
	for (const root of ['storage', 'binaryData']) {
		const candidate = path.join(userFolder, '.n8n', root, relative);
		if (fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

function expectVideoBinary(
	expect: (ok: unknown, message: string) => void,
	userFolder: string,
	item: Json | undefined,
	property: string,
	requestId: string,
) {
	const binary = item?.binary?.[property];
	expect(
		binary,
		`binary.${property} is missing (binary keys: ${show(Object.keys(item?.binary ?? {}))})`,
	);
	if (!binary) return;
	expect(
		binary.mimeType === 'video/mp4',
		`binary.${property}.mimeType is ${show(binary.mimeType)}`,
	);
	expect(
		binary.fileName === `${requestId}.mp4`,
		`binary.${property}.fileName is ${show(binary.fileName)}`,
	);
	expect(
		typeof binary.id === 'string' && binary.id.startsWith('filesystem'),
		`binary.${property}.id is not a filesystem id: ${show(binary.id)} (data: ${show(binary.data)})`,
	);
	expect(
		binary.bytes === VIDEO_BYTES,
		`binary.${property}.bytes is ${show(binary.bytes)}, want ${VIDEO_BYTES}`,
	);
	if (typeof binary.id === 'string') {
		const file = binaryFile(userFolder, binary.id);
		expect(file, `no file on disk for ${binary.id}`);
		if (file) {
			const size = fs.statSync(file).size;
			expect(size === VIDEO_BYTES, `file ${file} has ${size} bytes, want ${VIDEO_BYTES}`);
		}
	}
}

interface Suite {
	install: N8nInstall;
	userFolder: string;
	env: NodeJS.ProcessEnv;
	emulator: RunComfyEmulator;
	base: string;
	logs: Map<string, CliResult>;
}

async function execute(suite: Suite, id: string): Promise<{ result: CliResult; execution?: Json }> {
	const result = await runN8n(suite.install, ['execute', `--id=${id}`, '--rawOutput'], suite.env);
	suite.logs.set(id, result);
	return {
		result,
		execution: extractExecutionJson(result.stdout) ?? extractExecutionJson(result.stderr),
	};
}

/** Runs a workflow and expects it to succeed; undefined when n8n printed no execution to inspect. */
async function executeSucceeded(
	suite: Suite,
	id: string,
	expect: (ok: unknown, message: string) => void,
): Promise<Json | undefined> {
	const { result, execution } = await execute(suite, id);
	expect(execution, `no execution JSON; ${explain(result)}`);
	if (!execution) return undefined;
	expect(
		execution.status === 'success',
		`execution status ${show(execution.status)}; ${explain(result)}`,
	);
	return execution;
}

function explain(result: CliResult): string {
	return `n8n exited ${result.code ?? result.signal}; output tail:\n${tail(result.stdout + '\n' + result.stderr)}`;
}

async function prepare(
	install: N8nInstall,
	tmp: string,
	label: string,
	installUserFolder: () => Promise<string>,
	emulator: RunComfyEmulator,
	workflowFiles: string[],
	shortenWaits = false,
): Promise<Suite & { workflows: ReturnType<typeof renderWorkflows> }> {
	const base = emulator.baseUrl;
	const userFolder = await installUserFolder();
	const env = n8nEnv(install, userFolder, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
	const credentials = path.join(tmp, `${label}-credentials.json`);
	writeCredentials(credentials, base, emulator.token);
	const workflows = renderWorkflows(workflowFiles, path.join(tmp, `${label}-workflows`), {
		baseUrl: base,
		shortenWaits,
	});
	const suite = {
		install,
		userFolder,
		env,
		emulator,
		base,
		logs: new Map<string, CliResult>(),
		workflows,
	};
	await check(`[${label}] n8n import:credentials and import:workflow`, async (expect) => {
		const creds = await runN8n(install, ['import:credentials', `--input=${credentials}`], env);
		expect(
			/Successfully imported 1 credential/.test(creds.stdout),
			`import:credentials: ${explain(creds)}`,
		);
		const wfs = await runN8n(
			install,
			['import:workflow', '--separate', `--input=${path.join(tmp, `${label}-workflows`)}`],
			env,
		);
		expect(
			new RegExp(`Successfully imported ${workflows.length} workflows?`).test(wfs.stdout),
			`import:workflow: ${explain(wfs)}`,
		);
	});
	return suite;
}

async function runSuite(suite: Suite): Promise<void> {
	const { emulator, base, userFolder } = suite;
	const image = `${base}${IMAGE_PATH}`;
	const submitsOf = (since: number) =>
		emulator.requests.slice(since).filter((r) => r.route === 'submit');

	// --- Generate Video, URL start frame, video downloaded into the filesystem binary store ---------------
	await check(
		'Generate Video (URL image, download → binary in filesystem mode)',
		async (expect) => {
			const since = emulator.requests.length;
			const execution = await executeSucceeded(suite, 'rcTestGenerate01', expect);
			if (!execution) return;
			const items = itemsOf(execution, 'Generate Video');
			expect(items.length === 1, `want 1 item, got ${items.length}`);
			const json = items[0]?.json ?? {};
			const submits = submitsOf(since);
			expect(submits.length === 1, `want 1 submit, emulator saw ${submits.length}`);
			const requestId = submits[0]?.requestId ?? '?';
			expect(
				json.requestId === requestId,
				`requestId ${show(json.requestId)} ≠ emulator's ${requestId}`,
			);
			expect(json.status === 'completed', `status ${show(json.status)}`);
			expect(json.videoUrl === `${base}/files/${requestId}.mp4`, `videoUrl ${show(json.videoUrl)}`);
			expect(json.output?.video === json.videoUrl, `output ${show(json.output)}`);
			expect(json.seed === 1234, `seed ${show(json.seed)}`);
			expect(json.cost === 0.12, `cost ${show(json.cost)}`);
			expect(
				typeof json.createdAt === 'string' && typeof json.finishedAt === 'string',
				'createdAt/finishedAt missing',
			);
			expect(typeof json.waitedSeconds === 'number', `waitedSeconds ${show(json.waitedSeconds)}`);
			expect(
				json.input?.['598_steps'] === 8 && json.input?.['602_widthx602_height'] === '480x480 (1:1)',
				`input ${show(json.input)}`,
			);
			const body = (submits[0]?.body ?? {}) as Json;
			expect(body['608_image'] === image, `submitted 608_image ${show(body['608_image'])}`);
			expect(
				body['600_prompt'] === 'The camera slowly pushes in while the light flickers',
				`submitted 600_prompt ${show(body['600_prompt'])}`,
			);
			expect(
				submits[0]?.authorization === `Bearer ${emulator.token}`,
				`credential not applied: Authorization ${show(submits[0]?.authorization)}`,
			);
			expectVideoBinary(expect, userFolder, items[0], 'data', requestId);
		},
	);

	// --- Submit → Get Status → Wait for Completion → Get Result, and Submit → Cancel --------------------
	await check(
		'Submit Job, Get Status, Wait for Completion, Get Result (download), Cancel Job',
		async (expect) => {
			const since = emulator.requests.length;
			const execution = await executeSucceeded(suite, 'rcTestLifecycle1', expect);
			if (!execution) return;
			const submitted = itemsOf(execution, 'Submit Job')[0]?.json ?? {};
			const requestId = String(submitted.requestId);
			expect(
				emulator.jobs.has(requestId),
				`Submit Job: unknown requestId ${show(submitted.requestId)}`,
			);
			expect(submitted.status === 'in_queue', `Submit Job: status ${show(submitted.status)}`);
			expect(
				submitted.statusUrl === `${base}/v1/requests/${requestId}/status` &&
					submitted.resultUrl === `${base}/v1/requests/${requestId}/result` &&
					submitted.cancelUrl === `${base}/v1/requests/${requestId}/cancel`,
				`Submit Job: URLs ${show(submitted)}`,
			);
			expect(submitted.seed === 42, `Submit Job: seed ${show(submitted.seed)}`);
			const body = (submitsOf(since).find((r) => r.requestId === requestId)?.body ?? {}) as Json;
			const want: Json = {
				'600_prompt': 'A slow dolly shot across a misty lake',
				'608_image': image,
				'602_widthx602_height': '720x480 (3:2)',
				'602_num_frames': 141,
				'609_frame_rate': 24,
				'598_seed': 42,
				'598_steps': 10,
				'598_cfg': 1.5,
				'598_shift': 7,
				'999_extra': 'kept',
			};
			for (const [key, value] of Object.entries(want)) {
				expect(
					body[key] === value,
					`Submit Job: body.${key} is ${show(body[key])}, want ${show(value)}`,
				);
			}

			const status = itemsOf(execution, 'Get Status')[0]?.json ?? {};
			expect(status.requestId === requestId, `Get Status: requestId ${show(status.requestId)}`);
			expect(
				['in_queue', 'in_progress'].includes(status.status),
				`Get Status: status ${show(status.status)} (want in_queue or in_progress)`,
			);
			expect(
				status.statusUrl === `${base}/v1/requests/${requestId}/status`,
				`Get Status: ${show(status)}`,
			);
			expect(
				emulator.count('status', requestId) >= 1,
				'Get Status: the emulator saw no status call',
			);

			const waited = itemsOf(execution, 'Wait for Completion')[0]?.json ?? {};
			expect(
				waited.requestId === requestId,
				`Wait for Completion: requestId ${show(waited.requestId)}`,
			);
			expect(waited.status === 'completed', `Wait for Completion: status ${show(waited.status)}`);
			expect(
				waited.videoUrl === `${base}/files/${requestId}.mp4`,
				`Wait for Completion: videoUrl ${show(waited.videoUrl)}`,
			);
			expect(
				typeof waited.waitedSeconds === 'number',
				`Wait for Completion: waitedSeconds ${show(waited.waitedSeconds)}`,
			);

			const resultItem = itemsOf(execution, 'Get Result')[0];
			const got = resultItem?.json ?? {};
			expect(got.status === 'completed', `Get Result: status ${show(got.status)}`);
			expect(got.videoUrl === waited.videoUrl, `Get Result: videoUrl ${show(got.videoUrl)}`);
			expect(got.cost === 0.12, `Get Result: cost ${show(got.cost)}`);
			expectVideoBinary(expect, userFolder, resultItem, 'video', requestId);

			const cancelled = itemsOf(execution, 'Cancel Job')[0]?.json ?? {};
			const queuedId = String(itemsOf(execution, 'Submit Queued Job')[0]?.json?.requestId);
			expect(
				cancelled.requestId === queuedId,
				`Cancel Job: requestId ${show(cancelled.requestId)} ≠ ${queuedId}`,
			);
			expect(
				cancelled.outcome === 'cancelled' &&
					cancelled.cancelled === true &&
					cancelled.status === 'cancelled',
				`Cancel Job: ${show(cancelled)}`,
			);
			expect(
				emulator.statusOf(queuedId) === 'cancelled',
				`emulator: job ${queuedId} is ${emulator.statusOf(queuedId)}`,
			);
		},
	);

	// --- Image Source: Binary File (from an HTTP Request node) ------------------------------------------
	await check('Generate Video with the start frame from binary (data: URI)', async (expect) => {
		const since = emulator.requests.length;
		const execution = await executeSucceeded(suite, 'rcTestBinaryImg1', expect);
		if (!execution) return;
		const json = itemsOf(execution, 'Generate Video')[0]?.json ?? {};
		expect(json.status === 'completed', `status ${show(json.status)}`);
		const sent = String((submitsOf(since)[0]?.body as Json | undefined)?.['608_image'] ?? '');
		expect(
			sent.startsWith('data:image/png;base64,'),
			`submitted 608_image ${show(sent.slice(0, 60))}`,
		);
		const shown = String(json.input?.['608_image'] ?? '');
		expect(
			shown.startsWith('data:image/png;base64,') &&
				shown.includes('from binary') &&
				shown.length < 100,
			`output input.608_image is not the short redacted form: ${show(shown)}`,
		);
	});

	// --- A validation error stops the workflow before anything is submitted ------------------------------
	await check(
		'Validation error (Steps 50) fails the execution, nothing submitted',
		async (expect) => {
			const since = emulator.requests.length;
			const { result, execution } = await execute(suite, 'rcTestValidate01');
			expect(execution, `no execution JSON; ${explain(result)}`);
			if (!execution) return;
			expect(
				execution.status === 'error',
				`execution status ${show(execution.status)}, want error`,
			);
			const error = execution.data?.resultData?.error ?? {};
			expect(
				/Steps must be between 6 and 20, got 50/.test(String(error.message)),
				`error.message ${show(error.message)}`,
			);
			expect(error.name === 'NodeOperationError', `error.name ${show(error.name)}`);
			expect(
				/Nothing was submitted/.test(String(error.description)),
				`error.description ${show(error.description)}`,
			);
			expect(error.node?.name === 'Generate Video', `error.node ${show(error.node?.name)}`);
			expect(
				String(error.stack).includes('/.n8n/nodes/node_modules/n8n-nodes-runcomfy/dist/'),
				'the error did not come from the installed tarball (stack trace does not point into .n8n/nodes)',
			);
			expect(execution.data?.resultData?.lastNodeExecuted === 'Generate Video', 'lastNodeExecuted');
			expect(
				submitsOf(since).length === 0,
				`the emulator saw ${submitsOf(since).length} submits, want 0`,
			);
			expect(result.code !== 0, 'n8n execute exited 0 for a failed execution');
		},
	);

	// --- Continue On Fail: good item, invalid item, job that fails at RunComfy ----------------------------
	await check(
		'Continue On Fail: one video, one validation error item, one failed-job error item',
		async (expect) => {
			const since = emulator.requests.length;
			const execution = await executeSucceeded(suite, 'rcTestContinue01', expect);
			if (!execution) return;
			const items = itemsOf(execution, 'Generate Video');
			expect(
				items.length === 3,
				`want 3 items, got ${items.length}: ${show(items.map((i) => i.json))}`,
			);
			expect(
				items.map((item) => item.pairedItem?.item).join(',') === '0,1,2',
				`pairedItem ${show(items.map((item) => item.pairedItem))}`,
			);
			const [ok, invalid, failed] = items.map((item) => item.json ?? {});
			expect(ok?.status === 'completed' && ok?.videoUrl, `item 0: ${show(ok)}`);
			expect(
				ok?.input?.['600_prompt'] === 'A cat turns its head',
				`item 0 prompt: ${show(ok?.input)}`,
			);
			expect(
				/Steps must be between 6 and 20, got 50/.test(String(invalid?.error)),
				`item 1: ${show(invalid)}`,
			);
			expect(invalid?.requestId === undefined, `item 1 has a requestId: ${show(invalid)}`);
			const submits = submitsOf(since);
			expect(
				submits.length === 2,
				`want 2 submits (items 0 and 2), emulator saw ${submits.length}`,
			);
			const failedId = submits.find((r) =>
				String((r.body as Json)?.['600_prompt']).startsWith('[fail]'),
			)?.requestId;
			expect(failed?.error, `item 2 has no error: ${show(failed)}`);
			expect(
				failed?.requestId === failedId,
				`item 2 requestId ${show(failed?.requestId)} ≠ ${failedId}`,
			);
			expect(failed?.status === 'failed', `item 2 status ${show(failed?.status)}`);
			expect(
				/out of memory/i.test(`${failed?.error} ${failed?.description}`),
				`item 2 does not carry RunComfy's error: ${show(failed)}`,
			);
		},
	);
}

/** examples/: every workflow must import; those that run offline (manual trigger, no external services) are run. */
const OFFLINE_NODE_TYPES = new Set([
	NODE_TYPE,
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.set',
	'n8n-nodes-base.splitOut',
	'n8n-nodes-base.noOp',
	'n8n-nodes-base.if',
	'n8n-nodes-base.filter',
	'n8n-nodes-base.merge',
	'n8n-nodes-base.stickyNote',
	'n8n-nodes-base.wait',
	'n8n-nodes-base.aggregate',
]);

async function runExamples(
	suite: Suite & { workflows: ReturnType<typeof renderWorkflows> },
): Promise<void> {
	for (const workflow of suite.workflows) {
		const types = (workflow.json.nodes as Json[]).map((node) => String(node.type));
		const offline = types.every((type) => OFFLINE_NODE_TYPES.has(type));
		const fusion = (workflow.json.nodes as Json[]).filter((node) => node.type === NODE_TYPE);
		if (!offline || !types.includes('n8n-nodes-base.manualTrigger')) {
			await check(
				`example "${workflow.name}" imported (not run: uses ${types.filter((t) => !OFFLINE_NODE_TYPES.has(t)).join(', ') || 'no manual trigger'})`,
				(expect) => {
					expect(fusion.length > 0, 'it has no FusionX node');
				},
			);
			continue;
		}
		await check(`example "${workflow.name}" runs`, async (expect) => {
			const execution = await executeSucceeded(suite, workflow.id, expect);
			if (!execution) return;
			for (const node of fusion) {
				const run = execution.data?.resultData?.runData?.[node.name]?.[0];
				if (!run) continue; // a branch that did not run
				expect(!run.error, `${node.name}: ${show(run.error?.message)}`);
				const items = itemsOf(execution, node.name);
				expect(
					items.every((item) => !item.json?.error),
					`${node.name}: error items ${show(items.filter((item) => item.json?.error).map((item) => item.json))}`,
				);
			}
		});
	}
}

async function main(): Promise<void> {
	const t0 = Date.now();
	console.log('n8n integration test: the packed package in a real n8n 2.41.1');
	const install = await ensureN8n();
	const tmp = makeTempDir('runcomfy-n8n-test-');
	const tarball = await buildAndPack(path.join(tmp, 'pack'));

	const emulator = new RunComfyEmulator({
		queueMs: 300,
		durationMs: 1200,
		videoBytes: VIDEO_BYTES,
	});
	emulator.onSubmit = (body) => {
		const prompt = String(body['600_prompt'] ?? '');
		if (prompt.startsWith('[hold-in-queue]')) return { queueMs: 10 * 60_000 };
		if (prompt.startsWith('[fail]'))
			return { outcome: 'failed', error: 'CUDA out of memory (emulated)' };
		return undefined;
	};
	// Examples may point at real image hosts: their emulator does not fetch images (closed network).
	const examplesEmulator = new RunComfyEmulator({
		queueMs: 300,
		durationMs: 1200,
		videoBytes: 256 * 1024,
		fetchImages: false,
	});
	console.log(`Emulator on ${await emulator.start()}`);
	const folders: string[] = [];
	let ok = false;
	try {
		console.log(
			'\n[by hand] npm install <tarball> in .n8n/nodes (npm also installs the peer n8n-workflow)',
		);
		const byHand = await prepare(
			install,
			tmp,
			'by-hand',
			async () => await makeUserFolder(tarball),
			emulator,
			jsonFiles(WORKFLOWS_DIR),
		);
		folders.push(byHand.userFolder);
		await runSuite(byHand);

		const examples = jsonFiles(EXAMPLES_DIR);
		if (examples.length > 0) {
			console.log(`\n[examples] ${examples.length} workflow(s) from examples/`);
			await examplesEmulator.start();
			const suite = await prepare(
				install,
				tmp,
				'examples',
				async () => await makeUserFolder(tarball, 'runcomfy-n8n-examples-'),
				examplesEmulator,
				examples,
				true,
			);
			folders.push(suite.userFolder);
			await runExamples(suite);
		} else {
			console.log('\n[examples] no examples/ folder: skipped');
		}

		console.log(
			"\n[n8n's installer] package only, without peer dependencies (how Settings → Community nodes installs)",
		);
		const bare = await prepare(
			install,
			tmp,
			'package-only',
			async () => await bareUserFolder(tarball),
			emulator,
			[path.join(WORKFLOWS_DIR, 'generate-download.json')],
		);
		folders.push(bare.userFolder);
		await check(
			'[package only] no n8n-workflow/zod next to the package; Generate Video still runs',
			async (expect) => {
				const modules = fs.readdirSync(path.join(bare.userFolder, '.n8n', 'nodes', 'node_modules'));
				expect(
					!modules.includes('n8n-workflow') && !modules.includes('zod'),
					`peer dependencies were installed: ${modules.join(', ')}`,
				);
				const { result, execution } = await execute(bare, 'rcTestGenerate01');
				expect(
					execution?.status === 'success',
					`execution ${show(execution?.status)}; ${explain(result)}`,
				);
				const item = itemsOf(execution, 'Generate Video')[0];
				expect(item?.json?.status === 'completed', `item ${show(item?.json)}`);
				if (item)
					expectVideoBinary(expect, bare.userFolder, item, 'data', String(item.json.requestId));
			},
		);
		ok = outcomes.every((outcome) => outcome.failures.length === 0);
	} finally {
		await emulator.stop();
		await examplesEmulator.stop();
		if (ok && !process.env.KEEP_N8N_TMP) {
			fs.rmSync(tmp, { recursive: true, force: true });
			for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
		} else {
			console.log(`\nKept for inspection: ${[tmp, ...folders].join(' ')}`);
		}
	}
	const passed = outcomes.filter((outcome) => outcome.failures.length === 0).length;
	const failed = outcomes.length - passed;
	console.log(`\nn8n: ${passed} passed, ${failed} failed (${elapsed(t0)})`);
	process.exitCode = failed === 0 ? 0 : 1;
}

/**
 * The package alone in .n8n/nodes/node_modules, as n8n's own installer leaves it (it strips
 * peerDependencies before `npm install`): the node must work with n8n's n8n-workflow and zod.
 */
async function bareUserFolder(tarball: string): Promise<string> {
	const userFolder = makeTempDir('runcomfy-n8n-bare-');
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-runcomfy');
	fs.mkdirSync(target, { recursive: true });
	fs.writeFileSync(
		path.join(userFolder, '.n8n', 'nodes', 'package.json'),
		JSON.stringify({
			name: 'installed-nodes',
			private: true,
			dependencies: { 'n8n-nodes-runcomfy': '0.0.0' },
		}),
	);
	await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { quiet: true });
	return userFolder;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	console.log('\nn8n: 0 passed, 1 failed (the test could not run)');
	process.exit(1);
});
