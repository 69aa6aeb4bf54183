/**
 * ComfyUI node definitions (`/object_info` format) of every class_type the seeded workflows use.
 * Big limits are `bigint` so that the served text carries them as exact digits
 * (18446744073709551615), written by `stringifyLossless`.
 */
import { stringifyLossless } from './lossless';

/** `[type]`, `[type, options]` or `[[choice, …], options]` (a bare-list COMBO). */
export type InputSpec = [unknown] | [unknown, Record<string, unknown>];

export interface NodeDef {
	input: { required: Record<string, InputSpec>; optional?: Record<string, InputSpec> };
	input_order: { required: string[]; optional?: string[] };
	output: string[];
	output_is_list: boolean[];
	output_name: string[];
	name: string;
	display_name: string;
	description: string;
	python_module: string;
	category: string;
	output_node: boolean;
}

export const SEED_MAX = 18446744073709551615n;

function def(
	name: string,
	category: string,
	required: Record<string, InputSpec>,
	outputs: string[],
	extra: { optional?: Record<string, InputSpec>; outputNode?: boolean; display?: string } = {},
): NodeDef {
	const input: NodeDef['input'] = { required };
	const order: NodeDef['input_order'] = { required: Object.keys(required) };
	if (extra.optional) {
		input.optional = extra.optional;
		order.optional = Object.keys(extra.optional);
	}
	return {
		input,
		input_order: order,
		output: outputs,
		output_is_list: outputs.map(() => false),
		output_name: outputs,
		name,
		display_name: extra.display ?? name,
		description: '',
		python_module: name.includes('|') || name.startsWith('VHS') ? 'custom_nodes' : 'nodes',
		category,
		output_node: extra.outputNode ?? false,
	};
}

const CHECKPOINTS = [
	'sd_xl_base_1.0.safetensors',
	'flux1-dev-fp8.safetensors',
	'wan2.1_i2v_fusionx_fp8.safetensors',
];
export const SAMPLERS = ['euler', 'euler_ancestral', 'dpmpp_2m', 'dpmpp_2m_sde', 'uni_pc'];
export const SCHEDULERS = ['normal', 'karras', 'exponential', 'simple', 'beta'];
export const VIDEO_FORMATS = ['image/gif', 'image/webp', 'video/h264-mp4', 'video/webm'];

const int = (d: number, min: number, max: number | bigint, step = 1) =>
	['INT', { default: d, min, max, step }] as InputSpec;
const float = (d: number, min: number, max: number, step: number) =>
	['FLOAT', { default: d, min, max, step, round: 0.01 }] as InputSpec;

export const NODE_DEFS: Record<string, NodeDef> = {
	CheckpointLoaderSimple: def(
		'CheckpointLoaderSimple',
		'loaders',
		{ ckpt_name: [CHECKPOINTS, { tooltip: 'The checkpoint to load.' }] },
		['MODEL', 'CLIP', 'VAE'],
		{ display: 'Load Checkpoint' },
	),
	CLIPTextEncode: def(
		'CLIPTextEncode',
		'conditioning',
		{ text: ['STRING', { multiline: true, dynamicPrompts: true }], clip: ['CLIP'] },
		['CONDITIONING'],
		{ display: 'CLIP Text Encode (Prompt)' },
	),
	EmptyLatentImage: def(
		'EmptyLatentImage',
		'latent',
		{ width: int(512, 16, 16384, 8), height: int(512, 16, 16384, 8), batch_size: int(1, 1, 4096) },
		['LATENT'],
		{ display: 'Empty Latent Image' },
	),
	KSampler: def(
		'KSampler',
		'sampling',
		{
			model: ['MODEL'],
			seed: ['INT', { default: 0, min: 0, max: SEED_MAX, control_after_generate: true }],
			steps: int(20, 1, 10000),
			cfg: float(8, 0, 100, 0.1),
			sampler_name: [SAMPLERS, {}],
			scheduler: ['COMBO', { options: SCHEDULERS }],
			positive: ['CONDITIONING'],
			negative: ['CONDITIONING'],
			latent_image: ['LATENT'],
			denoise: float(1, 0, 1, 0.01),
		},
		['LATENT'],
	),
	VAEDecode: def('VAEDecode', 'latent', { samples: ['LATENT'], vae: ['VAE'] }, ['IMAGE'], {
		display: 'VAE Decode',
	}),
	SaveImage: def(
		'SaveImage',
		'image',
		{ images: ['IMAGE'], filename_prefix: ['STRING', { default: 'ComfyUI' }] },
		[],
		{ outputNode: true, display: 'Save Image' },
	),
	LoadImage: def(
		'LoadImage',
		'image',
		{ image: [['example.png', 'start.png'], { image_upload: true }] },
		['IMAGE', 'MASK'],
		{ display: 'Load Image' },
	),
	WanImageToVideo: def(
		'WanImageToVideo',
		'conditioning/video_models',
		{
			positive: ['CONDITIONING'],
			negative: ['CONDITIONING'],
			vae: ['VAE'],
			width: int(832, 16, 16384, 16),
			height: int(480, 16, 16384, 16),
			length: int(81, 1, 16384, 4),
			batch_size: int(1, 1, 4096),
		},
		['CONDITIONING', 'CONDITIONING', 'LATENT'],
		{ optional: { clip_vision_output: ['CLIP_VISION_OUTPUT'], start_image: ['IMAGE'] } },
	),
	VHS_VideoCombine: def(
		'VHS_VideoCombine',
		'Video Helper Suite 🎥🅥🅗🅢',
		{
			images: ['IMAGE'],
			frame_rate: float(8, 1, 120, 1),
			loop_count: int(0, 0, 100),
			filename_prefix: ['STRING', { default: 'AnimateDiff' }],
			format: [VIDEO_FORMATS, {}],
			pingpong: ['BOOLEAN', { default: false }],
			save_output: ['BOOLEAN', { default: true }],
		},
		['VHS_FILENAMES'],
		{ optional: { audio: ['AUDIO'] }, outputNode: true, display: 'Video Combine 🎥🅥🅗🅢' },
	),
	SaveImageAndZip: def(
		'SaveImageAndZip',
		'image',
		{ images: ['IMAGE'], filename_prefix: ['STRING', { default: 'frames' }] },
		[],
		{ outputNode: true, display: 'Save Frames (PNG + ZIP)' },
	),
	PrimitiveStringMultiline: def(
		'PrimitiveStringMultiline',
		'utils/primitive',
		{ value: ['STRING', { multiline: true }] },
		['STRING'],
		{ display: 'String (Multiline)' },
	),
	'ShowText|pysssss': def(
		'ShowText|pysssss',
		'utils',
		{ text: ['STRING', { forceInput: true }] },
		['STRING'],
		{ outputNode: true, display: 'Show Text 🐍' },
	),
	SaveText: def(
		'SaveText',
		'utils',
		{ text: ['STRING', { forceInput: true }], filename_prefix: ['STRING', { default: 'text' }] },
		[],
		{ outputNode: true, display: 'Save Text File' },
	),
};
NODE_DEFS['ShowText|pysssss'].output_is_list = [true];

/** The object_info text for a workflow: exactly the class_types it uses, big limits as digits. */
export function objectInfoText(workflow: Record<string, { class_type?: unknown }>): string {
	const used = [...new Set(Object.values(workflow).map((node) => String(node.class_type)))];
	const picked = Object.fromEntries(
		used.filter((name) => name in NODE_DEFS).map((name) => [name, NODE_DEFS[name]]),
	);
	return stringifyLossless(picked);
}

/** An input's spec for a class_type (required or optional), if the definitions know it. */
export function inputSpec(classType: string, input: string): InputSpec | undefined {
	const node = NODE_DEFS[classType];
	return node?.input.required[input] ?? node?.input.optional?.[input];
}
