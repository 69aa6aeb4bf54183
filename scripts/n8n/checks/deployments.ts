/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * `n8n execute` checks of the RunComfy node's Deployment resource (RunComfy's Serverless API, on
 * the credential's Account API URL, served by the emulator on the same host): Run Workflow on the
 * text-to-image deployment with a 64-bit seed through the resource mapper, the video deployment's
 * several output nodes, Dry Run, an input out of range, and Submit Job → Job › Wait for Completion
 * with the job's Deployment ID. Every Inputs value is a resource mapper value as the editor saves it
 * (`defineBelow`, the fields' `schema` as the node's `getWorkflowInputs` gives them).
 */
import * as fs from 'fs';

import {
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
	TINY_PNG,
	type RecordedRequest,
} from '../../../test/emulator/emulator';
import type { Json } from '../common';
import { show, type Column, type Expect } from '../runner';
import {
	binaryFile,
	execute,
	executeSucceeded,
	explain,
	IMAGE_PATH,
	itemsOf,
	type Suite,
} from './cli';

export const DEPLOYMENTS: Column = 'Deployments';
/** 2^64 − 1: more than a JS number holds exactly; it must reach RunComfy as these digits. */
export const SEED_MAX = '18446744073709551615';
export const T2I_PATH = `/prod/v1/deployments/${DEPLOYMENT_T2I}/inference`;

export async function deploymentChecks(suite: Suite): Promise<void> {
	const checks: Array<[string, (suite: Suite, expect: Expect) => Promise<void>]> = [
		['Run Workflow, text to image: the seed 2^64 − 1 exact, imageUrl, files, the PNG', runT2I],
		['Run Workflow, video deployment: video, frame, zip and text from four output nodes', runVideo],
		['Dry Run: the body a run would send to …/inference, nothing submitted', dryRun],
		['KSampler steps 0: the error names the field, nothing submitted', invalid],
		['Submit Job → Job › Wait for Completion with the Deployment ID', submitWait],
	];
	for (const [name, body] of checks) {
		await suite.runner.check(DEPLOYMENTS, name, async (expect) => await body(suite, expect));
	}
}

/** JSON objects equal whatever their key order. */
export function same(a: unknown, b: unknown): boolean {
	const sorted = (value: unknown): unknown =>
		value && typeof value === 'object' && !Array.isArray(value)
			? Object.fromEntries(
					Object.entries(value)
						.sort(([x], [y]) => x.localeCompare(y))
						.map(([key, inner]) => [key, sorted(inner)]),
				)
			: value;
	return show(sorted(a)) === show(sorted(b));
}

export function routesSince(
	suite: Pick<Suite, 'emulator'>,
	since: number,
	route: RecordedRequest['route'],
): RecordedRequest[] {
	return suite.emulator.requests.slice(since).filter((r) => r.route === route);
}

/** A file of a deployment job as the emulator serves it. */
export function fileUrl(base: string, requestId: string, name: string): string {
	return `${base}/files/${requestId}/${name}`;
}

/** What the node says of the deployment on every item it outputs. */
function expectDeploymentFacts(
	expect: Expect,
	json: Json,
	facts: { id: string; name: string; hardware: string },
	label: string,
): void {
	expect(json.deploymentId === facts.id, `${label}: deploymentId ${show(json.deploymentId)}`);
	expect(
		json.deploymentName === facts.name,
		`${label}: deploymentName ${show(json.deploymentName)}`,
	);
	expect(
		show(json.hardware) === show([facts.hardware]),
		`${label}: hardware ${show(json.hardware)}`,
	);
}

const T2I_FACTS = { id: DEPLOYMENT_T2I, name: 'SDXL Text to Image', hardware: 'AMPERE_48' };
const VIDEO_FACTS = {
	id: DEPLOYMENT_VIDEO,
	name: 'Wan FusionX Image to Video',
	hardware: 'ADA_80_PLUS',
};
const FOX = 'A red fox in fresh snow, golden hour';

/** The job was followed on its deployment's own result path, never on the Model API. */
function expectFollowedOnDeployment(
	suite: Suite,
	expect: Expect,
	since: number,
	deploymentId: string,
	requestId: string,
	label: string,
): void {
	const results = routesSince(suite, since, 'deploymentResult');
	const want = `/prod/v1/deployments/${deploymentId}/requests/${requestId}/result`;
	expect(
		results.length > 0 && results.every((r) => r.path === want),
		`${label}: result look-ups ${show(results.map((r) => r.path))}, want ${want}`,
	);
	const model =
		routesSince(suite, since, 'status').length + routesSince(suite, since, 'result').length;
	expect(model === 0, `${label}: ${model} look-ups went to the Model API`);
}

async function runT2I(suite: Suite, expect: Expect): Promise<void> {
	const { emulator, base } = suite;
	const since = emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestDpT2I00001', expect);
	if (!execution) return;
	const submits = routesSince(suite, since, 'deploymentSubmit');
	expect(submits.length === 1, `want 1 submit, emulator saw ${submits.length}`);
	const submit = submits[0];
	expect(submit?.path === T2I_PATH, `submitted to ${show(submit?.path)}, want ${T2I_PATH}`);
	expect(
		submit?.authorization === `Bearer ${emulator.token}`,
		`credential not applied: Authorization ${show(submit?.authorization)}`,
	);
	// The body exactly as RunComfy received it: the seed as bare digits, not rounded, not quoted.
	const requestId = String(submit?.requestId);
	const job = emulator.serverless.jobs.get(requestId);
	const wantBody = `{"overrides":{"3":{"inputs":{"seed":${SEED_MAX}}},"5":{"inputs":{"height":768}},"6":{"inputs":{"text":"${FOX}"}}}}`;
	expect(job?.rawBody === wantBody, `the job's rawBody ${show(job?.rawBody)}, want ${wantBody}`);
	expect(
		job?.bigIntegers.has(JSON.stringify(['overrides', '3', 'inputs', 'seed'])) === true,
		`the emulator did not read the seed as an integer beyond 2^53: ${show([...(job?.bigIntegers ?? [])])}`,
	);
	expect(
		String(job?.workflow?.['3']?.inputs?.seed) === SEED_MAX,
		`the graph run has seed ${show(job?.workflow?.['3']?.inputs?.seed)}`,
	);
	const read = routesSince(suite, since, 'deployments');
	expect(
		read.length === 1 &&
			read[0].path === `/prod/v2/deployments/${DEPLOYMENT_T2I}` &&
			read[0].query.includes === 'payload',
		`the deployment read ${show(read.map((r) => `${r.path}?${new URLSearchParams(r.query)}`))}`,
	);

	const items = itemsOf(execution, 'Run T2I');
	expect(items.length === 1, `want 1 item, got ${items.length}`);
	const json = items[0]?.json ?? {};
	const image = fileUrl(base, requestId, 'ComfyUI_00001_.png');
	expect(json.requestId === requestId, `requestId ${show(json.requestId)} ≠ ${requestId}`);
	expect(json.status === 'succeeded', `status ${show(json.status)}`);
	expect(json.imageUrl === image, `imageUrl ${show(json.imageUrl)}, want ${image}`);
	const file = { url: image, kind: 'image', nodeId: '9', channel: 'images' };
	expect(
		same(json.files, [{ ...file, filename: 'ComfyUI_00001_.png' }]),
		`files ${show(json.files)}`,
	);
	expect(show(json.data) === '[]', `data ${show(json.data)}`);
	expectDeploymentFacts(expect, json, T2I_FACTS, 'Run T2I');
	expectFollowedOnDeployment(suite, expect, since, DEPLOYMENT_T2I, requestId, 'Run T2I');
	expectPng(suite, expect, items[0], requestId);
}

/** Download Files: the PNG under binary.data, stored on disk in filesystem mode, byte for byte. */
function expectPng(suite: Suite, expect: Expect, item: Json | undefined, requestId: string): void {
	const binary = item?.binary?.data;
	expect(binary, `binary.data is missing (binary: ${show(Object.keys(item?.binary ?? {}))})`);
	if (!binary) return;
	expect(binary.mimeType === 'image/png', `binary.data.mimeType ${show(binary.mimeType)}`);
	expect(
		typeof binary.fileName === 'string' && binary.fileName.startsWith(requestId),
		`binary.data.fileName ${show(binary.fileName)}`,
	);
	expect(
		typeof binary.id === 'string' && binary.id.startsWith('filesystem'),
		`binary.data.id is not a filesystem id: ${show(binary.id)}`,
	);
	const path = typeof binary.id === 'string' ? binaryFile(suite.userFolder, binary.id) : undefined;
	expect(path, `no file on disk for ${show(binary.id)}`);
	if (!path) return;
	const stored = fs.readFileSync(path);
	expect(
		stored.equals(TINY_PNG),
		`the stored file has ${stored.length} bytes, not the ${TINY_PNG.length} bytes served`,
	);
	const downloads = suite.emulator.requests.filter(
		(r) => r.route === 'file' && r.requestId === requestId,
	);
	expect(downloads.length === 1, `the PNG was downloaded ${downloads.length} times, want once`);
}

async function runVideo(suite: Suite, expect: Expect): Promise<void> {
	const { emulator, base } = suite;
	const since = emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestDpVideo001', expect);
	if (!execution) return;
	const submits = routesSince(suite, since, 'deploymentSubmit');
	expect(submits.length === 1, `want 1 submit, emulator saw ${submits.length}`);
	const overrides = (submits[0]?.body as Json | undefined)?.overrides;
	const want = {
		'10': { inputs: { image: `${base}${IMAGE_PATH}` } },
		'11': { inputs: { text: 'The camera slowly pushes in on the fox' } },
		'38:42': { inputs: { frame_rate: 24, pingpong: true } },
	};
	expect(same(overrides, want), `overrides ${show(overrides)}, want ${show(want)}`);
	const requestId = String(submits[0]?.requestId);
	const job = emulator.serverless.jobs.get(requestId);
	expect(
		job?.workflow?.['38:42']?.inputs?.frame_rate === 24,
		`the graph run has frame_rate ${show(job?.workflow?.['38:42']?.inputs?.frame_rate)}`,
	);

	const json = itemsOf(execution, 'Run Video')[0]?.json ?? {};
	const url = (name: string) => fileUrl(base, requestId, name);
	expect(json.status === 'succeeded', `status ${show(json.status)}`);
	expect(json.videoUrl === url('FusionX_00001_.mp4'), `videoUrl ${show(json.videoUrl)}`);
	expect(json.imageUrl === url('frames_00001_.png'), `imageUrl ${show(json.imageUrl)}`);
	expect(json.fileUrl === url('frames_00001_.zip'), `fileUrl ${show(json.fileUrl)}`);
	expect(
		show(json.fileUrls) === show([url('frames_00001_.zip'), url('caption_00001_.txt')]),
		`fileUrls ${show(json.fileUrls)}`,
	);
	expect(json.text === 'a caption', `text ${show(json.text)}`);
	expect(
		show(json.texts) === show(['a caption', 'a cat', 'by a window']),
		`texts ${show(json.texts)}`,
	);
	const files = ((json.files ?? []) as Json[]).map((f) => [
		f.nodeId,
		f.channel,
		f.kind,
		f.filename,
	]);
	const wantFiles = [
		['38:42', 'gifs', 'video', 'FusionX_00001_.mp4'],
		['60', 'images', 'image', 'frames_00001_.png'],
		['60', 'images', 'file', 'frames_00001_.zip'],
		['80', 'files', 'file', 'caption_00001_.txt'],
	];
	expect(show(files) === show(wantFiles), `files (node, channel, kind, name) ${show(files)}`);
	expect(
		same(json.data, [
			{ nodeId: '70', channel: 'text', values: ['a caption'] },
			{ nodeId: '70', channel: 'string', values: ['a cat', 'by a window'] },
		]),
		`data ${show(json.data)}`,
	);
	expectDeploymentFacts(expect, json, VIDEO_FACTS, 'Run Video');
	expectFollowedOnDeployment(suite, expect, since, DEPLOYMENT_VIDEO, requestId, 'Run Video');
}

async function dryRun(suite: Suite, expect: Expect): Promise<void> {
	const { emulator } = suite;
	const since = emulator.requests.length;
	const jobsBefore = emulator.serverless.jobs.size;
	const execution = await executeSucceeded(suite, 'rcTestDpDryRun01', expect);
	if (!execution) return;
	const json = itemsOf(execution, 'Dry Run')[0]?.json ?? {};
	expect(json.dryRun === true, `dryRun ${show(json.dryRun)}`);
	expect(
		json.request?.method === 'POST' && json.request?.path === T2I_PATH,
		`request ${show(json.request)}, want POST ${T2I_PATH}`,
	);
	const inputs = json.payload?.overrides ?? {};
	expect(
		same(Object.keys(json.payload ?? {}), ['overrides']) &&
			same(Object.keys(inputs), ['3', '6']) &&
			inputs['6']?.inputs?.text === FOX,
		`payload ${show(json.payload)}`,
	);
	// n8n prints the execution as JSON: the exact seed can only show as its digits.
	expect(
		String(inputs['3']?.inputs?.seed) === SEED_MAX,
		`payload seed ${show(inputs['3']?.inputs?.seed)}, want ${SEED_MAX}`,
	);
	expectDeploymentFacts(expect, json, T2I_FACTS, 'Dry Run');
	expect(
		json.priceUnit === 'GPU second' && json.estimate?.jobs === 1,
		`price ${show(json.priceUnit)}, estimate ${show(json.estimate)}`,
	);
	const sent = emulator.requests
		.slice(since)
		.filter((r) => !['deployments', 'objectInfo'].includes(r.route));
	expect(sent.length === 0, `Dry Run sent ${show(sent.map((r) => `${r.method} ${r.path}`))}`);
	const made = emulator.serverless.jobs.size - jobsBefore;
	expect(made === 0, `Dry Run created ${made} job(s)`);
}

async function invalid(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const { result, execution } = await execute(suite, 'rcTestDpInvalid1');
	expect(execution, `no execution JSON; ${explain(result)}`);
	if (!execution) return;
	expect(execution.status === 'error', `execution status ${show(execution.status)}, want error`);
	const error = execution.data?.resultData?.error ?? {};
	expect(
		error.message === 'KSampler › steps (node 3) must be between 1 and 10000, got 0',
		`error.message ${show(error.message)}`,
	);
	expect(
		/Nothing was submitted/.test(String(error.description)),
		`error.description ${show(error.description)}`,
	);
	expect(error.node?.name === 'Run T2I', `error.node ${show(error.node?.name)}`);
	expect(
		String(error.stack).includes('/.n8n/nodes/node_modules/n8n-nodes-runcomfy/dist/'),
		'the error did not come from the installed tarball',
	);
	const submits = routesSince(suite, since, 'deploymentSubmit').length;
	expect(submits === 0, `the emulator saw ${submits} submits, want 0`);
	expect(result.code !== 0, 'n8n execute exited 0 for a failed execution');
}

async function submitWait(suite: Suite, expect: Expect): Promise<void> {
	const { emulator, base } = suite;
	const since = emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestDpSubWait1', expect);
	if (!execution) return;
	const submits = routesSince(suite, since, 'deploymentSubmit');
	expect(submits.length === 1, `want 1 submit, emulator saw ${submits.length}`);
	const submitted = itemsOf(execution, 'Submit')[0]?.json ?? {};
	const requestId = String(submitted.requestId);
	expect(requestId === submits[0]?.requestId, `Submit: requestId ${show(submitted.requestId)}`);
	expect(submitted.status === 'in_queue', `Submit: status ${show(submitted.status)}`);
	const jobUrl = `${base}/prod/v1/deployments/${DEPLOYMENT_T2I}/requests/${requestId}`;
	expect(
		submitted.statusUrl === `${jobUrl}/status` &&
			submitted.resultUrl === `${jobUrl}/result` &&
			submitted.cancelUrl === `${jobUrl}/cancel`,
		`Submit: URLs ${show(submitted)}`,
	);
	expectDeploymentFacts(expect, submitted, T2I_FACTS, 'Submit');
	const waited = itemsOf(execution, 'Wait')[0]?.json ?? {};
	expect(waited.requestId === requestId, `Wait: requestId ${show(waited.requestId)}`);
	expect(waited.status === 'succeeded', `Wait: status ${show(waited.status)}`);
	expect(
		waited.imageUrl === fileUrl(base, requestId, 'ComfyUI_00001_.png'),
		`Wait: imageUrl ${show(waited.imageUrl)}`,
	);
	expect(
		((waited.files ?? []) as Json[]).length === 1 && waited.files[0].nodeId === '9',
		`Wait: files ${show(waited.files)}`,
	);
	expectFollowedOnDeployment(suite, expect, since, DEPLOYMENT_T2I, requestId, 'Wait');
	const status = emulator.serverless.jobs.get(requestId)?.statusAt(Date.now());
	expect(status === 'succeeded', `emulator: the job is ${show(status)}`);
}
