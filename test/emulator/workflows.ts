/**
 * The Serverless emulator's seeded workflows and deployments: stable ids tests import, the graphs
 * (`workflow_api_json`), the inputs each deployment exposes (`overrides`), the LoRA deployment's
 * flat schema, and what a finished job outputs.
 */

export type WorkflowNode = {
	class_type: string;
	inputs: Record<string, unknown>;
	_meta?: { title: string };
};
export type Workflow = Record<string, WorkflowNode>;
export type Overrides = Record<string, { inputs: Record<string, unknown> }>;

export const DEPLOYMENT_T2I = 'a1b2c3d4-0001-4000-8000-000000000001';
export const DEPLOYMENT_VIDEO = 'a1b2c3d4-0002-4000-8000-000000000002';
export const DEPLOYMENT_LORA = 'a1b2c3d4-0003-4000-8000-000000000003';
export const DEPLOYMENT_DISABLED = 'a1b2c3d4-0004-4000-8000-000000000004';
export const DEPLOYMENT_FOREIGN = 'a1b2c3d4-0005-4000-8000-000000000005';

export const WORKFLOW_T2I = 'f0e1d2c3-0001-4000-8000-00000000000a';
export const WORKFLOW_VIDEO = 'f0e1d2c3-0002-4000-8000-00000000000b';
export const WORKFLOW_LORA = 'f0e1d2c3-0003-4000-8000-00000000000c';

/** Node ids of the text-to-image workflow. */
export const T2I_NODES = {
	sampler: '3',
	checkpoint: '4',
	latent: '5',
	positive: '6',
	negative: '7',
	decode: '8',
	save: '9',
} as const;

/** Node ids of the video workflow ('38:42' is a composite id, as group nodes produce). */
export const VIDEO_NODES = {
	checkpoint: '1',
	loadImage: '10',
	prompt: '11',
	negative: '12',
	imageToVideo: '13',
	sampler: '14',
	decode: '15',
	video: '38:42',
	frames: '60',
	showText: '70',
	caption: '71',
	saveText: '80',
} as const;

const link = (node: string, slot = 0): [string, number] => [node, slot];
const n = (class_type: string, inputs: Record<string, unknown>, title?: string): WorkflowNode =>
	title ? { class_type, inputs, _meta: { title } } : { class_type, inputs };

export function textToImageWorkflow(): Workflow {
	return {
		'3': n(
			'KSampler',
			{
				seed: 156680208700286,
				steps: 20,
				cfg: 8,
				sampler_name: 'euler',
				scheduler: 'normal',
				denoise: 1,
				model: link('4'),
				positive: link('6'),
				negative: link('7'),
				latent_image: link('5'),
			},
			'KSampler',
		),
		'4': n(
			'CheckpointLoaderSimple',
			{ ckpt_name: 'sd_xl_base_1.0.safetensors' },
			'Load Checkpoint',
		),
		'5': n('EmptyLatentImage', { width: 1024, height: 1024, batch_size: 1 }, 'Empty Latent Image'),
		'6': n('CLIPTextEncode', { text: 'a photo of a cat', clip: link('4', 1) }, 'Positive Prompt'),
		'7': n(
			'CLIPTextEncode',
			{ text: 'blurry, low quality', clip: link('4', 1) },
			'Negative Prompt',
		),
		'8': n('VAEDecode', { samples: link('3'), vae: link('4', 2) }, 'VAE Decode'),
		'9': n('SaveImage', { filename_prefix: 'ComfyUI', images: link('8') }, 'Save Image'),
	};
}

export function textToImageOverrides(): Overrides {
	return {
		'6': { inputs: { text: 'a photo of a cat' } },
		'3': { inputs: { seed: 156680208700286, steps: 20 } },
		'5': { inputs: { width: 1024, height: 1024 } },
	};
}

export function videoWorkflow(): Workflow {
	return {
		'1': n('CheckpointLoaderSimple', { ckpt_name: 'wan2.1_i2v_fusionx_fp8.safetensors' }),
		'10': n('LoadImage', { image: 'example.png' }, 'Start Frame'),
		'11': n(
			'CLIPTextEncode',
			{ text: 'The camera slowly pushes in', clip: link('1', 1) },
			'Prompt',
		),
		'12': n('CLIPTextEncode', { text: 'static, blurry', clip: link('1', 1) }, 'Negative Prompt'),
		'13': n('WanImageToVideo', {
			width: 720,
			height: 480,
			length: 81,
			batch_size: 1,
			positive: link('11'),
			negative: link('12'),
			vae: link('1', 2),
			start_image: link('10'),
		}),
		'14': n('KSampler', {
			seed: 42,
			steps: 10,
			cfg: 1,
			sampler_name: 'euler',
			scheduler: 'simple',
			denoise: 1,
			model: link('1'),
			positive: link('13'),
			negative: link('13', 1),
			latent_image: link('13', 2),
		}),
		'15': n('VAEDecode', { samples: link('14'), vae: link('1', 2) }),
		'38:42': n(
			'VHS_VideoCombine',
			{
				frame_rate: 16,
				loop_count: 0,
				filename_prefix: 'FusionX',
				format: 'video/h264-mp4',
				pingpong: false,
				save_output: true,
				images: link('15'),
			},
			'Video Combine',
		),
		'60': n('SaveImageAndZip', { filename_prefix: 'frames', images: link('15') }, 'Frames'),
		'70': n('ShowText|pysssss', { text: link('71') }, 'Caption'),
		'71': n('PrimitiveStringMultiline', { value: 'a caption' }, 'Caption Text'),
		'80': n('SaveText', { text: link('71'), filename_prefix: 'caption' }, 'Save Caption'),
	};
}

export function videoOverrides(): Overrides {
	return {
		'10': { inputs: { image: 'example.png' } },
		'11': { inputs: { text: 'The camera slowly pushes in' } },
		'13': { inputs: { width: 720, height: 480, length: 81 } },
		'14': { inputs: { seed: 42 } },
		'38:42': { inputs: { pingpong: false, frame_rate: 16 } },
		'71': { inputs: { value: 'a caption' } },
	};
}

/** The LoRA deployment's flat body: key → type (and range). Only `prompt` is required. */
export interface LoraField {
	type: 'string' | 'integer' | 'float' | 'media';
	required?: boolean;
	min?: number;
	max?: number;
}
export const LORA_FIELDS: Record<string, LoraField> = {
	prompt: { type: 'string', required: true },
	width: { type: 'integer', min: 256, max: 2048 },
	height: { type: 'integer', min: 256, max: 2048 },
	guidance_scale: { type: 'float', min: 0, max: 20 },
	num_inference_steps: { type: 'integer', min: 1, max: 50 },
	seed: { type: 'integer', min: 0, max: 4294967295 },
	ctrl_img_1: { type: 'media' },
	ctrl_img_2: { type: 'media' },
};

/** Known workflows (by workflow_id) a deployment may be created from. */
export const WORKFLOWS: Record<string, { workflow: () => Workflow; overrides: () => Overrides }> = {
	[WORKFLOW_T2I]: { workflow: textToImageWorkflow, overrides: textToImageOverrides },
	[WORKFLOW_VIDEO]: { workflow: videoWorkflow, overrides: videoOverrides },
};

// ---- outputs --------------------------------------------------------------------------------

export interface OutputFile {
	filename: string;
	subfolder: string;
	type: string;
	url: string;
	[extra: string]: unknown;
}

/** Builds a job's outputs per output node; `file` names each file (unique per job) and gives its
 * URL. Non-output nodes are skipped; text channels hold values that are not files. */
export function outputsOf(
	workflow: Workflow,
	file: (stem: string, ext: string) => OutputFile,
): Record<string, Record<string, unknown[]>> {
	const outputs: Record<string, Record<string, unknown[]>> = {};
	for (const [id, node] of Object.entries(workflow)) {
		const prefix =
			typeof node.inputs.filename_prefix === 'string' ? node.inputs.filename_prefix : '';
		const made = channelsOf(node, prefix, file);
		if (made) outputs[id] = made;
	}
	return outputs;
}

function channelsOf(
	node: WorkflowNode,
	prefix: string,
	file: (stem: string, ext: string) => OutputFile,
): Record<string, unknown[]> | undefined {
	switch (node.class_type) {
		case 'SaveImage':
			return { images: [file(prefix || 'ComfyUI', 'png')] };
		case 'PreviewImage':
			return { images: [{ ...file('ComfyUI_temp', 'png'), type: 'temp' }] };
		case 'VHS_VideoCombine': {
			const video = file(prefix || 'AnimateDiff', 'mp4');
			const rate = typeof node.inputs.frame_rate === 'number' ? node.inputs.frame_rate : 8;
			return { gifs: [{ ...video, format: 'video/h264-mp4', frame_rate: rate }] };
		}
		case 'SaveImageAndZip':
			return { images: [file(prefix || 'frames', 'png'), file(prefix || 'frames', 'zip')] };
		case 'ShowText|pysssss':
			return { text: [['a caption']], string: ['a cat', 'by a window'] };
		case 'SaveText':
			return { files: [file(prefix || 'text', 'txt')] };
		default:
			return undefined;
	}
}

// ---- seeded deployments ---------------------------------------------------------------------

export type Hardware =
	| 'TURING_16'
	| 'AMPERE_24'
	| 'AMPERE_48'
	| 'ADA_48_PLUS'
	| 'AMPERE_80'
	| 'ADA_80_PLUS'
	| 'HOPPER_141';
export const HARDWARE: Hardware[] = [
	'TURING_16',
	'AMPERE_24',
	'AMPERE_48',
	'ADA_48_PLUS',
	'AMPERE_80',
	'ADA_80_PLUS',
	'HOPPER_141',
];

export interface DeploymentSeed {
	id: string;
	name: string;
	workflow_id: string;
	workflow_version: string;
	hardware: Hardware[];
	min_instances: number;
	max_instances: number;
	queue_size: number;
	keep_warm_duration_in_seconds: number;
	is_enabled: boolean;
	/** 'other': belongs to another account (403003 to the emulator's token). */
	owner: 'self' | 'other';
	kind: 'comfy' | 'lora';
	readme: string;
}

const base = {
	workflow_version: 'v1',
	hardware: ['AMPERE_48'] as Hardware[],
	min_instances: 0,
	max_instances: 2,
	queue_size: 10,
	keep_warm_duration_in_seconds: 60,
	is_enabled: true,
	owner: 'self' as const,
	kind: 'comfy' as const,
};

export const SEEDED_DEPLOYMENTS: DeploymentSeed[] = [
	{
		...base,
		id: DEPLOYMENT_T2I,
		name: 'SDXL Text to Image',
		workflow_id: WORKFLOW_T2I,
		readme:
			'# SDXL Text to Image\n\nOverride `6.text` (prompt), `3.seed`, `3.steps`, `5.width`/`5.height`.',
	},
	{
		...base,
		id: DEPLOYMENT_VIDEO,
		name: 'Wan FusionX Image to Video',
		workflow_id: WORKFLOW_VIDEO,
		hardware: ['ADA_80_PLUS'],
		keep_warm_duration_in_seconds: 120,
		readme: '# Image to Video\n\nSet `10.image` to a URL or data URI; the video is in `38:42`.',
	},
	{
		...base,
		id: DEPLOYMENT_LORA,
		name: 'My Flux LoRA',
		workflow_id: WORKFLOW_LORA,
		min_instances: 1,
		kind: 'lora',
		readme:
			'# My Flux LoRA\n\nFlat body: `prompt`, `width`, `height`, `guidance_scale`, `ctrl_img_1`.',
	},
	{
		...base,
		id: DEPLOYMENT_DISABLED,
		name: 'Paused Text to Image',
		workflow_id: WORKFLOW_T2I,
		is_enabled: false,
		readme: '# Paused',
	},
	{
		...base,
		id: DEPLOYMENT_FOREIGN,
		name: 'Someone Else’s Deployment',
		workflow_id: WORKFLOW_T2I,
		owner: 'other',
		readme: '# Not yours',
	},
];
