/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * n8n as a server: `n8n start` on 127.0.0.1 with the package installed as n8n's own installer does,
 * an owner signed in over REST, the server workflows imported and published; runs started by
 * production webhooks or the editor's "Execute workflow", and read back from the saved executions.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { RunComfyEmulator } from '../../../test/emulator/emulator';
import {
	EXAMPLES_DIR,
	freePort,
	jsonFiles,
	startN8nServer,
	WORKFLOWS_DIR,
	type Json,
	type N8nServer,
} from '../common';
import type { N8nInstall } from '../install';
import { RestSession } from '../rest';
import type { Runner } from '../runner';
import { waitFor } from '../time';
import { prepare, type Suite } from './cli';
import { bareUserFolder } from './package-only';

export const SERVER_WORKFLOWS_DIR = path.join(WORKFLOWS_DIR, 'server');
/** The example a server runs as its users do: its form's production URL. */
export const FORM_EXAMPLE = path.join(EXAMPLES_DIR, 'form-image-to-video.json');
/** Triggers whose workflows are published, so their production URLs answer. */
const PUBLISHED_TRIGGERS = ['n8n-nodes-base.webhook', 'n8n-nodes-base.formTrigger'];

export interface ServerSuite extends Suite {
	server: N8nServer;
	rest: RestSession;
}

/** Starts a server on a fresh user folder; undefined (and a failed check) when it cannot. */
export async function startServerSuite(
	runner: Runner,
	install: N8nInstall,
	opts: {
		tmp: string;
		label: string;
		tarball: string;
		emulator: RunComfyEmulator;
		env?: NodeJS.ProcessEnv;
	},
): Promise<ServerSuite | undefined> {
	const userFolder = await bareUserFolder(opts.tarball);
	const suite = await prepare(runner, install, {
		...opts,
		userFolder,
		workflowFiles: [...jsonFiles(SERVER_WORKFLOWS_DIR), FORM_EXAMPLE],
	});
	let started: ServerSuite | undefined;
	await runner.check(
		'server + Webhook',
		`[${opts.label}] n8n start, owner set up over REST, workflows published`,
		async (expect) => {
			const server = await startN8nServer(install, suite.env, await freePort());
			started = { ...suite, server, rest: await RestSession.asOwner(install, server.url) };
			for (const workflow of suite.workflows) {
				if (!workflow.json.nodes.some((node: Json) => PUBLISHED_TRIGGERS.includes(node.type)))
					continue;
				await started.rest.publish(workflow.id);
			}
			const log = server.log();
			expect(
				!/error.*n8n-nodes-runcomfy/i.test(log),
				`the n8n log names the package in an error:\n${log}`,
			);
		},
	);
	return started;
}

/** Stops n8n and keeps its log in the user folder (`n8n.log`), for when the folder is kept. */
export async function stopServerSuite(suite: ServerSuite | undefined): Promise<void> {
	if (!suite) return;
	await suite.server.stop();
	fs.writeFileSync(path.join(suite.userFolder, 'n8n.log'), suite.server.log());
}

/**
 * A production webhook call, as a caller outside n8n makes it. n8n registers a published
 * workflow's webhooks a moment after the publish call answers; until then it answers 404 and
 * starts nothing, so a 404 is asked again (bounded).
 */
export async function callWebhook(
	suite: ServerSuite,
	webhookPath: string,
	body: Json = {},
): Promise<Response> {
	let last: Response | undefined;
	await waitFor(
		`webhook ${webhookPath} to be registered`,
		async () => {
			last = await fetch(`${suite.server.url}/webhook/${webhookPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return last.status === 404 ? undefined : last;
		},
		{ timeoutMs: 30_000, intervalMs: 250 },
	);
	if (!last?.ok)
		throw new Error(`webhook ${webhookPath} answered ${last?.status}: ${await last?.text()}`);
	return last;
}

/** Starts a run with `start` and answers the id of the execution it created (polled, bounded). */
export async function newExecution(
	suite: ServerSuite,
	workflowId: string,
	start: () => Promise<unknown>,
): Promise<string> {
	const before = new Set((await suite.rest.executions(workflowId)).map((e) => String(e.id)));
	await start();
	return await waitFor(
		`a new execution of ${workflowId}`,
		async () =>
			(await suite.rest.executions(workflowId))
				.map((e) => String(e.id))
				.find((id) => !before.has(id)),
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
}

const UNFINISHED = ['new', 'running', 'waiting', 'unknown'];

/** The saved execution once n8n has finished it (any end status), polled and bounded. */
export async function finishedExecution(
	suite: ServerSuite,
	workflowId: string,
	id: string,
	timeoutMs = 60_000,
): Promise<Json> {
	let last = '?';
	await waitFor(
		`execution ${id} to finish`,
		async () => {
			const summary = (await suite.rest.executions(workflowId)).find((e) => String(e.id) === id);
			last = String(summary?.status);
			return summary && !UNFINISHED.includes(last) ? true : undefined;
		},
		{ timeoutMs, intervalMs: 250, describe: () => `status ${last}` },
	);
	return await suite.rest.execution(id);
}

/** Peak resident memory of a process since the last reset (VmHWM), and a way to reset it. */
export const memory = {
	peakKiB(pid: number): number {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
	},
	currentKiB(pid: number): number {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
	},
	/** Linux: writing 5 to clear_refs resets the peak to the current RSS. */
	resetPeak(pid: number): boolean {
		try {
			fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
			return true;
		} catch {
			return false;
		}
	},
};
