/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * What the `n8n execute` checks share: a user folder with the credential and workflows imported,
 * running one workflow, and reading its execution JSON.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { RunComfyEmulator } from '../../../test/emulator/emulator';
import {
	extractExecutionJson,
	freePort,
	n8nEnv,
	renderWorkflows,
	runN8n,
	writeCredentials,
	type CliResult,
	type Json,
} from '../common';
import type { N8nInstall } from '../install';
import { show, tail, type Expect, type Runner } from '../runner';

export const VIDEO_BYTES = 2 * 1024 * 1024 + 123;
export const IMAGE_PATH = '/images/start.png';

/** The prompts the test workflows use to script their jobs at the emulator. */
export function scriptJobs(emulator: RunComfyEmulator): void {
	emulator.onSubmit = (body) => {
		const prompt = String(body['600_prompt'] ?? '');
		if (prompt.startsWith('[hold-in-queue]')) return { queueMs: 10 * 60_000 };
		if (prompt.startsWith('[fail]')) {
			return { outcome: 'failed', error: 'CUDA out of memory (emulated)' };
		}
		return undefined;
	};
}

export interface Suite {
	runner: Runner;
	install: N8nInstall;
	userFolder: string;
	env: NodeJS.ProcessEnv;
	emulator: RunComfyEmulator;
	base: string;
	workflows: ReturnType<typeof renderWorkflows>;
}

/** Output items of a node's first run, first output (or `output`). */
export function itemsOf(execution: Json | undefined, node: string, output = 0): Json[] {
	return execution?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[output] ?? [];
}

export function explain(result: CliResult): string {
	return `n8n exited ${result.code ?? result.signal}; output tail:\n${tail(result.stdout + '\n' + result.stderr)}`;
}

/** Imports the credential and the workflows into the suite's user folder with n8n's CLI. */
export async function prepare(
	runner: Runner,
	install: N8nInstall,
	opts: {
		tmp: string;
		label: string;
		userFolder: string;
		emulator: RunComfyEmulator;
		workflowFiles: string[];
		shortenWaits?: boolean;
		env?: NodeJS.ProcessEnv;
	},
): Promise<Suite> {
	const { tmp, label, userFolder, emulator } = opts;
	const base = emulator.baseUrl;
	const env = n8nEnv(install, userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...opts.env,
	});
	const credentials = path.join(tmp, `${label}-credentials.json`);
	writeCredentials(credentials, base, emulator.token);
	const dir = path.join(tmp, `${label}-workflows`);
	const workflows = renderWorkflows(opts.workflowFiles, dir, {
		baseUrl: base,
		shortenWaits: opts.shortenWaits,
	});
	const suite: Suite = { runner, install, userFolder, env, emulator, base, workflows };
	await runner.check(
		'n8n execute',
		`[${label}] n8n import:credentials and import:workflow`,
		async (expect) => {
			const creds = await runN8n(install, ['import:credentials', `--input=${credentials}`], env);
			expect(
				/Successfully imported 1 credential/.test(creds.stdout),
				`import:credentials: ${explain(creds)}`,
			);
			const wfs = await runN8n(install, ['import:workflow', '--separate', `--input=${dir}`], env);
			expect(
				new RegExp(`Successfully imported ${workflows.length} workflows?`).test(wfs.stdout),
				`import:workflow: ${explain(wfs)}`,
			);
		},
	);
	return suite;
}

export async function execute(
	suite: Suite,
	id: string,
): Promise<{ result: CliResult; execution?: Json }> {
	const result = await runN8n(suite.install, ['execute', `--id=${id}`, '--rawOutput'], suite.env);
	return {
		result,
		execution: extractExecutionJson(result.stdout) ?? extractExecutionJson(result.stderr),
	};
}

/** Runs a workflow and expects it to succeed; undefined when n8n printed no execution to inspect. */
export async function executeSucceeded(
	suite: Suite,
	id: string,
	expect: Expect,
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

/** Finds a filesystem-mode binary's file under the user folder from its id. */
export function binaryFile(userFolder: string, id: string): string | undefined {
	const relative = id.replace(/^filesystem(-v2)?:/, '');
	for (const root of ['storage', 'binaryData']) {
		const candidate = path.join(userFolder, '.n8n', root, relative);
		if (fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** The video as n8n stored it in filesystem mode: metadata, and the file on disk, byte for byte. */
export function expectVideoBinary(
	expect: Expect,
	userFolder: string,
	item: Json | undefined,
	property: string,
	requestId: string,
	bytes = VIDEO_BYTES,
): void {
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
	// n8n 1.x stores no `bytes`, only a rounded `fileSize` text; the file on disk is checked below.
	expect(
		binary.bytes === bytes || (binary.bytes === undefined && typeof binary.fileSize === 'string'),
		`binary.${property}.bytes is ${show(binary.bytes)}, want ${bytes}`,
	);
	if (typeof binary.id !== 'string') return;
	const file = binaryFile(userFolder, binary.id);
	expect(file, `no file on disk for ${binary.id}`);
	if (!file) return;
	const size = fs.statSync(file).size;
	expect(size === bytes, `file ${file} has ${size} bytes, want ${bytes}`);
}
