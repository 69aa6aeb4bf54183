/**
 * The form example as its users run it: the published workflow's form URL, an image uploaded with a
 * prompt (multipart, as the browser sends the form), FusionX fed the upload as its start frame, and
 * the form's ending page. `n8n execute` cannot start a Form Trigger, so only a server proves it.
 */
import { TINY_PNG } from '../../../test/emulator/emulator';
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { waitFor } from '../time';
import { itemsOf } from './cli';
import { finishedExecution, newExecution, type ServerSuite } from './server';

const PROMPT = '[form] the fox turns its head towards the camera';

export async function formCheck(suite: ServerSuite): Promise<void> {
	await suite.runner.check(
		'server + Webhook',
		'example "upload an image in a form": the form posted with a PNG, the video link on its ending page',
		async (expect) => await postForm(suite, expect),
	);
}

/** The form's production path: the Form Trigger's Path, or its webhook id when Path is empty. */
function formPath(workflow: Json): string {
	const trigger = (workflow.nodes as Json[]).find(
		(node) => node.type === 'n8n-nodes-base.formTrigger',
	);
	return String(trigger?.parameters?.path || trigger?.webhookId);
}

async function submitForm(suite: ServerSuite, url: string): Promise<Response> {
	const form = new FormData();
	form.append('field-0', new Blob([TINY_PNG], { type: 'image/png' }), 'fox.png');
	form.append('field-1', PROMPT);
	// Until n8n has registered the published form, its URL answers 404 and starts nothing.
	return await waitFor(
		`the form ${url} to be registered`,
		async () => {
			const res = await fetch(url, { method: 'POST', body: form });
			return res.status === 404 ? undefined : res;
		},
		{ timeoutMs: 30_000, intervalMs: 250 },
	);
}

/**
 * What the browser does after the form is posted: n8n answers `{ formWaitingUrl }`; the page asks
 * `<that URL>/n8n-execution-status` until the run waits at the Form ending, opens the URL (the
 * ending page) and posts back to it, which finishes the execution.
 */
async function followToEnding(suite: ServerSuite, answer: Response): Promise<string> {
	const text = await answer.text();
	if (!answer.ok) throw new Error(`the form answered ${answer.status}: ${text.slice(0, 300)}`);
	const waiting = new URL(String((JSON.parse(text) as Json).formWaitingUrl));
	// n8n builds the URL from its public host; this server listens on 127.0.0.1.
	const ending = `${suite.server.url}${waiting.pathname}${waiting.search}`;
	const statusUrl = `${suite.server.url}${waiting.pathname}/n8n-execution-status${waiting.search}`;
	await waitFor(
		'the run to reach the Form ending',
		async () => {
			const status = await (await fetch(statusUrl)).text();
			if (['error', 'crashed', 'canceled'].includes(status))
				throw new Error(`the run ended ${status}`);
			return ['form-waiting', 'success'].includes(status) ? status : undefined;
		},
		{ timeoutMs: 120_000, intervalMs: 250 },
	);
	const page = await fetch(ending);
	const shown = `${page.status} ${await page.text()}`;
	// The ending page then posts back to the same URL, which lets the run finish.
	const resumed = await fetch(ending, { method: 'POST' });
	if (!resumed.ok) throw new Error(`the ending's post-back answered ${resumed.status}`);
	return shown;
}

async function postForm(suite: ServerSuite, expect: Expect): Promise<void> {
	const workflow = suite.workflows.find((entry) =>
		entry.json.nodes.some((node: Json) => node.type === 'n8n-nodes-base.formTrigger'),
	);
	if (!workflow) throw new Error('the form example was not imported');
	const url = `${suite.server.url}/form/${formPath(workflow.json)}`;
	let answer: Response | undefined;
	const id = await newExecution(
		suite,
		workflow.id,
		async () => (answer = await submitForm(suite, url)),
	);
	const ending = answer ? await followToEnding(suite, answer) : '';
	const execution = await finishedExecution(suite, workflow.id, id, 60_000);
	expect(execution.status === 'success', `saved execution ${id} is ${show(execution.status)}`);
	const item = itemsOf(execution, 'RunComfy FusionX')[0]?.json as Json | undefined;
	const job = suite.emulator.jobs.get(String(item?.requestId));
	expect(job, `no emulator job for the item ${show(item)}`);
	const image = String(job?.input?.['608_image'] ?? '');
	expect(
		image === `data:image/png;base64,${TINY_PNG.toString('base64')}`,
		`the job's start frame is not the uploaded PNG: ${show(image.slice(0, 80))}`,
	);
	expect(
		job?.input?.['600_prompt'] === PROMPT,
		`the job's prompt: ${show(job?.input?.['600_prompt'])}`,
	);
	expect(
		typeof item?.videoUrl === 'string' &&
			ending.startsWith('200') &&
			ending.includes(String(item.videoUrl)),
		`the form's ending does not show the video link ${show(item?.videoUrl)}: ${ending.slice(0, 300)}`,
	);
}
