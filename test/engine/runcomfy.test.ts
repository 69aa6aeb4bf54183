import type { IDataObject } from 'n8n-workflow';

import { AUDIO_ID, EDIT_ID, FLUX_ID, FUSIONX_ID, T2V_ID } from '../emulator/catalog';
import { TINY_PNG } from '../emulator/emulator';
import { runParams, setUpRunComfy } from './runcomfy.helpers';

const t = setUpRunComfy();

const submits = () => t.emulator.requests.filter((r) => r.route === 'submit');

describe('RunComfy node: Run Model', () => {
	test('runs a text-to-image model: the image URL, price and unit, cost', async () => {
		const result = await t.run(
			runParams(FLUX_ID, { prompt: 'a red fox', guidance_scale: 4, image_size: 'square' }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const json = result.items[0].json;
		expect(json).toMatchObject({
			status: 'completed',
			modelId: FLUX_ID,
			price: 0.01,
			priceUnit: 'image',
			cost: expect.any(Number),
			imageUrl: expect.stringMatching(/\/files\/.+\.png$/),
			input: { prompt: 'a red fox', guidance_scale: 4, image_size: 'square' },
		});
		expect(submits()).toHaveLength(1);
		expect(submits()[0].path).toBe(`/v1/models/${FLUX_ID}`);
		expect(submits()[0].body).toEqual({
			prompt: 'a red fox',
			guidance_scale: 4,
			image_size: 'square',
		});
	});

	test('the schema is fetched once per model per run, not per item', async () => {
		const result = await t.run(runParams(FLUX_ID, { prompt: '={{ $json.p }}' }), {
			items: [{ p: 'one' }, { p: 'two' }, { p: 'three' }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.input)).toEqual([
			{ prompt: 'one' },
			{ prompt: 'two' },
			{ prompt: 'three' },
		]);
		expect(t.emulator.requests.filter((r) => r.route === 'catalog')).toHaveLength(1);
	});

	test('two different models in one run: one output item per input item, in order', async () => {
		const result = await t.run(
			{
				...runParams('', { prompt: '={{ $json.p }}' }),
				model: { __rl: true, mode: 'id', value: '={{ $json.m }}' },
			},
			{
				items: [
					{ m: FLUX_ID, p: 'a cat' },
					{ m: AUDIO_ID, p: 'rain' },
					{ m: FLUX_ID, p: 'a dog' },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => [
				item.json.modelId,
				Boolean(item.json.imageUrl),
				Boolean(item.json.audioUrl),
			]),
		).toEqual([
			[FLUX_ID, true, false],
			[AUDIO_ID, false, true],
			[FLUX_ID, true, false],
		]);
		expect(t.emulator.requests.filter((r) => r.route === 'catalog')).toHaveLength(2);
	});

	test('downloads every file of each kind: image(s), video, audio', async () => {
		const download = { options: { pollInterval: 1, download: true } };
		const cases: Array<[string, IDataObject, Record<string, string>]> = [
			[FLUX_ID, { prompt: 'x' }, { data: 'image/png' }],
			[
				EDIT_ID,
				{
					prompt: 'x',
					image_url: 'https://example.com/a.png',
					reference_image_url: 'https://example.com/b.png',
				},
				{ data: 'image/png', data_1: 'image/png' },
			],
			[T2V_ID, { prompt: 'x' }, { data: 'video/mp4' }],
			[AUDIO_ID, { prompt: 'x' }, { data: 'audio/mpeg' }],
		];
		for (const [model, values, expected] of cases) {
			const result = await t.run(runParams(model, values, download));
			expect(result.error).toBeUndefined();
			const binary = result.items[0].binary ?? {};
			expect(
				Object.fromEntries(Object.entries(binary).map(([key, file]) => [key, file.mimeType])),
			).toEqual(expected);
		}
	});

	test('runs FusionX from the catalog like any model', async () => {
		const image = `${t.emulator.baseUrl}/images/start.png`;
		const result = await t.run(
			runParams(FUSIONX_ID, { '600_prompt': 'slow push-in', '608_image': image, '598_cfg': '1.5' }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			videoUrl: expect.any(String),
			modelId: FUSIONX_ID,
		});
		expect(submits()[0].body).toEqual({
			'600_prompt': 'slow push-in',
			'608_image': image,
			'598_cfg': 1.5,
		});
	});

	test('binary inputs are sent as data: URIs', async () => {
		const png = TINY_PNG.toString('base64');
		const result = await t.run(
			runParams(
				EDIT_ID,
				{ prompt: 'blend' },
				{
					binaryInputs: {
						input: [
							{ name: 'image_url', binaryProperty: 'data' },
							{ name: 'reference_image_url', binaryProperty: 'data' },
						],
					},
				},
			),
			{ binary: [{ property: 'data', base64: png, mimeType: 'image/png', fileName: 'a.png' }] },
		);
		expect(result.error).toBeUndefined();
		const body = submits()[0].body as Record<string, string>;
		expect(body.image_url).toBe(`data:image/png;base64,${png}`);
		expect(body.reference_image_url).toBe(`data:image/png;base64,${png}`);
		expect(
			String(
				result.items[0].json.input &&
					(result.items[0].json.input as Record<string, string>).image_url,
			),
		).toMatch(/from binary/);
	});
});
