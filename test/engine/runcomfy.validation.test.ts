/** Everything is checked against the model's schema before any paid request. */
import type { IDataObject } from 'n8n-workflow';

import {
	AUDIO_ID,
	EDIT_ID,
	FLUX_ID,
	NO_SCHEMA_ID,
	ODD_TYPES_ID,
	T2V_ID,
} from '../emulator/catalog';
import { byId, runParams, setUpRunComfy } from './runcomfy.helpers';

const t = setUpRunComfy();
const submits = () => t.emulator.requests.filter((r) => r.route === 'submit');

async function refused(model: string, values: IDataObject, extra = {}) {
	const result = await t.run(runParams(model, values, extra));
	expect(submits()).toHaveLength(0);
	expect(result.error).toBeDefined();
	return result.error!.message;
}

describe('RunComfy node: validation against the schema', () => {
	test.each([
		[
			'a required input missing',
			FLUX_ID,
			{ guidance_scale: 3 },
			'Prompt is required: What to draw',
		],
		[
			'a float above its maximum',
			FLUX_ID,
			{ prompt: 'x', guidance_scale: 25 },
			'Guidance Scale must be between 0 and 20, got 25',
		],
		[
			'a float as text that is no number',
			FLUX_ID,
			{ prompt: 'x', guidance_scale: 'strong' },
			'Guidance Scale must be a number between 0 and 20, got "strong"',
		],
		[
			'an integer with a fraction',
			FLUX_ID,
			{ prompt: 'x', seed: 1.5 },
			'Seed must be a whole number, got 1.5',
		],
		[
			'a value outside the enum',
			FLUX_ID,
			{ prompt: 'x', output_format: 'gif' },
			'Output Format must be one of "jpeg", "png" or "webp", got "gif"',
		],
		[
			'a boolean that is not one',
			FLUX_ID,
			{ prompt: 'x', enable_safety_checker: 'maybe' },
			'Safety Checker must be true or false, got "maybe"',
		],
		[
			'an object that is not JSON',
			T2V_ID,
			{ prompt: 'x', camera: '{oops' },
			'Camera Control must be JSON',
		],
		[
			'a list that is an object',
			AUDIO_ID,
			{ prompt: 'x', tags: '{"a":1}' },
			'Tags must be a list (JSON array), got "{\\"a\\":1}"',
		],
		[
			'an integer below its minimum',
			EDIT_ID,
			{ prompt: 'x', image_url: 'u', reference_image_url: 'u', num_images: 0 },
			'Number of Images must be between 1 and 4, got 0',
		],
		[
			'an input the model does not take',
			FLUX_ID,
			{ prompt: 'x', strength: 2 },
			'Inputs has "strength", which model',
		],
	])('%s', async (_name, model, values, message) => {
		expect(await refused(model, values)).toContain(message);
	});

	test('all problems of an item are reported together', async () => {
		const message = await refused(FLUX_ID, { guidance_scale: -1, output_format: 'bmp' });
		expect(message).toMatch(
			/Prompt is required.*; Guidance Scale must be between 0 and 20.*; Output Format must be one of/,
		);
	});

	test('numeric, boolean and option text from a sheet is accepted and sent typed', async () => {
		const result = await t.run(
			runParams(FLUX_ID, {
				prompt: 'x',
				guidance_scale: '7.5',
				seed: ' 42 ',
				enable_safety_checker: 'false',
				output_format: 'PNG',
			}),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].body).toEqual({
			prompt: 'x',
			guidance_scale: 7.5,
			seed: 42,
			enable_safety_checker: false,
			output_format: 'png',
		});
	});

	test('empty inputs are left out (RunComfy applies its defaults); nullable null too', async () => {
		const result = await t.run(
			runParams(T2V_ID, { prompt: 'x', negative_prompt: null, duration: '', camera: '{"pan": 1}' }),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].body).toEqual({ prompt: 'x', camera: { pan: 1 } });
	});

	test('Additional Inputs are checked too, and may carry inputs the schema does not list', async () => {
		const bad = await refused(
			FLUX_ID,
			{ prompt: 'x' },
			{ additionalInputs: '{"guidance_scale": 99}' },
		);
		expect(bad).toContain('Guidance Scale must be between 0 and 20, got 99');
		const clash = await refused(FLUX_ID, { prompt: 'x' }, { additionalInputs: '{"prompt": "y"}' });
		expect(clash).toContain('Additional Inputs sets prompt, which the inputs above set too');
		const result = await t.run(
			runParams(
				FLUX_ID,
				{ prompt: 'x' },
				{ additionalInputs: '{"lora": {"path": "my.safetensors"}}' },
			),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].body).toEqual({ prompt: 'x', lora: { path: 'my.safetensors' } });
	});

	test('with Continue On Fail a bad item becomes an error item and the others run', async () => {
		const result = await t.run(runParams(FLUX_ID, { prompt: '={{ $json.p }}' }), {
			items: [{ p: 'fine' }, { p: '' }],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(result.items.map((item) => item.json.error ?? item.json.status)).toEqual([
			'completed',
			expect.stringContaining('Prompt is required'),
		]);
		expect(submits()).toHaveLength(1);
	});
});

describe('RunComfy node: model ids and models without a usable schema', () => {
	test.each([
		['a query', 'a/b?x=1', "can't contain ?"],
		['a fragment', 'a/b#c', "can't contain ?"],
		['a backslash', 'a\\b', "can't contain ?"],
		['a .. segment', 'a/../b', 'without "." or ".."'],
		['an empty segment', 'a//b', 'single slashes'],
		['a space', 'a b/c', "can't contain ?"],
		['nothing', '', 'Model is required'],
	])('refuses a model id with %s before any request', async (_name, id, message) => {
		// From an expression: n8n's own check of the By ID field does not see it.
		const model = { __rl: true, mode: 'id', value: '={{ $json.m }}' };
		const result = await t.run(
			{ ...runParams('', { prompt: 'x' }), model },
			{ items: [{ m: id }] },
		);
		expect(result.error?.message).toContain(message);
		expect(t.emulator.requests).toHaveLength(0);
	});

	test('an unknown model fails clearly before anything is paid', async () => {
		const result = await t.run(runParams('nobody/nothing/x', { prompt: 'x' }), { items: [{}, {}] });
		expect(result.error?.message).toBe('RunComfy has no model "nobody/nothing/x"');
		expect(submits()).toHaveLength(0);
		expect(t.emulator.requests.filter((r) => r.route === 'catalog')).toHaveLength(1);
	});

	test('By URL: a model page gives the model id', async () => {
		const result = await t.run({
			...runParams(FLUX_ID, { prompt: 'x' }),
			model: {
				__rl: true,
				mode: 'url',
				value: `https://www.runcomfy.com/models/${FLUX_ID}?tab=api`,
			},
		});
		expect(result.error).toBeUndefined();
		expect(submits()[0].path).toBe(`/v1/models/${FLUX_ID}`);
	});

	test('a model without a schema runs from Additional Inputs, and says so', async () => {
		const result = await t.run(
			runParams(NO_SCHEMA_ID, null, { additionalInputs: '{"prompt": "x", "steps": 4}' }),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].body).toEqual({ prompt: 'x', steps: 4 });
		expect(JSON.stringify(result.hints)).toContain('publishes no input schema');
	});

	test('a schema type nobody knows is passed on as given; required still applies', async () => {
		const missing = await refused(ODD_TYPES_ID, { prompt: 'x' });
		expect(missing).toContain('Mask is required');
		const result = await t.run(
			runParams(ODD_TYPES_ID, { prompt: 'x', mask: 'https://example.com/m.png', strength: '0.4' }),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].body).toEqual({
			prompt: 'x',
			mask: 'https://example.com/m.png',
			strength: '0.4',
		});
	});

	test('a binary input over 6 MB is refused before any submit', async () => {
		const big = Buffer.alloc(6 * 1024 * 1024 + 1, 1).toString('base64');
		const result = await t.run(
			runParams(
				EDIT_ID,
				{ prompt: 'x', reference_image_url: 'https://example.com/r.png' },
				{ binaryInputs: { input: [{ name: 'image_url', binaryProperty: 'data' }] } },
			),
			{ binary: [{ property: 'data', base64: big, mimeType: 'image/png', fileName: 'big.png' }] },
		);
		expect(result.error?.message).toContain(
			'The file for Image (binary field "data") is 6.1 MB; files sent from binary may be at most 6 MB',
		);
		expect(submits()).toHaveLength(0);
	});

	test('a binary input for an input the model does not have is refused', async () => {
		const result = await t.run(
			runParams(
				FLUX_ID,
				{ prompt: 'x' },
				{ binaryInputs: { input: [{ name: 'image', binaryProperty: 'data' }] } },
			),
			{ binary: [{ property: 'data', base64: 'AAAA', mimeType: 'image/png', fileName: 'a.png' }] },
		);
		expect(result.error?.message).toContain(`model ${FLUX_ID} has no input "image"`);
	});

	test('n8n itself refuses a By ID value with ? # \\ % or spaces (the field validation)', async () => {
		await expect(t.run({ operation: 'getModel', model: byId('a b/c') })).rejects.toThrow(
			'A model id has no ?, #, \\, % or spaces',
		);
	});
});
