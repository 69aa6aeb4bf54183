/** The emulator's catalog: seven models of different kinds, with their schemas and prices. */

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
