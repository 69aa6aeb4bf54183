/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { fetch, request } from 'undici';

import { MODEL_ID, RunComfyEmulator, TINY_PNG } from './emulator/emulator';

const emu = new RunComfyEmulator({ queueMs: 60, durationMs: 60 });
let base = '';
const AUTH = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

type Json = Record<string, unknown>;

async function call(method: string, path: string, body?: unknown, headers: Json = AUTH) {
	const res = await fetch(`${base}${path}`, {
		method,
		headers: headers as Record<string, string>,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

const validInput = (extra: Json = {}): Json => ({
	'600_prompt': 'A cat walks',
	'608_image': `${base}/images/start.png`,
	...extra,
});
const submit = async (body: unknown = validInput(), headers?: Json) =>
	await call('POST', `/v1/models/${MODEL_ID}`, body, headers);
const status = async (id: string) => await call('GET', `/v1/requests/${id}/status`);
const result = async (id: string, query = '') =>
	await call('GET', `/v1/requests/${id}/result${query}`);
const cancel = async (id: string) => await call('POST', `/v1/requests/${id}/cancel`);

async function submitId(body?: unknown): Promise<string> {
	const res = await submit(body);
	expect(res.status).toBe(200);
	return res.json.request_id as string;
}

/** Polls the result until it is no longer in_queue/in_progress. */
async function settle(id: string, query = ''): Promise<Json> {
	for (let i = 0; i < 100; i++) {
		const res = await result(id, query);
		if (!['in_queue', 'in_progress'].includes(res.json.status as string)) return res.json;
		await sleep(20);
	}
	throw new Error(`job ${id} did not settle`);
}

beforeAll(async () => {
	base = await emu.start();
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => {
	emu.reset();
	emu.fetchImages = true;
});

describe('auth and routing', () => {
	it('rejects a missing or wrong bearer token on every API call', async () => {
		for (const headers of [{}, { Authorization: 'Bearer nope' }, { Authorization: 'test-token' }]) {
			const res = await submit(validInput(), headers);
			expect(res.status).toBe(401);
			expect(res.json).toEqual({
				error_code: 400004,
				error_message: 'Invalid or expired API token',
			});
		}
		const res = await call('GET', '/v1/requests/x/status', undefined, {});
		expect(res.status).toBe(401);
		expect(emu.jobs.size).toBe(0);
	});

	it('answers 400001 for an unknown model id and 404001 for an unknown request id', async () => {
		const model = await call('POST', '/v1/models/community/other/model', validInput());
		expect(model.status).toBe(400);
		expect(model.json.error_code).toBe(400001);
		for (const res of [await status('nope'), await result('nope'), await cancel('nope')]) {
			expect(res.status).toBe(404);
			expect(res.json).toEqual({
				error_code: 404001,
				error_message: 'Request not found or expired',
			});
		}
	});
});

describe('input validation', () => {
	const detailKeys = (json: Json) =>
		(json.detail as Array<{ loc: string[] }>).map((d) => d.loc[1]).sort();

	it('accepts a full valid input and ignores unknown keys', async () => {
		const res = await submit(
			validInput({
				'602_widthx602_height': '1280x720 (16:9)',
				'602_num_frames': 141,
				'609_frame_rate': 24,
				'598_seed': -5,
				'598_steps': 6,
				'598_cfg': 0.6,
				'598_shift': 15,
				whatever: { nested: true },
			}),
		);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json');
		const id = res.json.request_id as string;
		expect(res.json).toEqual({
			request_id: id,
			status: 'in_queue',
			status_url: `${base}/v1/requests/${id}/status`,
			result_url: `${base}/v1/requests/${id}/result`,
			cancel_url: `${base}/v1/requests/${id}/cancel`,
		});
		expect(emu.jobs.get(id)?.input.whatever).toEqual({ nested: true });
	});

	it('reports one detail per bad key', async () => {
		const res = await submit({
			'600_prompt': '',
			'602_widthx602_height': '720x480',
			'602_num_frames': 100,
			'609_frame_rate': 25,
			'598_seed': 1.5,
			'598_steps': '10',
			'598_cfg': 2.1,
			'598_shift': '5',
		});
		expect(res.status).toBe(422);
		expect(res.json.error_code).toBe(422001);
		expect(res.json.error_message).toBe('Invalid input');
		expect(detailKeys(res.json)).toEqual(
			[
				'600_prompt',
				'608_image',
				'602_widthx602_height',
				'602_num_frames',
				'609_frame_rate',
				'598_seed',
				'598_steps',
				'598_cfg',
				'598_shift',
			].sort(),
		);
		const detail = res.json.detail as Array<{ loc: string[]; type: string; msg: string }>;
		expect(detail.find((d) => d.loc[1] === '608_image')?.type).toBe('missing');
		expect(detail.find((d) => d.loc[1] === '598_seed')?.type).toBe('int_from_float');
		expect(detail.find((d) => d.loc[1] === '598_steps')?.type).toBe('int_type');
		expect(detail.every((d) => d.loc[0] === 'body' && d.msg.length > 0)).toBe(true);
		expect(emu.jobs.size).toBe(0);
	});

	it.each([
		['609_frame_rate', 11],
		['609_frame_rate', 16.5],
		['598_steps', 21],
		['598_cfg', 0.5],
		['598_shift', 0.9],
		['598_cfg', null],
		['600_prompt', 42],
		['602_num_frames', '81'],
	])('rejects %s = %p', async (key, value) => {
		const res = await submit(validInput({ [key]: value }));
		expect(res.status).toBe(422);
		expect(detailKeys(res.json)).toEqual([key]);
	});

	it('rejects a body that is not a JSON object', async () => {
		for (const body of ['not json', '[1,2]', '"text"', '']) {
			const res = await submit(body);
			expect(res.status).toBe(422);
			expect(res.json.error_code).toBe(422001);
		}
	});
});

describe('608_image', () => {
	const imageError = async (image: string) => {
		const res = await submit(validInput({ '608_image': image }));
		expect(res.status).toBe(422);
		expect((res.json.detail as Array<{ loc: string[] }>)[0].loc).toEqual(['body', '608_image']);
		return res;
	};

	it('fetches http(s) images server-side', async () => {
		await submitId();
		expect(emu.count('image')).toBe(1);
		await imageError(`${base}/images/missing.png`);
		await imageError(`${base}/images/not-an-image.png`);
		await imageError('http://127.0.0.1:1/nothing-listens-here.png');
		expect(emu.jobs.size).toBe(1);
	});

	it('rejects other schemes and bad data: URIs, accepts image data: URIs', async () => {
		await imageError('ftp://example.com/a.png');
		await imageError('RunComfy_examples_1235_1.png');
		await imageError('data:text/plain;base64,aGVsbG8=');
		await imageError('data:image/png,notbase64');
		await imageError(`data:image/png;base64,${'A'.repeat(8 * 1024 * 1024 + 4)}`);
		await submitId(
			validInput({ '608_image': `data:image/png;base64,${TINY_PNG.toString('base64')}` }),
		);
		expect(emu.count('image')).toBe(0);
	});

	it('does not fetch when fetchImages is off', async () => {
		emu.fetchImages = false;
		await submitId(validInput({ '608_image': `${base}/images/missing.png` }));
		expect(emu.count('image')).toBe(0);
	});

	it('serves a tiny PNG', async () => {
		const res = await fetch(`${base}/images/anything.png`);
		expect(res.headers.get('content-type')).toBe('image/png');
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.subarray(1, 4).toString()).toBe('PNG');
	});
});

describe('job lifecycle', () => {
	it('goes in_queue -> in_progress -> completed', async () => {
		// Wide windows: the machine may be busy with other test files.
		emu.scriptNextJobs({ queueMs: 400, durationMs: 1500 });
		const id = await submitId();
		const queued = await status(id);
		expect(queued.json).toEqual({
			request_id: id,
			status: 'in_queue',
			status_url: `${base}/v1/requests/${id}/status`,
			result_url: `${base}/v1/requests/${id}/result`,
			queue_position: 0,
		});
		expect((await result(id)).json).toEqual({
			request_id: id,
			status: 'in_queue',
			queue_position: 0,
		});
		await sleep(600);
		expect((await status(id)).json.status).toBe('in_progress');
		expect((await result(id)).json).toEqual({ request_id: id, status: 'in_progress' });
		const done = await settle(id);
		expect(done).toEqual({
			request_id: id,
			status: 'completed',
			output: { video: `${base}/files/${id}.mp4` },
			created_at: expect.any(String),
			finished_at: expect.any(String),
			error: null,
		});
		expect(Date.parse(done.finished_at as string)).toBeGreaterThan(
			Date.parse(done.created_at as string),
		);
		const withCost = await result(id, '?include_cost=true');
		expect(withCost.json).toMatchObject({ cost: 0.12, model_id: MODEL_ID });
		expect(emu.statusOf(id)).toBe('completed');
		expect(emu.jobs.get(id)?.status).toBe('completed');
	});

	it('numbers queue positions by submit order', async () => {
		emu.scriptNextJobs({ queueMs: 1000 }, { queueMs: 1000 }, { queueMs: 1000, noPosition: true });
		const ids = [await submitId(), await submitId(), await submitId()];
		const positions = await Promise.all(
			ids.map(async (id) => (await status(id)).json.queue_position),
		);
		expect(positions).toEqual([0, 1, undefined]);
		await cancel(ids[0]);
		expect((await status(ids[1])).json.queue_position).toBe(0);
	});

	it('cancels only queued jobs', async () => {
		emu.scriptNextJobs({ queueMs: 1000 }, { queueMs: 0, durationMs: 1000 });
		const queued = await submitId();
		const running = await submitId();
		expect((await cancel(queued)).json).toEqual({
			request_id: queued,
			status: 'cancelled',
			outcome: 'cancelled',
		});
		expect((await cancel(running)).json).toEqual({
			request_id: running,
			status: 'in_progress',
			outcome: 'not_cancellable',
		});
		expect(await settle(queued)).toMatchObject({ status: 'cancelled', output: null });
		const job = emu.jobs.get(queued);
		expect(job?.cancelled).toBe(true);
		expect(job?.cancelAttempts).toBe(1);
		expect(emu.count('cancel', running)).toBe(1);
	});
});

describe('job scripts', () => {
	it('scripts outcomes, errors, videos and cost', async () => {
		emu.scriptNextJobs(
			{ queueMs: 0, durationMs: 0, outcome: 'failed' },
			{ queueMs: 0, durationMs: 0, outcome: 'failed', error: 'OOM' },
			{ queueMs: 0, durationMs: 0, outcome: 'succeeded', cost: 0.5 },
			{ queueMs: 0, durationMs: 0, outcome: 'exploded' },
			{ queueMs: 0, durationMs: 0, outcome: 'cancelled' },
			{ queueMs: 0, durationMs: 0, videos: 3 },
		);
		const ids: string[] = [];
		for (let i = 0; i < 6; i++) ids.push(await submitId());
		const results = await Promise.all(
			ids.map(async (id) => await settle(id, '?include_cost=true')),
		);
		expect(results[0]).toMatchObject({
			status: 'failed',
			output: null,
			error: 'Generation failed',
		});
		expect(results[1]).toMatchObject({ status: 'failed', error: 'OOM', cost: 0 });
		expect(results[2]).toMatchObject({
			status: 'succeeded',
			output: { video: `${base}/files/${ids[2]}.mp4` },
			cost: 0.5,
		});
		expect(results[3]).toMatchObject({ status: 'exploded', output: null });
		expect(results[4]).toMatchObject({ status: 'cancelled', output: null });
		const videos = [0, 1, 2].map((n) => `${base}/files/${ids[5]}-${n}.mp4`);
		expect(results[5].output).toEqual({ video: videos[0], videos });
		for (const url of videos) expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
		expect((await fetch(`${base}/files/${ids[5]}-3.mp4`)).status).toBe(404);
	});

	it("keeps a 'never' job in progress", async () => {
		emu.scriptNextJobs({ queueMs: 0, durationMs: 0, outcome: 'never' });
		const id = await submitId();
		await sleep(30);
		expect((await result(id)).json).toEqual({ request_id: id, status: 'in_progress' });
	});

	it('consults onSubmit for every accepted submit, after queued scripts', async () => {
		const seen: Array<[unknown, number]> = [];
		emu.onSubmit = (body, index) => {
			seen.push([body['600_prompt'], index]);
			return { queueMs: 0, durationMs: 0, outcome: 'failed', error: `hook ${index}` };
		};
		emu.scriptNextJobs({ queueMs: 0, durationMs: 0 });
		await submit({ '600_prompt': 'bad' }); // rejected: not an accepted submit
		const first = await submitId(validInput({ '600_prompt': 'one' }));
		const second = await submitId(validInput({ '600_prompt': 'two' }));
		expect(seen).toEqual([
			['one', 0],
			['two', 1],
		]);
		expect((await settle(first)).status).toBe('completed');
		expect(await settle(second)).toMatchObject({ status: 'failed', error: 'hook 1' });
	});
});

describe('video files', () => {
	it('serves MP4-looking bytes with a Content-Length, without auth, and HEAD', async () => {
		emu.scriptNextJobs({ videoBytes: 200_000 });
		const id = await submitId();
		const res = await fetch(`${base}/files/${id}.mp4`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('video/mp4');
		expect(res.headers.get('content-length')).toBe('200000');
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.length).toBe(200_000);
		expect(bytes.subarray(4, 12).toString('latin1')).toBe('ftypisom');
		const head = await fetch(`${base}/files/${id}.mp4`, { method: 'HEAD' });
		expect(head.headers.get('content-length')).toBe('200000');
		expect((await fetch(`${base}/files/unknown.mp4`)).status).toBe(404);
		expect(emu.count('file', id)).toBe(2);
	});

	it('streams a 50 MB file with back-pressure, never holding it in memory', async () => {
		const size = 50 * 1024 * 1024;
		emu.scriptNextJobs({ videoBytes: size });
		const id = await submitId();
		const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
		const before = memory();
		const { body, headers } = await request(`${base}/files/${id}.mp4`);
		expect(headers['content-length']).toBe(String(size));
		await sleep(150); // a stalled reader: the server must wait, not buffer the rest
		expect(memory() - before).toBeLessThan(16 * 1024 * 1024);
		let received = 0;
		for await (const chunk of body) received += (chunk as Buffer).length;
		expect(received).toBe(size);
	});
});

describe('faults', () => {
	it('answers scripted errors with headers, consumed in order', async () => {
		emu.addFault({ route: 'any', status: 503, body: { error_code: 503001, error_message: 'x' } });
		const faulted = await submit();
		expect(faulted.status).toBe(503);
		expect(faulted.json).toEqual({ error_code: 503001, error_message: 'x' });
		expect(emu.jobs.size).toBe(0);
		emu.addFault({ route: 'status', status: 429, headers: { 'Retry-After': '1' }, times: 2 });
		emu.addFault({ route: 'status' });
		const id2 = await submitId();
		const answers = [];
		for (let i = 0; i < 4; i++) answers.push(await status(id2));
		expect(answers.map((r) => r.status)).toEqual([429, 429, 500, 200]);
		expect(answers[0].headers.get('retry-after')).toBe('1');
		expect(answers[2].json).toEqual({ error_code: 500001, error_message: 'Internal error' });
		expect(emu.requests.filter((r) => r.route === 'status').map((r) => r.status)).toEqual([
			429, 429, 500, 200,
		]);
	});

	it('hits every n-th matching request with `every`', async () => {
		emu.addFault({ route: 'result', every: 3, status: 502 });
		emu.scriptNextJobs({ outcome: 'never' });
		const id = await submitId();
		const codes = [];
		for (let i = 0; i < 7; i++) codes.push((await result(id)).status);
		expect(codes).toEqual([200, 200, 502, 200, 200, 502, 200]);
	});

	it('resets and hangs connections', async () => {
		const id = await submitId();
		emu.addFault({ route: 'status', action: 'reset' });
		await expect(status(id)).rejects.toThrow();
		emu.addFault({ route: 'result', action: 'hang' });
		await expect(
			fetch(`${base}/v1/requests/${id}/result`, {
				headers: AUTH,
				signal: AbortSignal.timeout(150),
			}),
		).rejects.toThrow();
		expect(emu.requests.slice(-2).map((r) => r.status)).toEqual(['reset', 'hang']);
		expect((await status(id)).status).toBe(200);
	});

	it('accepts a submit and then drops the answer', async () => {
		emu.addFault({ route: 'submit', action: 'acceptThenReset' });
		await expect(submit()).rejects.toThrow();
		expect(emu.jobs.size).toBe(1);
		const [record] = emu.requests.filter((r) => r.route === 'submit');
		expect(record.status).toBe('reset');
		expect(emu.jobs.has(record.requestId ?? '')).toBe(true);
		expect(record.body).toMatchObject({ '600_prompt': 'A cat walks' });

		emu.addFault({ route: 'submit', action: 'acceptThenHang' });
		await expect(
			fetch(`${base}/v1/models/${MODEL_ID}`, {
				method: 'POST',
				headers: AUTH,
				body: JSON.stringify(validInput()),
				signal: AbortSignal.timeout(150),
			}),
		).rejects.toThrow();
		expect(emu.jobs.size).toBe(2);
	});

	it('injects seeded random faults reproducibly', async () => {
		const run = async () => {
			emu.reset();
			emu.setRandomFaults({
				seed: 7,
				rate: 0.5,
				routes: ['status'],
				kinds: ['503', '429'],
				retryAfterSeconds: 2,
			});
			const id = await submitId();
			const seen: string[] = [];
			for (let i = 0; i < 20; i++) {
				const res = await status(id);
				seen.push(`${res.status}:${res.headers.get('retry-after') ?? ''}`);
			}
			return seen;
		};
		const first = await run();
		expect(await run()).toEqual(first);
		expect(first).toContain('429:2');
		expect(first).toContain('503:');
		expect(first).toContain('200:');
		emu.setRandomFaults(undefined);
	});
});

describe('request log and reset', () => {
	it('records every request and forgets everything on reset()', async () => {
		const id = await submitId();
		await call('GET', `/v1/requests/${id}/result?include_cost=true`);
		const [sub, image, res] = emu.requests;
		expect(sub).toMatchObject({ route: 'submit', method: 'POST', status: 200, requestId: id });
		expect(sub.authorization).toBe('Bearer test-token');
		expect(image).toMatchObject({ route: 'image', method: 'GET', status: 200 });
		expect(res).toMatchObject({
			route: 'result',
			path: `/v1/requests/${id}/result`,
			query: { include_cost: 'true' },
			requestId: id,
		});
		expect(emu.count('result', id)).toBe(1);
		emu.addFault({ route: 'any', times: Infinity });
		emu.reset();
		expect(emu.requests).toHaveLength(0);
		expect(emu.jobs.size).toBe(0);
		expect((await status(id)).status).toBe(404);
	});

	it('stop() closes hanging sockets: a request held open fails instead of hanging', async () => {
		const other = new RunComfyEmulator();
		const otherBase = await other.start();
		other.addFault({ route: 'status', action: 'hang' });
		const pending = fetch(`${otherBase}/v1/requests/x/status`).catch((e: unknown) => e);
		while (other.requests.length === 0) await sleep(10);
		// server.close() waits for open sockets: returning at all means they were closed.
		await other.stop();
		expect(await pending).toBeInstanceOf(Error);
	});
});
