/**
 * `n8n execute` checks of the RunComfy node (every model of the catalog): Run Model for an image
 * model, List Models and Get Model, FLUX's image turned into a FusionX video (both models' inputs
 * given through the resource mapper and checked against their schemas), a field out of range,
 * Dry Run, and Check Job's two outputs.
 */
import { FLUX_ID, FUSIONX_ID, MODELS } from '../../../test/emulator/catalog';
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { execute, executeSucceeded, explain, itemsOf, type Suite } from './cli';

const COLUMN = 'RunComfy node';

export async function runComfyChecks(suite: Suite): Promise<void> {
	const { runner } = suite;
	const checks: Array<[string, (suite: Suite, expect: Expect) => Promise<void>]> = [
		['Run Model, FLUX text to image: imageUrl, price, priceUnit, cost', runFlux],
		['List Models (all, by category) and Get Model (schema, price, categories)', catalog],
		['FLUX image → FusionX video, two catalog models through the resource mapper', imageToVideo],
		['FLUX Guidance Scale 50: the error names the field by its title, nothing submitted', range],
		['Dry Run: nothing submitted, the payload typed, price and estimate', dryRun],
		['Check Job: a finished job to Completed, a queued one to Still Running', checkJob],
	];
	for (const [name, body] of checks) {
		await runner.check(COLUMN, name, async (expect) => await body(suite, expect));
	}
}

/** JSON objects equal whatever their key order. */
function same(a: unknown, b: unknown): boolean {
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

function submitsSince(suite: Suite, since: number) {
	return suite.emulator.requests.slice(since).filter((r) => r.route === 'submit');
}

const FLUX_INPUT = {
	prompt: 'A red fox in fresh snow, golden hour',
	guidance_scale: 4,
	image_size: 'square',
	output_format: 'png',
	seed: 7,
};

/** A finished FLUX job as the node outputs it, its request id the emulator's. */
function expectFluxImage(suite: Suite, expect: Expect, json: Json, label: string): void {
	const requestId = String(json.requestId);
	expect(suite.emulator.jobs.has(requestId), `${label}: unknown requestId ${show(requestId)}`);
	expect(json.status === 'completed', `${label}: status ${show(json.status)}`);
	expect(
		json.imageUrl === `${suite.base}/files/${requestId}.png`,
		`${label}: imageUrl ${show(json.imageUrl)}`,
	);
	expect(json.modelId === FLUX_ID, `${label}: modelId ${show(json.modelId)}`);
	expect(json.price === 0.01, `${label}: price ${show(json.price)}`);
	expect(json.priceUnit === 'image', `${label}: priceUnit ${show(json.priceUnit)}`);
	expect(json.cost === 0.12, `${label}: cost ${show(json.cost)}`);
}

async function runFlux(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestRcFlux0001', expect);
	if (!execution) return;
	const items = itemsOf(execution, 'Run FLUX');
	expect(items.length === 1, `want 1 item, got ${items.length}`);
	const json = items[0]?.json ?? {};
	expectFluxImage(suite, expect, json, 'Run FLUX');
	expect(same(json.input, FLUX_INPUT), `input ${show(json.input)}`);
	const submits = submitsSince(suite, since);
	expect(submits.length === 1, `want 1 submit, emulator saw ${submits.length}`);
	expect(submits[0]?.path === `/v1/models/${FLUX_ID}`, `submitted to ${show(submits[0]?.path)}`);
	expect(same(submits[0]?.body, FLUX_INPUT), `submitted ${show(submits[0]?.body)}`);
	expect(
		submits[0]?.authorization === `Bearer ${suite.emulator.token}`,
		`credential not applied: Authorization ${show(submits[0]?.authorization)}`,
	);
}

async function catalog(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestRcCatalog1', expect);
	if (!execution) return;
	const all = itemsOf(execution, 'List Models').map((item) => item.json ?? {});
	expect(
		show(all.map((model) => model.modelId)) === show(MODELS.map((model) => model.model_id)),
		`List Models (Return All): ${show(all.map((model) => model.modelId))}`,
	);
	const flux = all.find((model) => model.modelId === FLUX_ID) ?? {};
	expect(
		flux.price === 0.01 &&
			flux.priceUnit === 'image' &&
			show(flux.categories) === '["text-to-image"]',
		`List Models: FLUX ${show(flux)}`,
	);
	const images = itemsOf(execution, 'List Text to Image').map((item) => item.json ?? {});
	expect(
		images.length === 2 && images.every((model) => model.categories?.includes('text-to-image')),
		`List Models (category text-to-image, limit 2): ${show(images.map((m) => m.modelId))}`,
	);
	expectGetModel(expect, itemsOf(execution, 'Get Model')[0]?.json ?? {});
	const submits = submitsSince(suite, since).length;
	expect(submits === 0, `the catalog operations submitted ${submits} jobs`);
}

function expectGetModel(expect: Expect, model: Json): void {
	expect(model.modelId === FLUX_ID, `Get Model (by URL): modelId ${show(model.modelId)}`);
	expect(
		model.price === 0.01 && model.priceUnit === 'image',
		`Get Model: price ${show(model.price)} ${show(model.priceUnit)}`,
	);
	expect(show(model.categories) === '["text-to-image"]', `Get Model: ${show(model.categories)}`);
	expect(
		model.modelUrl === `https://www.runcomfy.com/models/${FLUX_ID}`,
		`Get Model: modelUrl ${show(model.modelUrl)}`,
	);
	const inputs = (model.inputs ?? []) as Json[];
	const guidance = inputs.find((input) => input.key === 'guidance_scale') ?? {};
	expect(
		show(inputs.map((input) => input.key)) ===
			show([
				'prompt',
				'guidance_scale',
				'seed',
				'image_size',
				'output_format',
				'enable_safety_checker',
			]),
		`Get Model: inputs ${show(inputs.map((input) => input.key))}`,
	);
	expect(
		guidance.title === 'Guidance Scale' && guidance.min === 0 && guidance.max === 20,
		`Get Model: guidance_scale ${show(guidance)}`,
	);
	expect(
		model.inputSchema?.properties?.prompt?.title === 'Prompt',
		`Get Model: inputSchema ${show(model.inputSchema)}`,
	);
}

const VIDEO_INPUT = {
	'600_prompt': 'The fox turns its head towards the camera',
	'602_widthx602_height': '480x480 (1:1)',
	'602_num_frames': 81,
	'609_frame_rate': 16,
	'598_steps': 8,
	'598_cfg': 1.5,
};

async function imageToVideo(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestRcChain001', expect);
	if (!execution) return;
	const image = itemsOf(execution, 'Text to Image')[0]?.json ?? {};
	expectFluxImage(suite, expect, image, 'Text to Image');
	const video = itemsOf(execution, 'Image to Video')[0]?.json ?? {};
	const requestId = String(video.requestId);
	expect(video.status === 'completed', `Image to Video: status ${show(video.status)}`);
	expect(
		video.videoUrl === `${suite.base}/files/${requestId}.mp4`,
		`Image to Video: videoUrl ${show(video.videoUrl)}`,
	);
	expect(
		video.modelId === FUSIONX_ID && video.price === 0.12 && video.priceUnit === 'request',
		`Image to Video: model facts ${show(video)}`,
	);
	const submits = submitsSince(suite, since);
	expect(
		show(submits.map((r) => r.path)) ===
			show([`/v1/models/${FLUX_ID}`, `/v1/models/${FUSIONX_ID}`]),
		`submits ${show(submits.map((r) => r.path))}`,
	);
	const body = (submits[1]?.body ?? {}) as Json;
	const want: Json = { ...VIDEO_INPUT, '608_image': image.imageUrl };
	expect(same(body, want), `FusionX submitted ${show(body)}, want ${show(want)}`);
	const fetched = suite.emulator.requests
		.slice(since)
		.some((r) => r.route === 'file' && `${suite.base}${r.path}` === image.imageUrl);
	expect(fetched, "the emulator's FusionX never fetched FLUX's image");
}

async function range(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const { result, execution } = await execute(suite, 'rcTestRcRange001');
	expect(execution, `no execution JSON; ${explain(result)}`);
	if (!execution) return;
	expect(execution.status === 'error', `execution status ${show(execution.status)}, want error`);
	const error = execution.data?.resultData?.error ?? {};
	expect(
		/^Guidance Scale must be between 0 and 20, got 50$/.test(String(error.message)),
		`error.message ${show(error.message)}`,
	);
	expect(
		/Nothing was submitted/.test(String(error.description)),
		`error.description ${show(error.description)}`,
	);
	expect(error.node?.name === 'Text to Image', `error.node ${show(error.node?.name)}`);
	const ran = Object.keys(execution.data?.resultData?.runData ?? {});
	expect(!ran.includes('Image to Video'), `Image to Video ran: ${show(ran)}`);
	const submits = submitsSince(suite, since).length;
	expect(submits === 0, `the emulator saw ${submits} submits, want 0`);
}

async function dryRun(suite: Suite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const execution = await executeSucceeded(suite, 'rcTestRcDryRun01', expect);
	if (!execution) return;
	const json = itemsOf(execution, 'Dry Run')[0]?.json ?? {};
	expect(json.dryRun === true, `dryRun ${show(json.dryRun)}`);
	expect(
		json.request?.method === 'POST' && json.request?.path === `/v1/models/${FLUX_ID}`,
		`request ${show(json.request)}`,
	);
	// Guidance Scale was typed as the text "7.5": the payload holds the number, as a run sends it.
	const want = { ...FLUX_INPUT, guidance_scale: 7.5 };
	expect(same(json.payload, want), `payload ${show(json.payload)}, want ${show(want)}`);
	expect(json.price === 0.01 && json.priceUnit === 'image', `price ${show(json)}`);
	expect(
		json.estimate?.jobs === 1 && json.estimate?.totalUsd === 0.01,
		`estimate ${show(json.estimate)}`,
	);
	const sent = suite.emulator.requests.slice(since).filter((r) => r.route !== 'catalog');
	expect(sent.length === 0, `Dry Run sent ${show(sent.map((r) => `${r.method} ${r.path}`))}`);
}

async function checkJob(suite: Suite, expect: Expect): Promise<void> {
	const execution = await executeSucceeded(suite, 'rcTestRcCheckJb1', expect);
	if (!execution) return;
	const finishedId = itemsOf(execution, 'Run FLUX')[0]?.json?.requestId;
	const heldId = itemsOf(execution, 'Submit Held')[0]?.json?.requestId;
	const completed = itemsOf(execution, 'Check Job', 0).map((item) => item.json ?? {});
	const running = itemsOf(execution, 'Check Job', 1).map((item) => item.json ?? {});
	expect(
		completed.length === 1 && completed[0]?.requestId === finishedId,
		`Completed output ${show(completed)}, want FLUX's job ${finishedId}`,
	);
	expect(completed[0]?.imageUrl, `Completed: no imageUrl ${show(completed[0])}`);
	expect(
		running.length === 1 && running[0]?.requestId === heldId,
		`Still Running output ${show(running)}, want the held job ${heldId}`,
	);
	const at = Date.parse(String(running[0]?.checkAgainAt));
	expect(
		at - Date.now() > 30_000 && at - Date.now() < 16 * 60_000,
		`Still Running: checkAgainAt ${show(running[0]?.checkAgainAt)}`,
	);
	expect(running[0]?.status === 'in_queue', `Still Running: status ${show(running[0]?.status)}`);
	expect(itemsOf(execution, 'Completed').length === 1, 'the Completed branch did not run');
	const cancelled = itemsOf(execution, 'Cancel Held')[0]?.json ?? {};
	expect(cancelled.outcome === 'cancelled', `Cancel Held: ${show(cancelled)}`);
	const status = suite.emulator.statusOf(String(heldId));
	expect(status === 'cancelled', `emulator: the held job is ${status}`);
}
