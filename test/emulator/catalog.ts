/**
 * The emulator's model catalog: a few models of different kinds, their schemas (JSON-Schema-like,
 * with RunComfy's "float"), prices, paging and search, validation of a submit against the schema,
 * and what each kind of model returns.
 */

export type OutputKind = 'video' | 'image' | 'images' | 'audio';

export interface CatalogModel {
	model_id: string;
	name: string;
	description: string;
	categories: string[];
	base_price_usd: number;
	price_unit: string;
	model_url: string;
	input_schema: Record<string, unknown> | null;
	/** What a finished job returns (not part of the API's answer). */
	output: OutputKind;
}

const page = (id: string) => `https://www.runcomfy.com/models/${id}`;

export const FUSIONX_ID = 'community/wan-2-1/fusionx/image-to-video';
export const FLUX_ID = 'blackforestlabs/flux-2/flash/text-to-image';
export const EDIT_ID = 'bytedance/seedream-4/edit';
export const T2V_ID = 'kling/kling-2-1/text-to-video';
export const AUDIO_ID = 'stability/stable-audio/text-to-audio';
export const NO_SCHEMA_ID = 'community/legacy/no-schema';
export const ODD_TYPES_ID = 'community/odd/types';

const FUSIONX_SCHEMA = {
	type: 'object',
	required: ['600_prompt', '608_image'],
	properties: {
		'600_prompt': { title: 'Prompt', type: 'string', default: 'A close-up shot of a young woman' },
		'608_image': { title: 'Image', type: 'string', default: 'RunComfy_examples_1235_1.png' },
		'602_widthx602_height': {
			title: 'Resolution (W:H)',
			type: 'string',
			default: '720x480 (3:2)',
			enum: [
				'480x480 (1:1)',
				'720x720 (1:1)',
				'480x720 (2:3)',
				'720x480 (3:2)',
				'540x960 (9:16)',
				'576x1024 (9:16)',
				'720x1280 (9:16)',
				'960x540 (16:9)',
				'1024x576 (16:9)',
				'1280x720 (16:9)',
			],
		},
		'602_num_frames': { title: 'Number of Frames', type: 'integer', default: 81, enum: [81, 141] },
		'609_frame_rate': {
			title: 'Frames Per Second',
			type: 'integer',
			default: 16,
			minimum: 12,
			maximum: 24,
		},
		'598_seed': { title: 'Seed', type: 'integer', default: 96860978 },
		'598_steps': { title: 'Steps', type: 'integer', default: 10, minimum: 6, maximum: 20 },
		'598_cfg': { title: 'Guidance Scale', type: 'float', default: 1, minimum: 0.6, maximum: 2 },
		'598_shift': { title: 'Shift', type: 'float', default: 5, minimum: 1, maximum: 15 },
	},
};

export const MODELS: CatalogModel[] = [
	{
		model_id: FUSIONX_ID,
		name: 'Wan 2.1 FusionX',
		description: 'Image to video with Wan2.1-14B FusionX',
		categories: ['image-to-video'],
		base_price_usd: 0.12,
		price_unit: 'request',
		model_url: page(FUSIONX_ID),
		input_schema: FUSIONX_SCHEMA,
		output: 'video',
	},
	{
		model_id: FLUX_ID,
		name: 'FLUX.2 Flash',
		description: 'Fast text to image',
		categories: ['text-to-image'],
		base_price_usd: 0.01,
		price_unit: 'image',
		model_url: page(FLUX_ID),
		input_schema: {
			type: 'object',
			required: ['prompt'],
			properties: {
				prompt: { title: 'Prompt', type: 'string', description: 'What to draw' },
				guidance_scale: {
					title: 'Guidance Scale',
					type: 'float',
					minimum: 0,
					maximum: 20,
					default: 2.5,
				},
				seed: { title: 'Seed', type: ['integer', 'null'], default: null },
				image_size: {
					title: 'Image Size',
					type: 'string',
					default: 'landscape_4_3',
					enum: [
						'square_hd',
						'square',
						'portrait_4_3',
						'portrait_16_9',
						'landscape_4_3',
						'landscape_16_9',
					],
				},
				output_format: {
					title: 'Output Format',
					type: 'string',
					default: 'jpeg',
					enum: ['jpeg', 'png', 'webp'],
				},
				enable_safety_checker: { title: 'Safety Checker', type: 'boolean', default: true },
			},
		},
		output: 'image',
	},
	{
		model_id: EDIT_ID,
		name: 'Seedream 4 Edit',
		description: 'Edit an image guided by a second one',
		categories: ['image-to-image', 'image-edit'],
		base_price_usd: 0.03,
		price_unit: 'image',
		model_url: page(EDIT_ID),
		input_schema: {
			type: 'object',
			required: ['prompt', 'image_url', 'reference_image_url'],
			properties: {
				prompt: { title: 'Prompt', type: 'string' },
				image_url: { title: 'Image', type: 'string', description: 'The image to edit' },
				reference_image_url: { title: 'Reference Image', type: 'string' },
				num_images: {
					title: 'Number of Images',
					type: 'integer',
					minimum: 1,
					maximum: 4,
					default: 1,
				},
			},
		},
		output: 'images',
	},
	{
		model_id: T2V_ID,
		name: 'Kling 2.1 Text to Video',
		description: 'Text to video',
		categories: ['text-to-video'],
		base_price_usd: 0.07,
		price_unit: 'second',
		model_url: page(T2V_ID),
		input_schema: {
			type: 'object',
			required: ['prompt'],
			properties: {
				prompt: { title: 'Prompt', type: 'string' },
				duration: { title: 'Duration (s)', type: 'string', enum: ['5', '10'], default: '5' },
				negative_prompt: { title: 'Negative Prompt', type: ['string', 'null'], default: null },
				camera: { title: 'Camera Control', type: 'object', default: null },
			},
		},
		output: 'video',
	},
	{
		model_id: AUDIO_ID,
		name: 'Stable Audio',
		description: 'Text to audio',
		categories: ['text-to-audio'],
		base_price_usd: 0.02,
		price_unit: 'request',
		model_url: page(AUDIO_ID),
		input_schema: {
			type: 'object',
			required: ['prompt'],
			properties: {
				prompt: { title: 'Prompt', type: 'string' },
				seconds_total: {
					title: 'Length (s)',
					type: 'number',
					minimum: 1,
					maximum: 47,
					default: 10,
				},
				tags: { title: 'Tags', type: 'array', default: [] },
			},
		},
		output: 'audio',
	},
	{
		model_id: NO_SCHEMA_ID,
		name: 'Legacy model',
		description: 'A model whose schema is not published',
		categories: ['text-to-image'],
		base_price_usd: 0.05,
		price_unit: 'gpu_second',
		model_url: page(NO_SCHEMA_ID),
		input_schema: null,
		output: 'image',
	},
	{
		model_id: ODD_TYPES_ID,
		name: 'Odd types',
		description: 'A schema with a type nobody knows',
		categories: ['text-to-image'],
		base_price_usd: 0.01,
		price_unit: 'request',
		model_url: page(ODD_TYPES_ID),
		input_schema: {
			type: 'object',
			required: ['prompt', 'mask'],
			properties: {
				prompt: { title: 'Prompt', type: 'string' },
				mask: { title: 'Mask', type: 'image_ref' },
				strength: { title: 'Strength', type: ['float', 'string'] },
			},
		},
		output: 'image',
	},
];

/** Every catalog model but FusionX, which the emulator validates with its own (stricter) rules. */
export function catalogModel(id: string): CatalogModel | undefined {
	return MODELS.find((model) => model.model_id === id);
}

function publicEntry(model: CatalogModel, withSchema: boolean): Record<string, unknown> {
	const entry: Record<string, unknown> = { ...model };
	delete entry.output;
	if (!withSchema) delete entry.input_schema;
	return entry;
}

/** `GET /v1/models`: `{models, total}` (the wrapper key is a guess the node must tolerate). */
export function listModels(query: Record<string, string>): Record<string, unknown> {
	const search = (query.search ?? '').toLowerCase();
	const category = query.category ?? '';
	const matching = MODELS.filter(
		(model) =>
			(!search || `${model.model_id} ${model.name}`.toLowerCase().includes(search)) &&
			(!category || model.categories.includes(category)),
	);
	const limit = Math.max(1, Math.min(100, Number(query.limit ?? 100) || 100));
	const offset = Math.max(0, Number(query.offset ?? 0) || 0);
	const withSchema = query.include_schema === 'true';
	const models = matching.slice(offset, offset + limit).map((m) => publicEntry(m, withSchema));
	return { models, total: matching.length, limit, offset };
}

export function categories(): string[] {
	return [...new Set(MODELS.flatMap((model) => model.categories))].sort();
}

export function modelDetails(model: CatalogModel): Record<string, unknown> {
	return publicEntry(model, true);
}

export interface Detail {
	loc: string[];
	msg: string;
	type: string;
}

function typeProblem(type: string, value: unknown): string | undefined {
	switch (type) {
		case 'string':
			return typeof value === 'string' ? undefined : 'Input should be a valid string';
		case 'integer':
			return Number.isInteger(value) ? undefined : 'Input should be a valid integer';
		case 'float':
		case 'number':
			return typeof value === 'number' && Number.isFinite(value)
				? undefined
				: 'Input should be a valid number';
		case 'boolean':
			return typeof value === 'boolean' ? undefined : 'Input should be a valid boolean';
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value)
				? undefined
				: 'Input should be a valid dictionary';
		case 'array':
			return Array.isArray(value) ? undefined : 'Input should be a valid list';
		case 'null':
			return value === null ? undefined : 'Input should be None';
		default:
			return undefined; // a type the emulator does not know either: anything goes
	}
}

/** A submit's body checked against the model's schema, pydantic-style. */
export function validateAgainstSchema(
	model: CatalogModel,
	body: Record<string, unknown>,
): Detail[] {
	const schema = model.input_schema as {
		required?: string[];
		properties?: Record<string, Record<string, unknown>>;
	} | null;
	if (!schema?.properties) return [];
	const details: Detail[] = [];
	for (const key of schema.required ?? []) {
		if (!(key in body))
			details.push({ loc: ['body', key], msg: 'Field required', type: 'missing' });
	}
	for (const [key, property] of Object.entries(schema.properties)) {
		if (!(key in body)) continue;
		const value = body[key];
		const types = ([] as unknown[]).concat(property.type ?? []).map(String);
		const problems = types.map((type) => typeProblem(type, value));
		const msg = types.length > 0 && problems.every(Boolean) ? problems[0] : undefined;
		const enumOk = !Array.isArray(property.enum) || property.enum.includes(value) || value === null;
		const n = value as number;
		const range =
			typeof value === 'number'
				? (typeof property.minimum === 'number' && n < property.minimum) ||
					(typeof property.maximum === 'number' && n > property.maximum)
				: false;
		if (msg) details.push({ loc: ['body', key], msg, type: 'type_error' });
		else if (!enumOk)
			details.push({
				loc: ['body', key],
				msg: `Input should be one of ${(property.enum as unknown[]).join(', ')}`,
				type: 'literal_error',
			});
		else if (range) details.push({ loc: ['body', key], msg: 'Input out of range', type: 'range' });
	}
	return details;
}

export const FILE_TYPES: Record<string, string> = {
	mp4: 'video/mp4',
	png: 'image/png',
	mp3: 'audio/mpeg',
};

/** The `output` of a finished job of this model: its files under `/files/`. */
export function outputFor(
	model: CatalogModel,
	base: string,
	jobId: string,
): Record<string, unknown> {
	const file = (suffix: string, ext: string) => `${base}/files/${jobId}${suffix}.${ext}`;
	switch (model.output) {
		case 'image':
			return { image: file('', 'png') };
		case 'images':
			return { images: [file('-0', 'png'), file('-1', 'png')] };
		case 'audio':
			return { audio: file('', 'mp3') };
		default:
			return { video: file('', 'mp4') };
	}
}

/** A small MP3-looking file: an ID3 header, then silence. */
export const TINY_MP3 = Buffer.concat([
	Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1'),
	Buffer.alloc(512),
]);

/** A `data:` URI input: base64, not empty, at most 6 MiB decoded (RunComfy's limit elsewhere). */
export function dataUriProblem(uri: string): string | undefined {
	const comma = uri.indexOf(',');
	if (comma < 0 || !uri.slice(0, comma).toLowerCase().split(';').includes('base64')) {
		return 'data URI must be base64-encoded';
	}
	const payload = uri.slice(comma + 1);
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) return 'data URI is not valid base64';
	const size = Buffer.byteLength(payload, 'base64');
	if (size === 0) return 'data URI is empty';
	return size > 6 * 1024 * 1024 ? 'data URI is larger than 6 MiB' : undefined;
}
