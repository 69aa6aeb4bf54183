/** Submit, Get Status, Wait for Completion, Get Result and Cancel for catalog models; as an agent tool. */
import { AUDIO_ID, EDIT_ID, FLUX_ID } from '../emulator/catalog';
import { RUNCOMFY_TYPE } from '../harness/engine';
import { until } from '../harness/wait';
import { runParams, setUpRunComfy } from './runcomfy.helpers';

const t = setUpRunComfy({ queueMs: 200, durationMs: 200 });

async function submit(model: string, values: Record<string, string>) {
	const result = await t.run({ ...runParams(model, values), operation: 'submit' });
	expect(result.error).toBeUndefined();
	return result.items[0].json;
}

describe('RunComfy node: job operations', () => {
	test('Submit Job returns at once with the request id, model, price and URLs', async () => {
		const json = await submit(FLUX_ID, { prompt: 'x' });
		expect(json).toEqual({
			requestId: expect.any(String),
			status: 'in_queue',
			modelId: FLUX_ID,
			price: 0.01,
			priceUnit: 'image',
			statusUrl: `${t.emulator.baseUrl}/v1/requests/${json.requestId}/status`,
			resultUrl: `${t.emulator.baseUrl}/v1/requests/${json.requestId}/result`,
			cancelUrl: `${t.emulator.baseUrl}/v1/requests/${json.requestId}/cancel`,
			checkAgainAt: expect.any(String),
		});
		expect(t.emulator.count('status') + t.emulator.count('result')).toBe(0);
	});

	test('Get Status, then Wait for Completion with downloads of every file', async () => {
		const { requestId } = await submit(EDIT_ID, {
			prompt: 'x',
			image_url: 'https://e.com/a.png',
			reference_image_url: 'https://e.com/b.png',
		});
		const status = await t.run({ operation: 'getStatus', requestId });
		expect(status.items[0].json).toMatchObject({
			requestId,
			status: expect.stringMatching(/in_queue|in_progress|completed/),
		});
		const waited = await t.run({
			operation: 'waitForCompletion',
			requestId,
			options: { pollInterval: 1, download: true, binaryPropertyName: 'file' },
		});
		expect(waited.error).toBeUndefined();
		const json = waited.items[0].json;
		expect(json).toMatchObject({ status: 'completed', imageUrl: expect.any(String) });
		expect(json.imageUrls).toHaveLength(2);
		expect(Object.keys(waited.items[0].binary ?? {})).toEqual(['file', 'file_1']);
		expect(waited.items[0].binary?.file.fileExtension).toBe('png');
	});

	test('Get Result: the status while running, the audio once done', async () => {
		t.emulator.scriptNextJobs({ queueMs: 60_000 });
		const queued = await submit(AUDIO_ID, { prompt: 'rain' });
		const running = await t.run({ operation: 'getResult', requestId: queued.requestId });
		expect(running.items[0].json).toMatchObject({ status: 'in_queue' });
		const cancelled = await t.run({ operation: 'cancel', requestId: queued.requestId });
		expect(cancelled.items[0].json).toMatchObject({ outcome: 'cancelled', cancelled: true });

		const done = await submit(AUDIO_ID, { prompt: 'rain' });
		expect(await until(() => t.emulator.statusOf(String(done.requestId)) === 'completed')).toBe(
			true,
		);
		const result = await t.run({
			operation: 'getResult',
			requestId: done.requestId,
			options: { download: true },
		});
		expect(result.items[0].json).toMatchObject({
			status: 'completed',
			audioUrl: expect.stringMatching(/\.mp3$/),
		});
		expect(result.items[0].binary?.data.mimeType).toBe('audio/mpeg');
	});

	test('as an agent tool it returns URLs only, even with Download Files on', async () => {
		const tool = `${RUNCOMFY_TYPE}Tool`;
		const types = (t.engine.nodeTypes as unknown as { types: Record<string, unknown> }).types;
		types[tool] ??= types[RUNCOMFY_TYPE];
		const result = await t.engine.run(
			{
				type: tool,
				name: 'RunComfy',
				parameters: runParams(
					FLUX_ID,
					{ prompt: 'x' },
					{ options: { pollInterval: 1, download: true } },
				),
			},
			{ credentials: t.credentials() },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.imageUrl).toEqual(expect.any(String));
		expect(result.items[0].binary).toBeUndefined();
	});

	test('Stop while a Run Model batch of two models waits: the queued jobs are cancelled', async () => {
		t.emulator.scriptNextJobs({ queueMs: 60_000 }, { queueMs: 60_000 });
		const result = await t.run(
			{
				...runParams('', { prompt: 'x' }),
				model: { __rl: true, mode: 'id', value: '={{ $json.m }}' },
			},
			{
				items: [{ m: FLUX_ID }, { m: AUDIO_ID }],
				onStarted: (cancel) =>
					void until(() => t.emulator.count('status') + t.emulator.count('result') >= 2).then(
						cancel,
					),
			},
		);
		expect(result.run.status).toBe('canceled');
		expect(await until(() => t.emulator.count('cancel') === 2)).toBe(true);
		expect([...t.emulator.jobs.values()].map((job) => job.status)).toEqual([
			'cancelled',
			'cancelled',
		]);
	});
});

describe('RunComfy node: Check Job, Dry Run and the spending guards', () => {
	test('Check Job routes finished jobs to Completed with their files, the others to Still Running', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 0 }, { queueMs: 600_000 });
		const done = await submit(FLUX_ID, { prompt: 'x' });
		const queued = await submit(FLUX_ID, { prompt: 'y' });
		await until(() => t.emulator.statusOf(String(done.requestId)) === 'completed');
		const result = await t.run(
			{ operation: 'checkJob', requestId: '={{ $json.id }}' },
			{ items: [{ id: done.requestId }, { id: queued.requestId }] },
		);
		const [completed, running] = result.outputs;
		expect(completed.map((item) => item.json.imageUrl)).toEqual([
			expect.stringContaining('/files/'),
		]);
		expect(running.map((item) => item.json.requestId)).toEqual([queued.requestId]);
		expect(running[0].json.checkAgainAt).toEqual(expect.any(String));
	});

	test('Dry Run: the exact requests, the price and the estimate; nothing paid is sent', async () => {
		const result = await t.run(
			{ ...runParams(FLUX_ID, { prompt: '={{ $json.p }}' }), operation: 'dryRun' },
			{ items: [{ p: 'a' }, { p: 'b' }] },
		);
		expect(result.items.map((item) => item.json.payload)).toEqual([
			expect.objectContaining({ prompt: 'a' }),
			expect.objectContaining({ prompt: 'b' }),
		]);
		expect(result.items[0].json).toMatchObject({
			request: { method: 'POST', path: `/v1/models/${FLUX_ID}` },
			price: 0.01,
			priceUnit: 'image',
			estimate: { jobs: 2, totalUsd: 0.02 },
		});
		expect(t.emulator.count('submit')).toBe(0);
	});

	test('Max Jobs per Execution and Max Estimated Spend refuse before any submit', async () => {
		const tooMany = await t.run(runParams(FLUX_ID, { prompt: 'x' }, { options: { maxJobs: 1 } }), {
			items: [{}, {}],
		});
		expect(tooMany.error?.message).toBe(
			'This run would submit 2 paid jobs, more than Max Jobs per Execution (1)',
		);
		const tooDear = await t.run(
			runParams(FLUX_ID, { prompt: 'x' }, { options: { maxSpend: 0.01 } }),
			{
				items: [{}, {}],
			},
		);
		expect(tooDear.error?.message).toBe(
			'This run is estimated at $0.02 (2 jobs), more than Max Estimated Spend ($0.01)',
		);
		expect(t.emulator.count('submit')).toBe(0);
	});
});
