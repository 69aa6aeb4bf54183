/**
 * The node's load-options methods called as n8n's editor calls them (n8n-core's LoadOptionsContext),
 * and the catalog operations List Models and Get Model.
 */
import type { IDataObject } from 'n8n-workflow';

import { RunComfy } from '../../nodes/RunComfy/RunComfy.node';
import { EDIT_ID, FLUX_ID, MODELS, NO_SCHEMA_ID, ODD_TYPES_ID } from '../emulator/catalog';
import { byId, setUpRunComfy } from './runcomfy.helpers';

const t = setUpRunComfy();
const node = new RunComfy();

const search = async (filter?: string, token?: string) =>
	await node.methods.listSearch.searchModels.call(
		t.loadContext({ model: byId('') }),
		filter,
		token,
	);

const fields = async (model: IDataObject) =>
	await node.methods.resourceMapping.getInputFields.call(
		t.loadContext({ operation: 'run', model }),
	);

describe('RunComfy node: model list search', () => {
	test('lists models with category and price, searchable', async () => {
		const all = await search();
		expect(all.results.map((entry) => entry.value)).toEqual(MODELS.map((model) => model.model_id));
		expect(all.results.find((entry) => entry.value === FLUX_ID)).toEqual({
			name: 'FLUX.2 Flash · text-to-image · $0.01 per image',
			value: FLUX_ID,
			url: `https://www.runcomfy.com/models/${FLUX_ID}`,
		});
		// The catalog reports its total: no next page is asked for.
		expect(all.paginationToken).toBeUndefined();
		const found = await search('flux');
		expect(found.results.map((entry) => entry.value)).toEqual([FLUX_ID]);
		const request = t.emulator.requests.at(-1)!;
		expect(request.query).toMatchObject({ search: 'flux', offset: '0' });
		expect(request.authorization).toBe(`Bearer ${t.emulator.token}`);
	});

	test('pages with a pagination token when the catalog answers a full page', async () => {
		const page = Array.from({ length: 50 }, (_, i) => ({
			model_id: `test/m${i}/t2i`,
			categories: ['x'],
		}));
		t.emulator.addFault({ route: 'catalog', status: 200, body: page });
		const first = await search();
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		// The emulator's real catalog has fewer than 50 models: the next page is empty and the last.
		const second = await search(undefined, first.paginationToken);
		expect(t.emulator.requests.at(-1)!.query).toMatchObject({ offset: '50', limit: '50' });
		expect(second).toEqual({ results: [], paginationToken: undefined });
	});
});

describe('RunComfy node: resource mapper fields', () => {
	test('fields from the schema: string, float, nullable integer, enum, boolean; required and defaults', async () => {
		const { fields: list } = await fields(byId(FLUX_ID));
		expect(
			list.map((field) => [
				field.id,
				field.displayName,
				field.type,
				field.required,
				field.defaultValue,
			]),
		).toEqual([
			['prompt', 'Prompt', 'string', true, undefined],
			['guidance_scale', 'Guidance Scale (0–20)', 'number', false, 2.5],
			['seed', 'Seed (whole number)', 'number', false, undefined],
			['image_size', 'Image Size', 'options', false, 'landscape_4_3'],
			['output_format', 'Output Format', 'options', false, 'jpeg'],
			['enable_safety_checker', 'Safety Checker', 'boolean', false, true],
		]);
		expect(list[3].options).toHaveLength(6);
		expect(list.every((field) => field.display && !field.defaultMatch)).toBe(true);
	});

	test('a model page URL selects the model too', async () => {
		const { fields: list } = await fields({
			__rl: true,
			mode: 'url',
			value: `https://www.runcomfy.com/models/${EDIT_ID}`,
		});
		expect(list.map((field) => field.id)).toEqual([
			'prompt',
			'image_url',
			'reference_image_url',
			'num_images',
		]);
	});

	test('a model without a schema has no fields and says why', async () => {
		const result = await fields(byId(NO_SCHEMA_ID));
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toMatch(/Additional Inputs/);
	});

	test('a type nobody knows becomes a text field, named with its type', async () => {
		const { fields: list } = await fields(byId(ODD_TYPES_ID));
		expect(list.map((field) => [field.id, field.type, field.displayName])).toEqual([
			['prompt', 'string', 'Prompt'],
			['mask', 'string', 'Mask (image_ref)'],
			['strength', 'string', 'Strength (float or string)'],
		]);
	});

	test('a model the catalog does not know: a notice naming it, no error', async () => {
		const result = await fields(byId('nobody/no-such/model'));
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toBe(
			'RunComfy has no model "nobody/no-such/model". Pick the model from the list, or copy its id from its page on runcomfy.com.',
		);
	});

	test('no model chosen yet: no fields, no request', async () => {
		const result = await fields(byId(''));
		expect(result.fields).toEqual([]);
		expect(t.emulator.requests).toHaveLength(0);
	});
});

describe('RunComfy node: List Models and Get Model', () => {
	test('List Models: all pages, or a limit, filtered by category', async () => {
		const all = await t.run({ operation: 'listModels', returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items.map((item) => item.json.modelId)).toEqual(
			MODELS.map((model) => model.model_id),
		);
		const two = await t.run({
			operation: 'listModels',
			returnAll: false,
			limit: 2,
			category: 'text-to-image',
		});
		expect(two.items.map((item) => item.json.modelId)).toEqual([FLUX_ID, NO_SCHEMA_ID]);
		expect(two.items[0].json).toMatchObject({
			price: 0.01,
			priceUnit: 'image',
			categories: ['text-to-image'],
		});
	});

	test('List Models accepts a bare array answer', async () => {
		t.emulator.addFault({
			route: 'catalog',
			status: 200,
			body: [{ model_id: 'a/b/c', base_price_usd: '0.5' }],
		});
		// Without a total, a short page is not the end: the next page, empty, is.
		t.emulator.addFault({ route: 'catalog', status: 200, body: [] });
		const result = await t.run({ operation: 'listModels', returnAll: true });
		expect(result.items.map((item) => [item.json.modelId, item.json.price])).toEqual([
			['a/b/c', 0.5],
		]);
		expect(t.emulator.count('catalog')).toBe(2);
	});

	test('Get Model: schema, price and unit, categories, page URL', async () => {
		const result = await t.run({ operation: 'getModel', model: byId(FLUX_ID) });
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toMatchObject({
			modelId: FLUX_ID,
			price: 0.01,
			priceUnit: 'image',
			categories: ['text-to-image'],
			modelUrl: `https://www.runcomfy.com/models/${FLUX_ID}`,
			schemaProblem: null,
		});
		expect((json.inputs as Array<{ key: string }>).map((input) => input.key)).toContain(
			'guidance_scale',
		);
		expect(json.inputSchema).toMatchObject({ required: ['prompt'] });
	});

	test('Get Model of an unknown model fails clearly', async () => {
		const result = await t.run({ operation: 'getModel', model: byId('nobody/nothing/x') });
		expect(result.error?.message).toBe('RunComfy has no model "nobody/nothing/x"');
	});
});

describe('the emulator catalog', () => {
	test('answers categories, pages and one model; refuses an unknown model with 400001', async () => {
		const get = async (path: string) => {
			const response = await fetch(`${t.emulator.baseUrl}${path}`, {
				headers: { authorization: `Bearer ${t.emulator.token}` },
			});
			return { status: response.status, body: (await response.json()) as IDataObject };
		};
		expect((await get('/v1/models/categories')).body.categories).toContain('text-to-audio');
		const page = await get('/v1/models?limit=2&offset=2');
		expect(page.body).toMatchObject({ total: MODELS.length, limit: 2, offset: 2 });
		expect((page.body.models as IDataObject[]).map((model) => model.model_id)).toEqual(
			MODELS.slice(2, 4).map((model) => model.model_id),
		);
		expect((page.body.models as IDataObject[])[0].input_schema).toBeUndefined();
		const one = await get(`/v1/models/${FLUX_ID}`);
		expect(one.body).toMatchObject({
			model_id: FLUX_ID,
			base_price_usd: 0.01,
			price_unit: 'image',
		});
		expect(await get('/v1/models/nobody/x')).toEqual({
			status: 400,
			body: { error_code: 400001, error_message: 'Unknown model id' },
		});
	});
});
