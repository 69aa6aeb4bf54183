import { fieldNote, toMapperField } from '../../nodes/shared/catalog/fields';
import {
	checkModelId,
	entriesOf,
	modelIdFromUrl,
	modelIdOf,
	priceText,
	readModel,
} from '../../nodes/shared/catalog/models';
import { readInput, readInputSchema } from '../../nodes/shared/catalog/schema';
import { checkInputs, checkValue } from '../../nodes/shared/catalog/validate';

describe('catalog: schema reading', () => {
	test.each([
		[{ type: 'string' }, 'string'],
		[{ type: 'float' }, 'number'],
		[{ type: 'number' }, 'number'],
		[{ type: 'integer' }, 'integer'],
		[{ type: ['integer', 'null'] }, 'integer'],
		[{ anyOf: [{ type: 'integer' }, { type: 'null' }] }, 'integer'],
		[{ type: ['integer', 'number'] }, 'number'],
		[{ type: 'boolean' }, 'boolean'],
		[{ type: 'object' }, 'json'],
		[{ type: 'array' }, 'json'],
		[{ type: 'string', enum: ['a', 'b'] }, 'options'],
		[{ type: 'image_ref' }, 'unknown'],
		[{ type: ['string', 'integer'] }, 'unknown'],
		[{}, 'unknown'],
		['not an object', 'unknown'],
	])('%j is read as %s', (property, kind) => {
		expect(readInput('k', property, false).kind).toBe(kind);
	});

	test('nullable, defaults (null included), ranges, title and description', () => {
		expect(readInput('seed', { type: ['integer', 'null'], default: null }, false)).toMatchObject({
			title: 'seed',
			nullable: true,
			hasDefault: true,
			default: null,
		});
		expect(
			readInput(
				'g',
				{
					title: ' Guidance ',
					type: 'float',
					minimum: 0,
					maximum: 20,
					default: 2.5,
					description: 'How much',
				},
				true,
			),
		).toMatchObject({
			title: 'Guidance',
			min: 0,
			max: 20,
			default: 2.5,
			required: true,
			description: 'How much',
			nullable: false,
		});
	});

	test('required inputs first; reserved keys and non-object schemas refused', () => {
		const schema = readInputSchema({
			required: ['b'],
			properties: { a: { type: 'string' }, b: { type: 'string' }, __proto__: { type: 'string' } },
		});
		expect(schema.inputs.map((input) => input.key)).toEqual(['b', 'a']);
		expect(readInputSchema(null).problem).toMatch(/no input schema/);
		expect(readInputSchema({ type: 'object' }).problem).toMatch(/lists no inputs/);
		expect(readInputSchema([1, 2]).inputs).toEqual([]);
	});
});

describe('catalog: validation', () => {
	const flux = readInputSchema({
		required: ['prompt'],
		properties: {
			prompt: { title: 'Prompt', type: 'string' },
			guidance_scale: { title: 'Guidance Scale', type: 'float', minimum: 0, maximum: 20 },
			steps: { title: 'Steps', type: 'integer', minimum: 1 },
			size: { title: 'Size', type: 'string', enum: ['s', 'm'] },
			frames: { title: 'Frames', type: 'integer', enum: [81, 141] },
		},
	}).inputs;

	test('valid values are sent typed; empty ones left out', () => {
		expect(
			checkInputs(flux, {
				prompt: 'x',
				guidance_scale: '2.5',
				steps: 3,
				size: 'M',
				frames: '141',
				extra: 1,
			}),
		).toEqual({
			value: { prompt: 'x', guidance_scale: 2.5, steps: 3, size: 'm', frames: 141 },
		});
		expect(checkInputs(flux, { prompt: 'x', guidance_scale: '', steps: null })).toEqual({
			value: { prompt: 'x' },
		});
	});

	test('messages name the title and say what is allowed', () => {
		const problem = (values: Record<string, unknown>) => {
			const checked = checkInputs(flux, { prompt: 'x', ...values });
			return 'problem' in checked ? checked.problem : undefined;
		};
		expect(problem({ prompt: '  ' })).toBe('Prompt is required');
		expect(problem({ guidance_scale: 21 })).toBe('Guidance Scale must be between 0 and 20, got 21');
		expect(problem({ steps: 0 })).toBe('Steps must be at least 1, got 0');
		expect(problem({ steps: 'two' })).toBe('Steps must be an integer (at least 1), got "two"');
		expect(problem({ size: 'xl' })).toBe('Size must be one of "s" or "m", got "xl"');
		expect(problem({ frames: 80 })).toBe('Frames must be one of 81 or 141, got 80');
	});

	test('exclusive bounds, booleans, JSON, text and unknown types', () => {
		const input = (property: Record<string, unknown>) =>
			readInput('v', { title: 'V', ...property }, false);
		expect(checkValue(input({ type: 'number', exclusiveMaximum: 1 }), 1)).toEqual({
			problem: 'V must be less than 1, got 1',
		});
		expect(checkValue(input({ type: 'number', exclusiveMinimum: 0 }), 0)).toEqual({
			problem: 'V must be greater than 0, got 0',
		});
		expect(checkValue(input({ type: 'boolean' }), 'TRUE')).toEqual({ value: true });
		expect(checkValue(input({ type: 'object' }), '{"a":1}')).toEqual({ value: { a: 1 } });
		expect(checkValue(input({ type: 'array' }), [1])).toEqual({ value: [1] });
		expect(checkValue(input({ type: 'array' }), {})).toEqual({
			problem: 'V must be a list (JSON array), got {}',
		});
		expect(checkValue(input({ type: 'string' }), 12)).toEqual({ value: '12' });
		expect(checkValue(input({ type: 'string' }), { a: 1 })).toEqual({
			problem: 'V must be text, got {"a":1}',
		});
		expect(checkValue(input({ type: 'tensor' }), { any: 'thing' })).toEqual({
			value: { any: 'thing' },
		});
	});
});

describe('catalog: resource mapper fields', () => {
	test('types, options, defaults and notes', () => {
		const field = (property: Record<string, unknown>, required = false) =>
			toMapperField(readInput('k', { title: 'K', ...property }, required));
		expect(field({ type: 'float', minimum: 0, maximum: 20, default: 2.5 })).toMatchObject({
			type: 'number',
			displayName: 'K (0–20)',
			defaultValue: 2.5,
		});
		expect(field({ type: 'integer', default: null })).toMatchObject({
			type: 'number',
			displayName: 'K (whole number)',
		});
		expect(field({ type: 'integer', default: null }).defaultValue).toBeUndefined();
		expect(field({ type: 'string', enum: ['a', 'b'] }, true)).toMatchObject({
			type: 'options',
			required: true,
			options: [
				{ name: 'a', value: 'a' },
				{ name: 'b', value: 'b' },
			],
		});
		expect(field({ type: 'object', default: { a: 1 } })).toMatchObject({
			type: 'object',
			displayName: 'K (JSON)',
			defaultValue: '{"a":1}',
		});
		expect(field({ type: 'array' })).toMatchObject({ type: 'array', displayName: 'K (JSON list)' });
		expect(fieldNote(readInput('k', { type: 'image' }, false))).toBe(' (image)');
	});
});

describe('catalog: model ids, URLs and entries', () => {
	test.each([
		['blackforestlabs/flux-2/flash/text-to-image', true],
		['a', true],
		['a/b?c', false],
		['a/b#c', false],
		['a\\b', false],
		['a/./b', false],
		['a/../b', false],
		['/a/b', false],
		['a/b/', false],
		['a%2Fb', false],
		['a b', false],
		[42, false],
	])('checkModelId(%j) ok: %s', (id, ok) => {
		expect('value' in checkModelId(id)).toBe(ok);
	});

	test.each([
		[
			'https://www.runcomfy.com/models/blackforestlabs/flux-2/flash/text-to-image',
			'blackforestlabs/flux-2/flash/text-to-image',
		],
		['https://runcomfy.com/models/a/b/c/', 'a/b/c'],
		['https://www.runcomfy.com/models/a/b/c?tab=api#top', 'a/b/c'],
		['https://www.runcomfy.com/de/models/a/b/c', 'a/b/c'],
		['https://www.runcomfy.com/models/a/b/c/api', 'a/b/c'],
		['https://www.runcomfy.com/models/a/b%20c', undefined],
		['https://www.runcomfy.com/models/a/../b', undefined],
		['https://example.com/models/a/b', undefined],
		['https://www.runcomfy.com/blog/a', undefined],
	])('modelIdFromUrl(%s) = %s', (url, id) => {
		const checked = modelIdFromUrl(url);
		expect('value' in checked ? checked.value : undefined).toBe(id);
	});

	test('the resource locator value in each mode', () => {
		expect(modelIdOf({ __rl: true, mode: 'list', value: 'a/b' })).toEqual({ value: 'a/b' });
		expect(modelIdOf({ mode: 'url', value: 'https://www.runcomfy.com/models/a/b' })).toEqual({
			value: 'a/b',
		});
		expect(modelIdOf('a/b')).toEqual({ value: 'a/b' });
	});

	test('list answers: a bare array, a known key, or the first array-valued field', () => {
		expect(entriesOf([1])).toEqual([1]);
		expect(entriesOf({ total: 1, models: [1] })).toEqual([1]);
		expect(entriesOf({ total: 1, whatever: [2] })).toEqual([2]);
		expect(entriesOf({ nothing: 1 })).toEqual([]);
		expect(entriesOf('x')).toEqual([]);
	});

	test('entries with other field names; price text', () => {
		const model = readModel({
			id: 'a/b',
			category: 'text-to-image',
			price: '0.5',
			unit: 'per_image',
			url: 'https://x',
		});
		expect(model).toMatchObject({
			id: 'a/b',
			categories: ['text-to-image'],
			price: 0.5,
			priceUnit: 'per_image',
			modelUrl: 'https://x',
		});
		expect(priceText(model)).toBe('$0.5 per image');
		expect(priceText({ price: undefined })).toBeUndefined();
		expect(readModel(null, 'fallback').id).toBe('fallback');
	});
});
