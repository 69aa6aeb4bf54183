/**
 * `n8n execute` checks: every operation of the node in workflows run by n8n's CLI, the video stored
 * as filesystem binary data, a validation error, and Continue On Fail.
 */
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import {
	execute,
	executeSucceeded,
	explain,
	expectVideoBinary,
	IMAGE_PATH,
	itemsOf,
	type Suite,
} from './cli';

export async function executeChecks(suite: Suite): Promise<void> {
	const { runner } = suite;
	await runner.check(
		'n8n execute',
		'Generate Video (URL image, download → binary in filesystem mode)',
		async (expect) => await generateDownload(suite, expect),
	);
	await runner.check(
		'n8n execute',
		'Submit Job, Get Status, Wait for Completion, Get Result (download), Cancel Job',
		async (expect) => await lifecycle(suite, expect),
	);
	await runner.check(
		'n8n execute',
		'Generate Video with the start frame from binary (data: URI)',
		async (expect) => await binaryImage(suite, expect),
	);
	await runner.check(
		'n8n execute',
		'Validation error (Steps 50) fails the execution, nothing submitted',
		async (expect) => await validationError(suite, expect),
	);
	await runner.check(
		'Continue On Fail',
		'Continue On Fail: one video, one validation error item, one failed-job error item',
		async (expect) => await continueOnFail(suite, expect),
	);
}

function submitsSince(suite: Suite, since: number) {
	return suite.emulator.requests.slice(since).filter((r) => r.route === 'submit');
}

async function generateDownload(suite: Suite, expect: Expect): Promise<void> {
	const { emulator, base } = suite;
	const since = emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestGenerate01', expect);
	if (!execution) return;
	const items = itemsOf(execution, 'Generate Video');
	expect(items.length === 1, `want 1 item, got ${items.length}`);
	const json = items[0]?.json ?? {};
	const submits = submitsSince(suite, since);
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
	expect(
		body['608_image'] === `${base}${IMAGE_PATH}`,
		`submitted 608_image ${show(body['608_image'])}`,
	);
	expect(
		body['600_prompt'] === 'The camera slowly pushes in while the light flickers',
		`submitted 600_prompt ${show(body['600_prompt'])}`,
	);
	expect(
		submits[0]?.authorization === `Bearer ${emulator.token}`,
		`credential not applied: Authorization ${show(submits[0]?.authorization)}`,
	);
	expectVideoBinary(expect, suite.userFolder, items[0], 'data', requestId);
}

const LIFECYCLE_SUBMIT: Json = {
	'600_prompt': 'A slow dolly shot across a misty lake',
	'602_widthx602_height': '720x480 (3:2)',
	'602_num_frames': 141,
	'609_frame_rate': 24,
	'598_seed': 42,
	'598_steps': 10,
	'598_cfg': 1.5,
	'598_shift': 7,
	'999_extra': 'kept',
};

async function lifecycle(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestLifecycle1', expect);
	if (!execution) return;
	const requestId = String(itemsOf(execution, 'Submit Job')[0]?.json?.requestId);
	expectSubmitted(suite, expect, execution, requestId, since);
	expectStatus(suite, expect, execution, requestId);
	expectWaitedAndResult(suite, expect, execution, requestId);
	expectCancelled(suite, expect, execution);
}

function expectSubmitted(
	suite: Suite,
	expect: Expect,
	execution: Json,
	requestId: string,
	since: number,
) {
	const { emulator, base } = suite;
	const submitted = itemsOf(execution, 'Submit Job')[0]?.json ?? {};
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
	const body = (submitsSince(suite, since).find((r) => r.requestId === requestId)?.body ??
		{}) as Json;
	const want: Json = { ...LIFECYCLE_SUBMIT, '608_image': `${base}${IMAGE_PATH}` };
	for (const [key, value] of Object.entries(want)) {
		expect(
			body[key] === value,
			`Submit Job: body.${key} is ${show(body[key])}, want ${show(value)}`,
		);
	}
}

function expectStatus(suite: Suite, expect: Expect, execution: Json, requestId: string) {
	const status = itemsOf(execution, 'Get Status')[0]?.json ?? {};
	expect(status.requestId === requestId, `Get Status: requestId ${show(status.requestId)}`);
	expect(
		['in_queue', 'in_progress'].includes(status.status),
		`Get Status: status ${show(status.status)} (want in_queue or in_progress)`,
	);
	expect(
		status.statusUrl === `${suite.base}/v1/requests/${requestId}/status`,
		`Get Status: ${show(status)}`,
	);
	expect(
		suite.emulator.count('status', requestId) >= 1,
		'Get Status: the emulator saw no status call',
	);
}

function expectWaitedAndResult(suite: Suite, expect: Expect, execution: Json, requestId: string) {
	const waited = itemsOf(execution, 'Wait for Completion')[0]?.json ?? {};
	expect(
		waited.requestId === requestId,
		`Wait for Completion: requestId ${show(waited.requestId)}`,
	);
	expect(waited.status === 'completed', `Wait for Completion: status ${show(waited.status)}`);
	expect(
		waited.videoUrl === `${suite.base}/files/${requestId}.mp4`,
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
	expectVideoBinary(expect, suite.userFolder, resultItem, 'video', requestId);
}

function expectCancelled(suite: Suite, expect: Expect, execution: Json) {
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
	const status = suite.emulator.statusOf(queuedId);
	expect(status === 'cancelled', `emulator: job ${queuedId} is ${status}`);
}

async function binaryImage(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestBinaryImg1', expect);
	if (!execution) return;
	const json = itemsOf(execution, 'Generate Video')[0]?.json ?? {};
	expect(json.status === 'completed', `status ${show(json.status)}`);
	const sent = String(
		(submitsSince(suite, since)[0]?.body as Json | undefined)?.['608_image'] ?? '',
	);
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
}

async function validationError(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const { result, execution } = await execute(suite, 'rcTestValidate01');
	expect(execution, `no execution JSON; ${explain(result)}`);
	if (!execution) return;
	expect(execution.status === 'error', `execution status ${show(execution.status)}, want error`);
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
	const submits = submitsSince(suite, since).length;
	expect(submits === 0, `the emulator saw ${submits} submits, want 0`);
	expect(result.code !== 0, 'n8n execute exited 0 for a failed execution');
}

async function continueOnFail(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
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
	const submits = submitsSince(suite, since);
	expect(submits.length === 2, `want 2 submits (items 0 and 2), emulator saw ${submits.length}`);
	const failedIds = submits
		.filter((r) => String((r.body as Json)?.['600_prompt']).startsWith('[fail]'))
		.map((r) => String(r.requestId));
	expectThreeOutcomes(
		expect,
		items.map((item) => item.json ?? {}),
		failedIds,
	);
}

/**
 * An error item's fields, in either shape the node gives: at the top (Continue On Fail) or inside
 * one `error` object (the error output, where every n8n line routes an item that is `{ error }`).
 */
function errorFields(json: Json | undefined): Json {
	return typeof json?.error === 'object' && json.error
		? { ...json.error, error: json.error.message }
		: { ...json };
}

/** Item 0 a video, item 1 a validation error, item 2 RunComfy's failure with its request id. */
export function expectThreeOutcomes(expect: Expect, items: Json[], failedIds: string[]): void {
	const [ok] = items;
	const [invalid, failed] = items.slice(1).map(errorFields);
	expect(ok?.status === 'completed' && ok?.videoUrl, `item 0: ${show(ok)}`);
	expect(ok?.input?.['600_prompt'] === 'A cat turns its head', `item 0 prompt: ${show(ok?.input)}`);
	expect(
		/Steps must be between 6 and 20, got 50/.test(String(invalid?.error)),
		`item 1: ${show(invalid)}`,
	);
	expect(invalid?.requestId === undefined, `item 1 has a requestId: ${show(invalid)}`);
	expect(failed?.error, `item 2 has no error: ${show(failed)}`);
	expect(
		failedIds.includes(failed?.requestId),
		`item 2 requestId ${show(failed?.requestId)} is not the failed job's (${failedIds.join(', ')}): ${show(items[2])}`,
	);
	expect(failed?.status === 'failed', `item 2 status ${show(failed?.status)}`);
	expect(
		/out of memory/i.test(`${failed?.error} ${failed?.description}`),
		`item 2 does not carry RunComfy's error: ${show(failed)}`,
	);
}
