/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Self-tests of the emulator's Serverless API (deployments) through real HTTP. No timing
 * thresholds: tests wait on conditions (the emulator's own state, its logs), never on elapsed time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch, request } from 'undici';

import {
	DEPLOYMENT_DISABLED,
	DEPLOYMENT_FOREIGN,
	DEPLOYMENT_LORA,
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
	RunComfyEmulator,
	T2I_NODES,
	TINY_PNG,
	VIDEO_NODES,
	WORKFLOW_T2I,
	type WebhookDelivery,
} from './emulator/emulator';
import { parseLossless } from './emulator/lossless';

const emu = new RunComfyEmulator({ queueMs: 30, durationMs: 60, coldStartMs: 0 });
let base = '';
const TOKEN = 'Bearer test-token';
const AUTH = { Authorization: TOKEN, 'Content-Type': 'application/json' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is truthy (the emulator's state, a log): never asserts elapsed time. */
async function until<T>(
	check: () => T | undefined | false | Promise<T | undefined | false>,
	what: string,
): Promise<T> {
	for (let i = 0; i < 1500; i++) {
		const value = await check();
		if (value) return value;
		await sleep(10);
	}
	throw new Error(`timed out waiting for ${what}`);
}

async function call(method: string, path: string, body?: unknown, headers: Json = AUTH) {
	const res = await fetch(`${base}${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json: Json = {};
	try {
		json = JSON.parse(text) as Json;
	} catch {
		json = { text };
	}
	return { status: res.status, headers: res.headers, json, text };
}

const dep = (id: string, v = 1) => `/prod/v${v}/deployments/${id}`;
const req = (id: string, rid: string, what: string, v = 1) =>
	`${dep(id, v)}/requests/${rid}/${what}`;
const T2I_BODY = { overrides: { [T2I_NODES.positive]: { inputs: { text: 'a red fox' } } } };
const submit = async (id: string, body: unknown = T2I_BODY, query = '', headers?: Json) =>
	await call('POST', `${dep(id)}/inference${query}`, body, headers);

async function submitId(
	id = DEPLOYMENT_T2I,
	body: unknown = T2I_BODY,
	query = '',
): Promise<string> {
	const res = await submit(id, body, query);
	expect(res).toMatchObject({ status: 200 });
	return res.json.request_id as string;
}

async function settle(id: string, rid: string): Promise<Json> {
	return await until(async () => {
		const res = await call('GET', req(id, rid, 'result'));
		return ['in_queue', 'in_progress'].includes(res.json.status as string) ? undefined : res.json;
	}, `job ${rid} to end`);
}

// ---- a webhook receiver -------------------------------------------------------------------------

const receiver = {
	server: undefined as Server | undefined,
	url: '',
	hits: [] as Json[],
	/** Per request, in order: the status to answer or 'hang'; then 200. */
	answers: [] as Array<number | 'hang'>,
	hanging: [] as ServerResponse[],
};

function receive(req: IncomingMessage, res: ServerResponse): void {
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => {
		receiver.hits.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json);
		const answer = receiver.answers.shift() ?? 200;
		if (answer === 'hang') receiver.hanging.push(res);
		else res.writeHead(answer).end('ok');
	});
}

const hookQuery = (intermediate?: boolean) =>
	`?webhook=${encodeURIComponent(receiver.url)}` +
	(intermediate === undefined ? '' : `&webhook_intermediate_status=${intermediate}`);
const deliveriesOf = (rid: string): WebhookDelivery[] =>
	emu.serverless.deliveries.filter((d) => d.requestId === rid);
const settledDeliveries = (rid: string, n: number) =>
	until(() => {
		const list = deliveriesOf(rid);
		return list.length >= n && list.every((d) => d.status !== 'pending') ? list : undefined;
	}, `${n} deliveries for ${rid}`);

beforeAll(async () => {
	base = await emu.start();
	receiver.server = createServer(receive);
	await new Promise<void>((resolve) => receiver.server?.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook?x=1`;
});
afterAll(async () => {
	await emu.stop();
	receiver.server?.closeAllConnections();
	await new Promise((resolve) => receiver.server?.close(resolve));
});
beforeEach(() => {
	emu.reset();
	receiver.hits = [];
	receiver.answers = [];
	for (const res of receiver.hanging.splice(0)) res.destroy();
});

// ---- queue calls --------------------------------------------------------------------------------

describe('queue calls', () => {
	it('submit → status → result with per-node outputs, and the file downloads', async () => {
		emu.scriptNextJobs({ queueMs: 60_000 });
		const queued = await submit(DEPLOYMENT_T2I);
		const rid = queued.json.request_id as string;
		const url = `${base}${dep(DEPLOYMENT_T2I)}/requests/${rid}`;
		expect(queued.json).toEqual({
			request_id: rid,
			status_url: `${url}/status`,
			result_url: `${url}/result`,
			cancel_url: `${url}/cancel`,
		});
		expect((await call('GET', req(DEPLOYMENT_T2I, rid, 'status'))).json).toEqual({
			request_id: rid,
			status: 'in_queue',
			queue_position: 0,
			status_url: `${url}/status`,
			result_url: `${url}/result`,
		});
		expect((await call('GET', req(DEPLOYMENT_T2I, rid, 'result'))).json).toEqual({
			request_id: rid,
			status: 'in_queue',
			queue_position: 0,
		});

		const id = await submitId();
		const done = await settle(DEPLOYMENT_T2I, id);
		const file = `${base}/files/${id}/ComfyUI_00001_.png`;
		expect(done).toEqual({
			request_id: id,
			status: 'succeeded',
			created_at: expect.any(String),
			finished_at: expect.any(String),
			outputs: {
				'9': {
					images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output', url: file }],
				},
			},
		});
		const status = await call('GET', req(DEPLOYMENT_T2I, id, 'status'));
		expect(status.json).toMatchObject({ status: 'succeeded', instance_id: expect.any(String) });
		expect(status.json.queue_position).toBeUndefined();
		const png = await fetch(file);
		expect(png.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await png.arrayBuffer())).toEqual(TINY_PNG);
		expect(emu.count('file', id)).toBe(1);
		expect(emu.statusOf(id)).toBe('succeeded');
		const job = emu.serverless.jobs.get(id);
		expect(job?.workflow?.[T2I_NODES.positive].inputs.text).toBe('a red fox');
		expect(emu.count('deploymentSubmit')).toBe(2);
		expect(emu.count('deploymentResult', id)).toBeGreaterThan(0);
	});

	it('answers under /prod/v2/ too, with v1 URLs', async () => {
		const res = await call('POST', `${dep(DEPLOYMENT_T2I, 2)}/inference`, T2I_BODY);
		const rid = res.json.request_id as string;
		expect(res.json.status_url).toBe(`${base}${req(DEPLOYMENT_T2I, rid, 'status')}`);
		const status = await call('GET', req(DEPLOYMENT_T2I, rid, 'status', 2));
		expect(status.json.request_id).toBe(rid);
		expect(emu.requests.map((r) => r.route)).toEqual(['deploymentSubmit', 'deploymentStatus']);
		expect(emu.requests[1].deploymentId).toBe(DEPLOYMENT_T2I);
	});

	it('video: composite node id, mp4 in gifs, png + zip in images, text values, a txt file', async () => {
		const body = {
			overrides: {
				[VIDEO_NODES.loadImage]: { inputs: { image: `${base}/images/start.png` } },
				[VIDEO_NODES.video]: { inputs: { pingpong: true } },
				[VIDEO_NODES.caption]: { inputs: { value: 'line one\nline two' } },
			},
		};
		emu.scriptNextJobs({ videoBytes: 5000 });
		const rid = await submitId(DEPLOYMENT_VIDEO, body);
		const { outputs } = await settle(DEPLOYMENT_VIDEO, rid);
		expect(Object.keys(outputs as Json).sort()).toEqual(['38:42', '60', '70', '80']);
		expect(outputs['38:42'].gifs[0]).toMatchObject({
			filename: 'FusionX_00001_.mp4',
			type: 'output',
		});
		expect(outputs['60'].images.map((f: Json) => f.filename)).toEqual([
			'frames_00001_.png',
			'frames_00001_.zip',
		]);
		expect(outputs['70']).toEqual({ text: [['a caption']], string: ['a cat', 'by a window'] });
		expect(outputs['80'].files[0].filename).toBe('caption_00001_.txt');
		const types: Array<[string, string, number]> = [
			[outputs['38:42'].gifs[0].url, 'video/mp4', 5000],
			[outputs['60'].images[0].url, 'image/png', TINY_PNG.length],
			[outputs['60'].images[1].url, 'application/zip', 22],
			[outputs['80'].files[0].url, 'text/plain; charset=utf-8', 10],
		];
		for (const [url, type, size] of types) {
			const res = await fetch(url);
			expect(res.headers.get('content-type')).toBe(type);
			expect((await res.arrayBuffer()).byteLength).toBe(size);
		}
		const graph = emu.serverless.jobs.get(rid)?.workflow;
		expect(graph?.[VIDEO_NODES.video].inputs.pingpong).toBe(true);
	});

	it('LoRA: a flat body, `output: {images}`; its own validation', async () => {
		const rid = await submitId(DEPLOYMENT_LORA, {
			prompt: 'a portrait',
			width: 1024,
			guidance_scale: 3.5,
			ctrl_img_1: `data:image/png;base64,${TINY_PNG.toString('base64')}`,
		});
		const done = await settle(DEPLOYMENT_LORA, rid);
		expect(done.output).toEqual({ images: [`${base}/files/${rid}/lora_00001_.png`] });
		expect(done.outputs).toBeUndefined();
		expect(emu.serverless.coldStarts).toHaveLength(0); // min_instances 1: always warm
		const bad = await submit(DEPLOYMENT_LORA, {
			width: 100,
			ctrl_img_1: 'foo.png',
			guidance_scale: 'x',
		});
		expect(bad.status).toBe(422);
		expect(bad.json.detail.map((d: Json) => d.loc.join('.')).sort()).toEqual([
			'body.ctrl_img_1',
			'body.guidance_scale',
			'body.prompt',
			'body.width',
		]);
	});

	it('numbers queue positions per deployment', async () => {
		emu.scriptNextJobs({ queueMs: 60_000 }, { queueMs: 60_000 }, { queueMs: 60_000 });
		const a = await submitId();
		const b = await submitId();
		const c = await submitId(DEPLOYMENT_VIDEO, { overrides: {} });
		const pos = async (d: string, r: string) =>
			(await call('GET', req(d, r, 'status'))).json.queue_position as number;
		expect([await pos(DEPLOYMENT_T2I, a), await pos(DEPLOYMENT_T2I, b)]).toEqual([0, 1]);
		expect(await pos(DEPLOYMENT_VIDEO, c)).toBe(0);
	});

	it('answers 404001 for an unknown deployment, unknown request, or a request under another deployment', async () => {
		const rid = await submitId();
		for (const path of [
			req(DEPLOYMENT_VIDEO, rid, 'status'),
			req(DEPLOYMENT_T2I, 'nope', 'result'),
			req('no-such-deployment', rid, 'status'),
			`${dep('no-such-deployment')}/inference`,
		]) {
			const post = path.endsWith('inference');
			const res = await call(post ? 'POST' : 'GET', path, post ? T2I_BODY : undefined);
			expect(res.status).toBe(404);
			expect(res.json.error_code).toBe(404001);
		}
		expect((await call('POST', req(DEPLOYMENT_VIDEO, rid, 'cancel'))).json.error_code).toBe(404001);
	});
});

describe('cancel', () => {
	const cancel = async (rid: string) =>
		(await call('POST', req(DEPLOYMENT_T2I, rid, 'cancel'))).json;

	it('cancels a queued job at once (spelling scriptable)', async () => {
		emu.scriptNextJobs({ queueMs: 60_000 }, { queueMs: 60_000, cancelledStatus: 'canceled' });
		const a = await submitId();
		const b = await submitId();
		expect(await cancel(a)).toEqual({ request_id: a, status: 'cancellation_requested' });
		expect(await cancel(b)).toEqual({ request_id: b, status: 'cancellation_requested' });
		expect((await call('GET', req(DEPLOYMENT_T2I, a, 'status'))).json.status).toBe('cancelled');
		const result = await call('GET', req(DEPLOYMENT_T2I, b, 'result'));
		expect(result.json).toMatchObject({ status: 'canceled', finished_at: expect.any(String) });
		expect(result.json.outputs).toBeUndefined();
	});

	it('a running job answers cancellation_requested, keeps running (billing), then ends cancelled', async () => {
		emu.scriptNextJobs(
			{ queueMs: 0, durationMs: 60_000, cancelRunMs: 60_000 },
			{ queueMs: 0, durationMs: 60_000, cancelRunMs: 20 },
		);
		const slow = await submitId();
		const quick = await submitId();
		await until(() => emu.statusOf(quick) === 'in_progress', 'quick to run');
		expect(await cancel(slow)).toEqual({ request_id: slow, status: 'cancellation_requested' });
		expect(await cancel(quick)).toEqual({ request_id: quick, status: 'cancellation_requested' });
		const job = emu.serverless.jobs.get(slow);
		expect(job?.cancelRequestedAt).toBeDefined();
		expect((await call('GET', req(DEPLOYMENT_T2I, slow, 'status'))).json.status).toBe(
			'in_progress',
		);
		const billed = job?.billedMsAt(Date.now()) ?? 0;
		await until(() => (job?.billedMsAt(Date.now()) ?? 0) > billed, 'billing to go on');
		expect((await settle(DEPLOYMENT_T2I, quick)).status).toBe('cancelled');
		expect(await cancel(quick)).toEqual({ request_id: quick, status: 'not_cancellable' });
	});

	it('a finished job is not_cancellable', async () => {
		const rid = await submitId();
		await settle(DEPLOYMENT_T2I, rid);
		expect(await cancel(rid)).toEqual({ request_id: rid, status: 'not_cancellable' });
		expect(emu.serverless.jobs.get(rid)?.cancelAttempts).toBe(1);
	});
});

describe('job scripts', () => {
	it('scripts outcomes, error shapes, outputs and extras like model jobs', async () => {
		emu.scriptNextJobs(
			{ outcome: 'failed' },
			{ outcome: 'failed', error: 'CUDA OOM', errorShape: 'array' },
			{ outcome: 'completed', resultExtra: { note: 1 } },
			{ outputs: { '9': { images: [] } } },
			{ outcome: 'exploded' },
		);
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push(await submitId());
		const results = await Promise.all(ids.map(async (id) => await settle(DEPLOYMENT_T2I, id)));
		expect(results[0].error).toEqual({
			type: 'execution_error',
			message: 'Workflow execution failed',
		});
		expect(results[0].outputs).toBeUndefined();
		expect(results[1].error).toEqual([
			{ errorCode: 'EXECUTION_ERROR', error: 'CUDA OOM', debugInfo: expect.any(Object) },
		]);
		expect(results[2]).toMatchObject({
			status: 'completed',
			note: 1,
			outputs: { '9': expect.any(Object) },
		});
		expect(results[3].outputs).toEqual({ '9': { images: [] } });
		expect(results[4]).toMatchObject({ status: 'exploded' });
		expect(results[4].outputs).toBeUndefined();
	});

	it('shares onSubmit and the submit index with the Model API; never ends with outcome never', async () => {
		const seen: number[] = [];
		emu.onSubmit = (_body, index) => {
			seen.push(index);
			return { outcome: 'never', queueMs: 0 };
		};
		const rid = await submitId();
		await until(() => emu.statusOf(rid) === 'in_progress', 'running');
		expect((await call('GET', req(DEPLOYMENT_T2I, rid, 'result'))).json).toEqual({
			request_id: rid,
			status: 'in_progress',
		});
		expect(seen).toEqual([0]);
	});
});

// ---- validation ---------------------------------------------------------------------------------

describe('submit validation', () => {
	const locs = (json: Json) => (json.detail as Json[]).map((d) => d.loc.join('.')).sort();
	const overrides = (node: string, inputs: Json) => ({ overrides: { [node]: { inputs } } });

	it('names each bad node and input in `detail` (422001)', async () => {
		const res = await submit(DEPLOYMENT_T2I, {
			overrides: {
				'999': { inputs: { text: 'x' } },
				'6': { inputs: { nope: 1, clip: ['4', 1] } },
				'3': { inputs: { seed: 1.5, steps: 0, cfg: 101, sampler_name: 'nope', scheduler: 'nope' } },
				'5': { inputs: { width: '512' } },
			},
		});
		expect(res.status).toBe(422);
		expect(res.json.error_code).toBe(422001);
		expect(typeof res.json.error_message).toBe('string');
		expect(locs(res.json)).toEqual([
			'body.overrides.3.inputs.cfg',
			'body.overrides.3.inputs.sampler_name',
			'body.overrides.3.inputs.scheduler',
			'body.overrides.3.inputs.seed',
			'body.overrides.3.inputs.steps',
			'body.overrides.5.inputs.width',
			'body.overrides.6.inputs.clip',
			'body.overrides.6.inputs.nope',
			'body.overrides.999',
		]);
		const byLoc = (loc: string) => (res.json.detail as Json[]).find((d) => d.loc.join('.') === loc);
		expect(byLoc('body.overrides.6.inputs.clip')?.type).toBe('link_input');
		expect(byLoc('body.overrides.3.inputs.steps')?.type).toBe('greater_than_equal');
		expect(emu.serverless.jobs.size).toBe(0);
	});

	it.each([
		['STRING', VIDEO_NODES.prompt, { text: 42 }],
		['BOOLEAN', VIDEO_NODES.video, { pingpong: 'yes' }],
		['FLOAT', VIDEO_NODES.video, { frame_rate: 0.5 }],
		['COMBO (bare list)', VIDEO_NODES.video, { format: 'video/avi' }],
		['media filename', VIDEO_NODES.loadImage, { image: 'example.png' }],
		['media scheme', VIDEO_NODES.loadImage, { image: 'ftp://example.com/a.png' }],
	])('rejects a bad %s', async (_what, node, inputs) => {
		const res = await submit(DEPLOYMENT_VIDEO, overrides(node, inputs));
		expect(res.status).toBe(422);
		expect(locs(res.json)).toEqual([`body.overrides.${node}.inputs.${Object.keys(inputs)[0]}`]);
	});

	it('accepts media as an http(s) URL or a data: URI', async () => {
		for (const image of [
			`data:image/png;base64,${TINY_PNG.toString('base64')}`,
			'https://x.test/a.png',
		]) {
			await submitId(DEPLOYMENT_VIDEO, overrides(VIDEO_NODES.loadImage, { image }));
		}
	});

	it('wants overrides or workflow_api_json (not both, not neither); extra_data optional', async () => {
		for (const body of [
			{},
			{ prompt: 'flat' },
			{ overrides: {}, workflow_api_json: {} },
			'not json',
			'[1]',
		]) {
			const res = await submit(DEPLOYMENT_T2I, body);
			expect(res.status).toBe(422);
			expect(res.json.error_code).toBe(422001);
		}
		await submitId(DEPLOYMENT_T2I, { overrides: {}, extra_data: { api_key_comfy_org: 'k' } });
		expect((await submit(DEPLOYMENT_T2I, { overrides: {}, extra_data: 'k' })).status).toBe(422);
	});

	it('takes an inline workflow_api_json (outputs follow its graph), checks its nodes', async () => {
		const graph = {
			'1': { class_type: 'LoadImage', inputs: { image: 'example.png' } },
			'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'inline' } },
		};
		const rid = await submitId(DEPLOYMENT_T2I, { workflow_api_json: graph });
		expect((await settle(DEPLOYMENT_T2I, rid)).outputs['2'].images[0].filename).toBe(
			'inline_00001_.png',
		);
		const bad = await submit(DEPLOYMENT_T2I, {
			workflow_api_json: { '1': { class_type: 'NoSuchNode', inputs: {} }, '2': { inputs: {} } },
		});
		expect(locs(bad.json)).toEqual([
			'body.workflow_api_json.1.class_type',
			'body.workflow_api_json.2',
		]);
	});

	it('keeps 2^64-1 exact: raw body recorded, parsed as digits, validated against object_info', async () => {
		const raw = `{"overrides": {"3": {"inputs": {"seed": 18446744073709551615, "steps": 30}}}}`;
		const rid = await submitId(DEPLOYMENT_T2I, raw);
		const record = emu.requests.find((r) => r.route === 'deploymentSubmit');
		expect(record?.rawBody).toBe(raw);
		expect(record?.body).toEqual({
			overrides: { '3': { inputs: { seed: '18446744073709551615', steps: 30 } } },
		});
		const job = emu.serverless.jobs.get(rid);
		expect(job?.rawBody).toBe(raw);
		expect(job?.workflow?.['3'].inputs.seed).toBe('18446744073709551615');
		expect([...(job?.bigIntegers ?? [])]).toEqual(['["overrides","3","inputs","seed"]']);
		const over = await submit(DEPLOYMENT_T2I, raw.replace('551615', '551616'));
		expect(over.status).toBe(422);
		expect(over.json.detail[0]).toMatchObject({ type: 'less_than_equal' });
		const asString = await submit(
			DEPLOYMENT_T2I,
			raw.replace('18446744073709551615', '"18446744073709551615"'),
		);
		expect(asString.json.detail[0]).toMatchObject({ type: 'int_type' });
	});
});

// ---- errors -------------------------------------------------------------------------------------

describe('errors', () => {
	it('401001 for a bad token on every Serverless call', async () => {
		for (const headers of [{}, { Authorization: 'Bearer nope' }]) {
			for (const [method, path] of [
				['POST', `${dep(DEPLOYMENT_T2I)}/inference`],
				['GET', req(DEPLOYMENT_T2I, 'x', 'status')],
				['GET', '/prod/v2/deployments'],
			]) {
				const res = await call(method, path, method === 'POST' ? T2I_BODY : undefined, headers);
				expect(res.status).toBe(401);
				expect(res.json).toEqual({ error_code: 401001, error_message: expect.any(String) });
			}
		}
	});

	it('403003 another account, 10002 disabled, 10001 funds, 500001 scripted', async () => {
		const codes = async (id: string) => {
			const res = await submit(id);
			return [res.status, res.json.error_code];
		};
		expect(await codes(DEPLOYMENT_FOREIGN)).toEqual([403, 403003]);
		expect((await call('GET', `/prod/v2/deployments/${DEPLOYMENT_FOREIGN}`)).json.error_code).toBe(
			403003,
		);
		expect(await codes(DEPLOYMENT_DISABLED)).toEqual([400, 10002]);
		emu.serverless.insufficientFunds = true;
		expect(await codes(DEPLOYMENT_T2I)).toEqual([400, 10001]);
		emu.serverless.insufficientFunds = false;
		emu.balanceUsd = 0;
		expect(await codes(DEPLOYMENT_T2I)).toEqual([400, 10001]);
		emu.balanceUsd = undefined;
		emu.serverless.scriptInternalError(2);
		expect(await codes(DEPLOYMENT_T2I)).toEqual([500, 500001]);
		expect((await call('GET', '/prod/v2/deployments')).json.error_code).toBe(500001);
		expect(await codes(DEPLOYMENT_T2I)).toEqual([200, undefined]);
	});

	it('switches: HTTP 200 with error_code; the message key', async () => {
		emu.serverless.errorsAsHttp200 = true;
		const res = await submit(DEPLOYMENT_DISABLED);
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ error_code: 10002, error_message: 'Deployment is disabled' });
		emu.serverless.errorsAsHttp200 = false;
		for (const key of ['message', 'error'] as const) {
			emu.serverless.messageKey = key;
			expect((await submit(DEPLOYMENT_DISABLED)).json).toEqual({
				error_code: 10002,
				[key]: 'Deployment is disabled',
			});
		}
		emu.serverless.messageKey = 'detail';
		expect((await submit(DEPLOYMENT_DISABLED)).json).toEqual({
			error_code: 10002,
			detail: 'Deployment is disabled',
		});
		const invalid = await submit(DEPLOYMENT_T2I, {});
		expect(invalid.json).toEqual({
			error_code: 422001,
			detail: [expect.objectContaining({ loc: ['body'] })],
		});
	});

	it('faults, holds and the busy rate limit apply to the new routes', async () => {
		emu.addFault({ route: 'deploymentStatus', status: 503 });
		expect((await call('GET', req(DEPLOYMENT_T2I, 'x', 'status'))).status).toBe(503);
		emu.addFault({ route: 'deploymentSubmit', action: 'acceptThenReset' });
		await expect(submit(DEPLOYMENT_T2I)).rejects.toThrow();
		expect(emu.serverless.jobs.size).toBe(1);
		const release = emu.holdAnswers('deployments');
		const pending = call('GET', '/prod/v2/deployments');
		await until(() => emu.count('deployments') === 1, 'the held call');
		expect(emu.requests.at(-1)?.status).toBe(0);
		release();
		expect((await pending).status).toBe(200);
		emu.setBusy({
			ratePerSecond: 0.001,
			burst: 2,
			retryAfterSeconds: 3,
			slots: 1,
			runTime: { medianMs: 50, sigma: 0, seed: 1 },
		});
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await call('GET', '/prod/v2/deployments'));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
		expect(answers[2].headers.get('retry-after')).toBe('3');
		const info = await fetch(emu.serverless.objectInfoUrl(DEPLOYMENT_T2I));
		expect(info.status).toBe(200); // object_info is static content: not rate limited
	});
});

// ---- deployments CRUD ---------------------------------------------------------------------------

describe('deployments CRUD', () => {
	const valid = {
		name: 'new one',
		workflow_id: WORKFLOW_T2I,
		workflow_version: 'v1',
		hardware: ['AMPERE_24'],
		min_instances: 0,
		max_instances: 1,
		queue_size: 5,
		keep_warm_duration_in_seconds: 30,
	};
	const ids = (list: Json[]) => list.map((d) => d.id);

	it('lists own deployments as a bare array (or wrapped), filters by ids', async () => {
		const list = (await call('GET', '/prod/v2/deployments')).json as unknown as Json[];
		expect(ids(list)).toEqual([
			DEPLOYMENT_T2I,
			DEPLOYMENT_VIDEO,
			DEPLOYMENT_LORA,
			DEPLOYMENT_DISABLED,
		]);
		expect(list[0]).toEqual({
			id: DEPLOYMENT_T2I,
			name: expect.any(String),
			workflow_id: WORKFLOW_T2I,
			workflow_version: 'v1',
			hardware: ['AMPERE_48'],
			min_instances: 0,
			max_instances: 2,
			queue_size: 10,
			keep_warm_duration_in_seconds: 60,
			status: 'standby',
			is_enabled: true,
			created_at: expect.any(String),
			updated_at: expect.any(String),
		});
		const some = await call(
			'GET',
			`/prod/v2/deployments?ids=${DEPLOYMENT_LORA}&ids=${DEPLOYMENT_T2I}`,
		);
		expect(ids(some.json as unknown as Json[])).toEqual([DEPLOYMENT_T2I, DEPLOYMENT_LORA]);
		emu.serverless.listWrapped = true;
		const wrapped = await call(
			'GET',
			`/prod/v2/deployments?ids=${DEPLOYMENT_VIDEO},${DEPLOYMENT_LORA}`,
		);
		expect(ids(wrapped.json.deployments as Json[])).toEqual([DEPLOYMENT_VIDEO, DEPLOYMENT_LORA]);
	});

	it('includes=payload and includes=readme; a LoRA deployment has no payload', async () => {
		const got = await call(
			'GET',
			`/prod/v2/deployments/${DEPLOYMENT_T2I}?includes=payload&includes=readme`,
		);
		const { payload, readme } = got.json;
		expect(payload.object_info_url).toBe(`${base}/object_info/${DEPLOYMENT_T2I}.json`);
		expect(payload.workflow_api_json['6']).toEqual({
			class_type: 'CLIPTextEncode',
			inputs: { text: 'a photo of a cat', clip: ['4', 1] },
			_meta: { title: 'Positive Prompt' },
		});
		expect(Object.keys(payload.overrides as Json).sort()).toEqual(['3', '5', '6']);
		expect(readme).toMatch(/^# /);
		const plain = await call('GET', `/prod/v2/deployments/${DEPLOYMENT_T2I}`);
		expect(plain.json.payload).toBeUndefined();
		const lora = await call(
			'GET',
			`/prod/v2/deployments/${DEPLOYMENT_LORA}?includes=payload,readme`,
		);
		expect(lora.json.payload).toBeUndefined();
		expect(lora.json).toMatchObject({ status: 'running', readme: expect.any(String) });
		const video = await call('GET', `/prod/v2/deployments/${DEPLOYMENT_VIDEO}?includes=payload`);
		expect(Object.keys(video.json.payload.workflow_api_json as Json)).toContain('38:42');
	});

	it('creates with validation naming what is wrong', async () => {
		const created = await call('POST', '/prod/v2/deployments', valid);
		expect(created.status).toBe(200);
		expect(created.json).toMatchObject({
			...valid,
			status: 'standby',
			is_enabled: true,
			id: expect.any(String),
		});
		await submitId(created.json.id as string);
		const bad = await call('POST', '/prod/v2/deployments', {
			...valid,
			name: '',
			hardware: ['AMPERE_24', 'HOPPER_141'],
			min_instances: -1,
			queue_size: undefined,
		});
		expect(bad.json.error_code).toBe(422001);
		expect((bad.json.detail as Json[]).map((d) => d.loc[1]).sort()).toEqual([
			'hardware',
			'min_instances',
			'name',
			'queue_size',
		]);
		for (const body of [
			{ ...valid, hardware: ['RTX_4090'] },
			{ ...valid, hardware: 'AMPERE_24' },
			{ ...valid, min_instances: 2, max_instances: 1 },
			{ ...valid, workflow_id: 'nope' },
		]) {
			const res = await call('POST', '/prod/v2/deployments', body);
			expect(res.status).toBe(422);
		}
	});

	it('PATCH is partial but needs name; disabling fails queued and running jobs', async () => {
		const noName = await call('PATCH', `/prod/v2/deployments/${DEPLOYMENT_T2I}`, {
			max_instances: 3,
		});
		expect(noName.status).toBe(422);
		expect(noName.json.detail).toEqual([
			{ loc: ['body', 'name'], msg: 'Field required', type: 'missing' },
		]);
		const low = await call('PATCH', `/prod/v2/deployments/${DEPLOYMENT_T2I}`, {
			name: 'x',
			max_instances: 0,
		});
		expect(low.status).toBe(422);
		emu.scriptNextJobs({ queueMs: 60_000 });
		const queued = await submitId();
		const ok = await call('PATCH', `/prod/v2/deployments/${DEPLOYMENT_T2I}`, {
			name: 'renamed',
			max_instances: 4,
			is_enabled: false,
		});
		expect(ok.json).toMatchObject({
			name: 'renamed',
			max_instances: 4,
			min_instances: 0,
			is_enabled: false,
		});
		expect(ok.json.updated_at).not.toBe(ok.json.created_at);
		expect(emu.requests.at(-1)?.rawBody).toContain('renamed');
		expect((await submit(DEPLOYMENT_T2I)).json.error_code).toBe(10002);
		const failed = await settle(DEPLOYMENT_T2I, queued);
		expect(failed).toMatchObject({ status: 'failed', error: { message: 'Deployment disabled' } });
	});

	it('DELETE: then 10003 on inference, 404001 on get, gone from the list', async () => {
		const created = await call('POST', '/prod/v2/deployments', valid);
		const id = created.json.id as string;
		expect((await call('DELETE', `/prod/v2/deployments/${id}`)).json).toEqual({
			id,
			deleted: true,
		});
		expect((await submit(id)).json.error_code).toBe(10003);
		expect((await call('GET', `/prod/v2/deployments/${id}`)).json.error_code).toBe(404001);
		expect((await call('DELETE', `/prod/v2/deployments/${id}`)).status).toBe(404);
		const list = (await call('GET', '/prod/v2/deployments')).json as unknown as Json[];
		expect(ids(list)).not.toContain(id);
	});
});

// ---- object_info --------------------------------------------------------------------------------

describe('object_info', () => {
	it('serves the used class_types with 2^64-1 as digits, both COMBO forms, image_upload…', async () => {
		const res = await fetch(emu.serverless.objectInfoUrl(DEPLOYMENT_T2I));
		const text = await res.text();
		expect(text).toContain('"max":18446744073709551615');
		const info = parseLossless(text)?.value as Json;
		expect(Object.keys(info).sort()).toEqual(
			[
				'CLIPTextEncode',
				'CheckpointLoaderSimple',
				'EmptyLatentImage',
				'KSampler',
				'SaveImage',
				'VAEDecode',
			].sort(),
		);
		const ks = info.KSampler;
		expect(ks.input.required.seed).toEqual([
			'INT',
			expect.objectContaining({ min: 0, max: '18446744073709551615' }),
		]);
		expect(ks.input.required.sampler_name).toEqual([
			expect.arrayContaining(['euler', 'dpmpp_2m']),
			{},
		]);
		expect(ks.input.required.scheduler).toEqual([
			'COMBO',
			{ options: expect.arrayContaining(['normal']) },
		]);
		expect(ks.input.required.cfg[1]).toMatchObject({ step: 0.1 });
		expect(ks).toMatchObject({ display_name: 'KSampler', output_node: false });
		expect(info.SaveImage.output_node).toBe(true);
		expect(info.CLIPTextEncode.input.required.text).toEqual([
			'STRING',
			expect.objectContaining({ multiline: true }),
		]);
		const video = (await (
			await fetch(emu.serverless.objectInfoUrl(DEPLOYMENT_VIDEO))
		).json()) as Json;
		expect(video.LoadImage.input.required.image[1]).toEqual({ image_upload: true });
		expect(video.VHS_VideoCombine.input.required.pingpong[0]).toBe('BOOLEAN');
		expect(Object.keys(video)).toContain('ShowText|pysssss');
	});

	it('switches: token required, 404, reset; open works without the token', async () => {
		const url = emu.serverless.objectInfoUrl(DEPLOYMENT_T2I);
		expect((await fetch(url)).status).toBe(200);
		emu.serverless.objectInfoAccess = 'token';
		expect((await fetch(url)).status).toBe(401);
		expect((await fetch(url, { headers: { Authorization: TOKEN } })).status).toBe(200);
		emu.serverless.objectInfoAccess = 'missing';
		expect((await fetch(url, { headers: { Authorization: TOKEN } })).status).toBe(404);
		emu.serverless.objectInfoAccess = 'reset';
		await expect(fetch(url)).rejects.toThrow();
		expect(emu.requests.map((r) => r.route)).toEqual(Array(5).fill('objectInfo'));
		emu.reset();
		expect((await fetch(emu.serverless.objectInfoUrl(DEPLOYMENT_LORA))).status).toBe(404);
	});
});

// ---- cold starts --------------------------------------------------------------------------------

describe('cold start', () => {
	it('keeps the first job in_queue while an instance boots, then stays warm', async () => {
		const deployment = emu.serverless.deployment(DEPLOYMENT_T2I);
		if (!deployment) throw new Error('seeded deployment missing');
		deployment.coldStartMs = 60_000;
		emu.scriptNextJobs({ queueMs: 0 }, { queueMs: 0 });
		const first = await submitId();
		const joined = await submitId();
		const status = (await call('GET', req(DEPLOYMENT_T2I, first, 'status'))).json;
		expect(status).toMatchObject({ status: 'in_queue', queue_position: 0 });
		expect(status.instance_id).toBeUndefined();
		expect(emu.serverless.coldStarts).toEqual([
			{ deploymentId: DEPLOYMENT_T2I, requestId: first, at: expect.any(Number), ms: 60_000 },
		]);
		expect(emu.serverless.jobs.get(joined)?.coldStartMs).toBeGreaterThan(0); // waits on the same boot
		expect((await call('GET', `/prod/v2/deployments/${DEPLOYMENT_T2I}`)).json.status).toBe(
			'running',
		);

		emu.reset();
		emu.serverless.coldStartMs = 30;
		const cold = await submitId();
		await settle(DEPLOYMENT_T2I, cold);
		const warm = await submitId();
		expect(emu.serverless.jobs.get(cold)?.coldStartMs).toBe(30);
		expect(emu.serverless.jobs.get(warm)?.coldStartMs).toBe(0);
		expect(emu.serverless.coldStarts).toHaveLength(1);
	});
});

// ---- webhooks -----------------------------------------------------------------------------------

describe('webhooks', () => {
	it('POSTs the final result to the URL given in the query', async () => {
		const rid = await submitId(DEPLOYMENT_T2I, T2I_BODY, hookQuery());
		const [delivery] = await settledDeliveries(rid, 1);
		expect(delivery).toMatchObject({ url: receiver.url, event: 'final', attempt: 1, status: 200 });
		expect(receiver.hits).toEqual([
			expect.objectContaining({
				request_id: rid,
				deployment_id: DEPLOYMENT_T2I,
				status: 'succeeded',
				outcome: 'succeeded',
				created_at: expect.any(String),
				finished_at: expect.any(String),
				timestamp: expect.any(String),
				outputs: { '9': expect.any(Object) },
			}),
		]);
		expect(emu.requests[0].query.webhook).toBe(receiver.url);
	});

	it('with intermediate status: in_queue, in_progress, then final (also from legacy body fields)', async () => {
		emu.scriptNextJobs({ outcome: 'failed', error: 'boom' });
		const rid = await submitId(DEPLOYMENT_T2I, T2I_BODY, hookQuery(true));
		const list = await settledDeliveries(rid, 3);
		expect(list.map((d) => d.body.status)).toEqual(['in_queue', 'in_progress', 'failed']);
		expect(list[2].body.error).toEqual({ type: 'execution_error', message: 'boom' });
		const legacy = await submitId(DEPLOYMENT_T2I, {
			...T2I_BODY,
			webhook: receiver.url,
			webhook_intermediate_status: true,
		});
		expect((await settledDeliveries(legacy, 3)).map((d) => d.event)).toEqual([
			'in_queue',
			'in_progress',
			'final',
		]);
		expect(emu.serverless.jobs.get(legacy)?.input.webhook).toBe(receiver.url);
	});

	it('scripted quirks: twice, out of order, dropped; a cancel ends with cancelled', async () => {
		emu.scriptNextJobs(
			{ webhook: { twice: true } },
			{ webhook: { outOfOrder: true } },
			{ webhook: { drop: 'final' } },
			{ queueMs: 60_000 },
		);
		const twice = await submitId(DEPLOYMENT_T2I, T2I_BODY, hookQuery());
		const late = await submitId(DEPLOYMENT_T2I, T2I_BODY, hookQuery());
		const dropped = await submitId(DEPLOYMENT_T2I, T2I_BODY, hookQuery(true));
		const cancelled = await submitId(DEPLOYMENT_T2I, T2I_BODY, hookQuery());
		await call('POST', req(DEPLOYMENT_T2I, cancelled, 'cancel'));
		expect((await settledDeliveries(twice, 2)).map((d) => d.body.status)).toEqual([
			'succeeded',
			'succeeded',
		]);
		expect((await settledDeliveries(late, 2)).map((d) => d.body.status)).toEqual([
			'succeeded',
			'in_progress',
		]);
		const drops = await settledDeliveries(dropped, 3);
		expect(drops.map((d) => [d.event, d.status])).toEqual([
			['in_queue', 200],
			['in_progress', 200],
			['final', 'dropped'],
		]);
		expect((await settledDeliveries(cancelled, 1))[0].body.status).toBe('cancelled');
		expect(receiver.hits.filter((h) => h.request_id === dropped)).toHaveLength(2);
	});

	it('retries a delivery without a 2xx (error status or no answer in time), with backoff', async () => {
		emu.serverless.webhooks.settings = { timeoutMs: 200, retryBaseMs: 10, maxAttempts: 4 };
		receiver.answers = [500, 'hang', 200];
		const rid = await submitId(DEPLOYMENT_T2I, T2I_BODY, hookQuery());
		const list = await settledDeliveries(rid, 3);
		expect(list.map((d) => [d.attempt, d.status])).toEqual([
			[1, 500],
			[2, 'timeout'],
			[3, 200],
		]);
		expect(list[2].at).toBeGreaterThanOrEqual(list[1].answeredAt ?? 0);
	});

	it('sends a forged succeeded callback for a job still running', async () => {
		emu.scriptNextJobs({ outcome: 'never', queueMs: 0 });
		const rid = await submitId();
		const forged = await emu.serverless.forgeCallback(receiver.url, rid);
		expect(forged).toMatchObject({ forged: true, event: 'forged', status: 200, requestId: rid });
		expect(receiver.hits[0]).toMatchObject({
			request_id: rid,
			status: 'succeeded',
			outputs: { '9': expect.any(Object) },
		});
		expect(emu.statusOf(rid)).toBe('in_progress');
		expect(emu.serverless.deliveries).toEqual([forged]);
	});

	it('refuses a webhook that is not an http(s) URL', async () => {
		const res = await submit(DEPLOYMENT_T2I, T2I_BODY, '?webhook=ftp%3A%2F%2Fx');
		expect(res.json.detail).toEqual([expect.objectContaining({ loc: ['query', 'webhook'] })]);
	});
});

// ---- files --------------------------------------------------------------------------------------

describe('output files', () => {
	const videoUrl = async (rid: string) =>
		(await settle(DEPLOYMENT_VIDEO, rid)).outputs['38:42'].gifs[0].url as string;

	it('stalls a download mid-way (only the files asked), until the client aborts', async () => {
		emu.scriptNextJobs({ videoBytes: 100_000, video: { stallAfterBytes: 1000, only: '.mp4' } });
		const rid = await submitId(DEPLOYMENT_VIDEO, { overrides: {} });
		const url = await videoUrl(rid);
		const controller = new AbortController();
		const { headers, body } = await request(url, { signal: controller.signal });
		expect(headers['content-length']).toBe('100000');
		let received = 0;
		const reading = (async () => {
			for await (const chunk of body) received += (chunk as Buffer).length;
		})();
		await until(() => received === 1000, 'the first 1000 bytes');
		expect(emu.requests.find((r) => r.route === 'file')?.endedAt).toBeUndefined();
		controller.abort();
		await expect(reading).rejects.toThrow();
		expect(received).toBe(1000);
		const outputs = (await call('GET', req(DEPLOYMENT_VIDEO, rid, 'result'))).json.outputs;
		const png = await fetch(outputs['60'].images[0].url as string);
		expect(Buffer.from(await png.arrayBuffer())).toEqual(TINY_PNG);
	});

	it('stop() ends a stalled download', async () => {
		const other = new RunComfyEmulator({ queueMs: 0, durationMs: 0, coldStartMs: 0 });
		const otherBase = await other.start();
		other.scriptNextJobs({ video: { stallAfterBytes: 10 } });
		const res = await fetch(`${otherBase}${dep(DEPLOYMENT_T2I)}/inference`, {
			method: 'POST',
			headers: AUTH,
			body: JSON.stringify(T2I_BODY),
		});
		const rid = ((await res.json()) as Json).request_id as string;
		await until(() => other.statusOf(rid) === 'succeeded', 'the job');
		const download = await request(`${otherBase}/files/${rid}/ComfyUI_00001_.png`);
		const reading = download.body.arrayBuffer();
		await until(
			() => other.requests.some((r) => r.route === 'file' && r.status === 200),
			'the headers',
		);
		await other.stop();
		await expect(reading).rejects.toThrow();
	});

	it('cuts a file short, answers HEAD, 404 for unknown files or before success', async () => {
		emu.scriptNextJobs({ video: { cutAfterBytes: 5, cutTimes: 1 } }, { queueMs: 60_000 });
		const rid = await submitId();
		const url = (await settle(DEPLOYMENT_T2I, rid)).outputs['9'].images[0].url as string;
		await expect((await fetch(url)).arrayBuffer()).rejects.toThrow();
		expect((await (await fetch(url)).arrayBuffer()).byteLength).toBe(TINY_PNG.length);
		const head = await fetch(url, { method: 'HEAD' });
		expect(head.headers.get('content-length')).toBe(String(TINY_PNG.length));
		expect((await fetch(`${base}/files/${rid}/thing.exe`)).status).toBe(404);
		const queued = await submitId();
		expect((await fetch(`${base}/files/${queued}/ComfyUI_00001_.png`)).status).toBe(404);
		expect(emu.count('file', rid)).toBe(4);
	});
});

// ---- model catalog paging -----------------------------------------------------------------------

describe('model catalog page cap', () => {
	it('caps pages below the limit asked, still reporting the total', async () => {
		const page = async (query: string) => (await call('GET', `/v1/models${query}`)).json;
		const all = await page('?limit=100');
		const total = all.total as number;
		expect(all.models).toHaveLength(total);
		emu.catalogPageCap = 3;
		const first = await page('?limit=100');
		expect(first).toMatchObject({ total, limit: 100, offset: 0 });
		expect(first.models).toHaveLength(3);
		const last = await page(`?limit=100&offset=${total - 1}`);
		expect(last.models).toHaveLength(1);
		emu.reset();
		expect((await page('?limit=100')).models).toHaveLength(total);
	});
});
