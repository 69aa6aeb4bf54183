import type { INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { FusionX } from '../../nodes/FusionX/FusionX.node';
import { LIMITS } from '../../nodes/FusionX/helpers/input';
import { setUpEmulator } from '../harness/context';

const description = (error: unknown) =>
	String((error as { description?: string })?.description ?? '');
import { FUSIONX_TYPE } from '../harness/engine';

const t = setUpEmulator();

describe('generate', () => {
	test('maps every field onto its API key with JSON integers and numbers', async () => {
		const result = await t.run(
			t.generate({
				prompt: 'Waves roll in',
				resolution: '1280x720 (16:9)',
				numFrames: 141,
				frameRate: 24,
				seed: 42,
				steps: 8,
				guidanceScale: 1.5,
				shift: 7.5,
			}),
		);
		expect(result.error).toBeUndefined();
		const [submit] = t.submitted();
		expect(submit.body).toEqual({
			'600_prompt': 'Waves roll in',
			'608_image': t.imageUrl(),
			'602_widthx602_height': '1280x720 (16:9)',
			'602_num_frames': 141,
			'609_frame_rate': 24,
			'598_seed': 42,
			'598_steps': 8,
			'598_cfg': 1.5,
			'598_shift': 7.5,
		});
		const json = result.items[0].json;
		expect(json.seed).toBe(42);
		expect(json.status).toBe('completed');
		expect(json.videoUrl).toMatch(/\/files\/.+\.mp4$/);
		expect(json.requestId).toBe(submit.requestId);
		expect(json.output).toEqual({ video: json.videoUrl });
		expect(json.input).toEqual(submit.body);
		expect(typeof json.cost).toBe('number');
		expect(json.createdAt).toEqual(expect.any(String));
		expect(json.finishedAt).toEqual(expect.any(String));
		expect(json.waitedSeconds).toEqual(expect.any(Number));
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	test('sends the documented defaults when fields are left alone', async () => {
		await t.run(t.generate());
		const body = t.submitted()[0].body as Record<string, unknown>;
		expect(body).toMatchObject({
			'602_widthx602_height': '720x480 (3:2)',
			'602_num_frames': 81,
			'609_frame_rate': 16,
			'598_steps': 10,
			'598_cfg': 1,
			'598_shift': 5,
		});
	});

	test('seed -1 picks a random seed that is sent and echoed', async () => {
		const result = await t.run(t.generate({ seed: -1 }), { items: [{}, {}] });
		const seeds = t
			.submitted()
			.map((request) => (request.body as Record<string, number>)['598_seed']);
		expect(seeds.every((seed) => Number.isInteger(seed) && seed >= 0)).toBe(true);
		expect(result.items.map((item) => item.json.seed).sort()).toEqual([...seeds].sort());
		for (const item of result.items) {
			expect((item.json.input as Record<string, unknown>)['598_seed']).toBe(item.json.seed);
		}
	});

	test('reads fields from expressions per item, numeric strings included, in input order', async () => {
		const result = await t.run(
			t.generate({
				prompt: '={{ $json.prompt }}',
				steps: '={{ $json.steps }}',
				resolution: '={{ $json.resolution }}',
			}),
			{
				items: [
					{ prompt: 'first', steps: '6', resolution: '480x480 (1:1)' },
					{ prompt: 'second', steps: 20, resolution: '540x960 (9:16)' },
					{ prompt: 'third', steps: 12, resolution: '720x720 (1:1)' },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => (item.json.input as Record<string, unknown>)['600_prompt']),
		).toEqual(['first', 'second', 'third']);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		const bodies = t.submitted().map((request) => request.body as Record<string, unknown>);
		const byPrompt = Object.fromEntries(bodies.map((body) => [body['600_prompt'], body]));
		expect(byPrompt.first['598_steps']).toBe(6);
		expect(byPrompt.second['602_widthx602_height']).toBe('540x960 (9:16)');
	});

	test('a resolution given as WxH (e.g. from a sheet) means the option of that size', async () => {
		const result = await t.run(t.generate({ resolution: '={{ $json.size }}' }), {
			items: [{ size: '1280x720' }],
		});
		expect(result.error).toBeUndefined();
		expect((t.submitted()[0].body as Record<string, unknown>)['602_widthx602_height']).toBe(
			'1280x720 (16:9)',
		);
	});

	test('Additional Inputs are merged into the body', async () => {
		await t.run(t.generate({ additionalInputs: '{"700_new_key": "x", "701_flag": true}' }));
		expect(t.submitted()[0].body).toMatchObject({
			'700_new_key': 'x',
			'701_flag': true,
			'598_steps': 10,
		});
	});

	test('getResult of a failed job reports its reason', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 0, outcome: 'failed', error: 'bad frame' });
		const submitted = await t.run({ ...t.generate(), operation: 'submit' });
		const result = await t.run({
			operation: 'getResult',
			requestId: submitted.items[0].json.requestId,
		});
		expect(result.error?.message).toBe('The RunComfy job failed: bad frame');
		expect(description(result.error)).toContain(String(submitted.items[0].json.requestId));
	});

	test('a finished job reported as "succeeded" counts as success', async () => {
		t.emulator.scriptNextJobs({ outcome: 'succeeded' });
		const result = await t.run(t.generate());
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('succeeded');
		expect(result.items[0].json.videoUrl).toEqual(expect.stringContaining('/files/'));
	});

	test('several videos: videoUrl is the first, videoUrls lists them all', async () => {
		t.emulator.scriptNextJobs({ videos: 3 });
		const result = await t.run(t.generate());
		const json = result.items[0].json;
		expect(json.videoUrls).toHaveLength(3);
		expect(json.videoUrl).toBe((json.videoUrls as string[])[0]);
	});

	test('the token never appears in output', async () => {
		const result = await t.run(t.generate());
		expect(JSON.stringify(result.run.data)).not.toContain(t.emulator.token);
		expect(t.submitted()[0].authorization).toBe(`Bearer ${t.emulator.token}`);
	});
});

describe('node description', () => {
	test('the subtitle names the operation as the UI does', () => {
		const subtitle = new FusionX().description.subtitle!;
		const names: Record<string, string> = {
			generate: 'Generate Video',
			submit: 'Submit Job',
			cancel: 'Cancel Job',
		};
		for (const [operation, expected] of Object.entries(names)) {
			const node: INode = {
				id: '1',
				name: 'FusionX',
				type: FUSIONX_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { operation },
			};
			const workflow = new Workflow({
				nodes: [node],
				connections: {},
				active: false,
				nodeTypes: t.engine.nodeTypes,
			});
			expect(workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {})).toBe(
				expected,
			);
		}
	});

	test('UI defaults and limits match the API schema', () => {
		const fields = Object.fromEntries(
			new FusionX().description.properties.map((property) => [property.name, property]),
		);
		expect(fields.resolution.default).toBe('720x480 (3:2)');
		expect(fields.numFrames.default).toBe(81);
		expect(fields.frameRate.default).toBe(LIMITS.frameRate.default);
		expect(fields.steps.default).toBe(LIMITS.steps.default);
		expect(fields.guidanceScale.default).toBe(LIMITS.guidanceScale.default);
		expect(fields.shift.default).toBe(LIMITS.shift.default);
		expect(fields.seed.default).toBe(-1);
		// No clamping in the editor: a value out of range reaches the check and is refused clearly.
		expect(fields.steps.typeOptions?.maxValue).toBeUndefined();
		expect(fields.steps.displayName).toBe('Steps (6–20)');
	});
});
