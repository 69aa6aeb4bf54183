/**
 * A deployment's inputs from its payload and object_info, their resource-mapper fields, and the
 * overrides built from the user's values (Additional Overrides included).
 */
import { parseExactJson } from '../../nodes/shared/workflow/exactJson';
import { ExactInteger } from '../../nodes/shared/workflow/exactInteger';
import type { WorkflowInput } from '../../nodes/shared/workflow/inputs';
import {
	listWorkflowInputs,
	readDeployment,
	workflowInputs,
} from '../../nodes/shared/workflow/inputs';
import { jsonText } from '../../nodes/shared/workflow/jsonText';
import { LABEL_MAX } from '../../nodes/shared/workflow/label';
import { toWorkflowField, toWorkflowFields } from '../../nodes/shared/workflow/mapperFields';
import { buildOverrides } from '../../nodes/shared/workflow/overrides';
import {
	mergeAdditionalOverrides,
	parseAdditionalOverrides,
} from '../../nodes/shared/workflow/additionalOverrides';

// Text to image: ComfyUI's default workflow, as RunComfy's payload holds it. Integers past 2^53
// are written raw (JSON.parse would round them): the HTTP layer reads these with parseExactJson.
const T2I_WORKFLOW = `{
 "3": {"inputs": {"seed": 156680208700286, "steps": 20, "cfg": 8, "sampler_name": "euler",
   "scheduler": "normal", "denoise": 1, "model": ["4", 0], "positive": ["6", 0],
   "negative": ["7", 0], "latent_image": ["5", 0]}, "class_type": "KSampler", "_meta": {"title": "KSampler"}},
 "4": {"inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}, "class_type": "CheckpointLoaderSimple",
   "_meta": {"title": "Load Checkpoint"}},
 "5": {"inputs": {"width": 512, "height": 512, "batch_size": 1}, "class_type": "EmptyLatentImage",
   "_meta": {"title": "Empty Latent Image"}},
 "6": {"inputs": {"text": "beautiful scenery nature glass bottle landscape", "clip": ["4", 1]},
   "class_type": "CLIPTextEncode", "_meta": {"title": "Positive Prompt"}},
 "7": {"inputs": {"text": "text, watermark", "clip": ["4", 1]}, "class_type": "CLIPTextEncode",
   "_meta": {"title": "Negative Prompt"}},
 "8": {"inputs": {"samples": ["3", 0], "vae": ["4", 2]}, "class_type": "VAEDecode", "_meta": {"title": "VAE Decode"}},
 "9": {"inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}, "class_type": "SaveImage",
   "_meta": {"title": "Save Image"}}
}`;

const T2I_OVERRIDES = {
	'6': { inputs: { text: 'a red fox' } },
	'3': { inputs: { seed: 42, steps: 20 } },
};

const T2I_OBJECT_INFO = `{
 "KSampler": {"input": {"required": {
   "model": ["MODEL", {"tooltip": "The model used for denoising the input latent."}],
   "seed": ["INT", {"default": 0, "min": 0, "max": 18446744073709551615, "control_after_generate": true}],
   "steps": ["INT", {"default": 20, "min": 1, "max": 10000}],
   "cfg": ["FLOAT", {"default": 8.0, "min": 0.0, "max": 100.0, "step": 0.1, "round": 0.01}],
   "sampler_name": [["euler", "euler_ancestral", "dpmpp_2m", "dpmpp_2m_sde"], {}],
   "scheduler": [["normal", "karras", "exponential"], {}],
   "positive": ["CONDITIONING"], "negative": ["CONDITIONING"], "latent_image": ["LATENT"],
   "denoise": ["FLOAT", {"default": 1.0, "min": 0.0, "max": 1.0, "step": 0.01}]}},
   "display_name": "KSampler", "category": "sampling"},
 "CheckpointLoaderSimple": {"input": {"required": {"ckpt_name": [["v1-5-pruned-emaonly.safetensors",
   "sd_xl_base_1.0.safetensors"]]}}, "display_name": "Load Checkpoint"},
 "EmptyLatentImage": {"input": {"required": {
   "width": ["INT", {"default": 512, "min": 16, "max": 16384, "step": 8}],
   "height": ["INT", {"default": 512, "min": 16, "max": 16384, "step": 8}],
   "batch_size": ["INT", {"default": 1, "min": 1, "max": 4096}]}}, "display_name": "Empty Latent Image"},
 "CLIPTextEncode": {"input": {"required": {"text": ["STRING", {"multiline": true, "dynamicPrompts": true}],
   "clip": ["CLIP"]}}, "display_name": "CLIP Text Encode (Prompt)"},
 "VAEDecode": {"input": {"required": {"samples": ["LATENT"], "vae": ["VAE"]}}, "display_name": "VAE Decode"},
 "SaveImage": {"input": {"required": {"images": ["IMAGE"], "filename_prefix": ["STRING", {"default": "ComfyUI"}]},
   "hidden": {"prompt": "PROMPT"}}, "display_name": "Save Image", "output_node": true}
}`;

// Image to video: a start frame to upload, a subgraph's composite node ids, two output nodes
// (VHS's Video Combine and SaveVideo with the newer COMBO form), a text node, a custom node
// object_info does not know.
const VIDEO_WORKFLOW = `{
 "12": {"class_type": "LoadImage", "inputs": {"image": "start_frame.png"}, "_meta": {"title": "Start Frame"}},
 "38:39": {"class_type": "CLIPLoader", "inputs": {"clip_name": "umt5_xxl_fp8.safetensors", "type": "wan"}},
 "38:40": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat surfing a wave", "clip": ["38:39", 0]},
   "_meta": {"title": "Prompt"}},
 "38:41": {"class_type": "VAELoader", "inputs": {"vae_name": "wan_2.1_vae.safetensors"}},
 "38:42": {"class_type": "WanImageToVideo", "inputs": {"width": 832, "height": 480, "length": 81, "batch_size": 1,
   "positive": ["38:40", 0], "vae": ["38:41", 0], "start_image": ["12", 0]}},
 "50": {"class_type": "VHS_VideoCombine", "inputs": {"frame_rate": 16, "loop_count": 0, "filename_prefix": "wan",
   "format": "video/h264-mp4", "pingpong": false, "save_output": true, "images": ["38:42", 0]},
   "_meta": {"title": "Video Combine"}},
 "51": {"class_type": "SaveVideo", "inputs": {"filename_prefix": "video/wan", "format": "auto", "codec": "auto",
   "video": ["38:42", 1]}},
 "60": {"class_type": "ShowText|pysssss", "inputs": {"text": ["38:40", 0]}, "_meta": {"title": "Caption"}},
 "61": {"class_type": "MysteryNode", "inputs": {"strength": 0.75, "enabled": true,
   "big": 18446744073709551615, "tags": ["a", "b", "c"], "image": ["12", 0]}}
}`;

const VIDEO_OVERRIDES = {
	'12': { inputs: { image: 'https://example.com/start.png' } },
	'38:40': { inputs: { text: 'a cat surfing a wave' } },
	'50': { inputs: { frame_rate: 16 } },
};

const VIDEO_OBJECT_INFO = `{
 "LoadImage": {"input": {"required": {"image": [["example.png", "start_frame.png"], {"image_upload": true}]}},
   "display_name": "Load Image"},
 "CLIPLoader": {"input": {"required": {"clip_name": [["umt5_xxl_fp8.safetensors"]],
   "type": [["stable_diffusion", "wan", "flux"]]}, "optional": {"device": [["default", "cpu"], {"advanced": true}]}},
   "display_name": "Load CLIP"},
 "CLIPTextEncode": {"input": {"required": {"text": ["STRING", {"multiline": true}], "clip": ["CLIP"]}},
   "display_name": "CLIP Text Encode (Prompt)"},
 "VAELoader": {"input": {"required": {"vae_name": [["wan_2.1_vae.safetensors"]]}}, "display_name": "Load VAE"},
 "WanImageToVideo": {"input": {"required": {"positive": ["CONDITIONING"], "vae": ["VAE"],
   "width": ["INT", {"default": 832, "min": 16, "max": 16384, "step": 16}],
   "height": ["INT", {"default": 480, "min": 16, "max": 16384, "step": 16}],
   "length": ["INT", {"default": 81, "min": 1, "max": 16384, "step": 4}],
   "batch_size": ["INT", {"default": 1, "min": 1, "max": 4096}]},
   "optional": {"clip_vision_output": ["CLIP_VISION_OUTPUT"], "start_image": ["IMAGE"]}},
   "display_name": "Wan Image to Video"},
 "VHS_VideoCombine": {"input": {"required": {"images": ["IMAGE"],
   "frame_rate": ["FLOAT", {"default": 8, "min": 1, "step": 1}],
   "loop_count": ["INT", {"default": 0, "min": 0, "max": 100, "step": 1}],
   "filename_prefix": ["STRING", {"default": "AnimateDiff"}],
   "format": [["image/gif", "image/webp", "video/h264-mp4"]],
   "pingpong": ["BOOLEAN", {"default": false}], "save_output": ["BOOLEAN", {"default": true}]}},
   "display_name": "Video Combine 🎥🅥🅗🅢"},
 "SaveVideo": {"input": {"required": {"video": ["VIDEO"], "filename_prefix": ["STRING", {"default": "video/ComfyUI"}],
   "format": ["COMBO", {"options": ["auto", "mp4"], "default": "auto"}],
   "codec": ["COMBO", {"options": ["auto", "h264"], "default": "auto"}]}}, "display_name": "Save Video"},
 "ShowText|pysssss": {"input": {"required": {"text": ["STRING", {"forceInput": true}]}}, "display_name": "Show Text 🐍"}
}`;

const t2iPayload = () => ({
	workflow_api_json: parseExactJson(T2I_WORKFLOW),
	overrides: T2I_OVERRIDES,
	object_info_url: 'https://example.com/object_info.json',
});
const videoPayload = () => ({
	workflow_api_json: parseExactJson(VIDEO_WORKFLOW),
	overrides: VIDEO_OVERRIDES,
});
const t2iInfo = () => parseExactJson(T2I_OBJECT_INFO);
const videoInfo = () => parseExactJson(VIDEO_OBJECT_INFO);

const ids = (inputs: WorkflowInput[]) => inputs.map((input) => input.id);
const byId = (inputs: WorkflowInput[], id: string) => {
	const found = inputs.find((input) => input.id === id);
	if (!found) throw new Error(`no input ${id}`);
	return found;
};

describe('exposed and all inputs', () => {
	test('exposed: one per override input, in node id order, the override values as defaults', () => {
		const { inputs, typesGuessed, objectInfoMissing } = listWorkflowInputs(
			t2iPayload(),
			t2iInfo(),
			'exposed',
		);
		expect(ids(inputs)).toEqual(['3.seed', '3.steps', '6.text']);
		expect(inputs.every((input) => input.exposed && input.described)).toBe(true);
		expect(byId(inputs, '3.seed').spec.default).toBe(42);
		expect(byId(inputs, '6.text').spec.default).toBe('a red fox');
		expect([typesGuessed, objectInfoMissing]).toEqual([false, false]);
	});

	test('all: the exposed ones first, then every literal input by node id; links never', () => {
		const { inputs } = listWorkflowInputs(t2iPayload(), t2iInfo(), 'all');
		expect(ids(inputs)).toEqual([
			'3.seed',
			'3.steps',
			'6.text',
			'3.cfg',
			'3.sampler_name',
			'3.scheduler',
			'3.denoise',
			'4.ckpt_name',
			'5.width',
			'5.height',
			'5.batch_size',
			'7.text',
			'9.filename_prefix',
		]);
		expect(byId(inputs, '3.cfg')).toMatchObject({ exposed: false, spec: { default: 8 } });
		// The workflow's value, not object_info's default, is what the deployment runs with.
		expect(byId(inputs, '7.text').spec.default).toBe('text, watermark');
	});

	test('composite node ids sort part by part; link-only nodes offer nothing', () => {
		const { inputs } = listWorkflowInputs(videoPayload(), videoInfo(), 'all');
		expect(ids(inputs)).toEqual([
			'12.image',
			'38:40.text',
			'50.frame_rate',
			'38:39.clip_name',
			'38:39.type',
			'38:41.vae_name',
			'38:42.width',
			'38:42.height',
			'38:42.length',
			'38:42.batch_size',
			'50.loop_count',
			'50.filename_prefix',
			'50.format',
			'50.pingpong',
			'50.save_output',
			'51.filename_prefix',
			'51.format',
			'51.codec',
			'61.strength',
			'61.enabled',
			'61.big',
			'61.tags',
		]);
	});

	test('an override that is a link, or overrides a link, is not offered', () => {
		const payload = {
			...t2iPayload(),
			overrides: { '3': { inputs: { model: ['4', 0], seed: 1 } }, '6': { inputs: { clip: 'x' } } },
		};
		expect(ids(listWorkflowInputs(payload, t2iInfo(), 'exposed').inputs)).toEqual(['3.seed']);
	});

	test('an exposed input the workflow lacks is still offered, its type guessed', () => {
		const payload = { ...t2iPayload(), overrides: { '99': { inputs: { text: 'hi' } } } };
		const [input] = listWorkflowInputs(payload, t2iInfo(), 'exposed').inputs;
		expect(input).toMatchObject({
			id: '99.text',
			classType: '',
			nodeTitle: 'Unknown node',
			described: false,
			spec: { kind: 'string' },
		});
	});

	test('a payload given as JSON text, and a flat overrides entry, are read too', () => {
		const payload = {
			workflow_api_json: T2I_WORKFLOW,
			overrides: JSON.stringify({ '6': { text: 'flat' } }),
		};
		const [input] = listWorkflowInputs(payload, T2I_OBJECT_INFO, 'exposed').inputs;
		expect(input).toMatchObject({ id: '6.text', spec: { default: 'flat' }, described: true });
	});

	test.each([
		[undefined, /payload is missing/],
		['not json', /payload is missing/],
		[{}, /neither a readable workflow_api_json nor overrides/],
		[{ workflow_api_json: [1, 2], overrides: 5 }, /neither/],
	])('payload %p: no inputs, a problem that says why', (payload, problem) => {
		const list = listWorkflowInputs(payload, undefined, 'all');
		expect(list.inputs).toEqual([]);
		expect(list.problem).toMatch(problem);
	});

	test('overrides only (no workflow): the exposed inputs, nothing more in all', () => {
		const deployment = readDeployment({ overrides: T2I_OVERRIDES }, t2iInfo());
		expect(deployment.problem).toBeUndefined();
		expect(ids(workflowInputs(deployment, 'all').inputs)).toEqual(['3.seed', '3.steps', '6.text']);
	});
});

describe('titles and labels', () => {
	test('the title is _meta.title, else object_info display_name, else the class', () => {
		const { inputs } = listWorkflowInputs(videoPayload(), videoInfo(), 'all');
		expect(byId(inputs, '12.image').nodeTitle).toBe('Start Frame');
		expect(byId(inputs, '38:42.width').nodeTitle).toBe('Wan Image to Video');
		expect(byId(inputs, '61.strength').nodeTitle).toBe('MysteryNode');
		expect(byId(inputs, '38:42.width').classType).toBe('WanImageToVideo');
		expect(byId(inputs, '61.strength').spec.title).toBe('MysteryNode › strength (node 61)');
	});

	test('labels name node title, input and node id, with the hint that fits', () => {
		const { inputs } = listWorkflowInputs(t2iPayload(), t2iInfo(), 'all');
		const label = (id: string) => byId(inputs, id).displayName;
		expect(label('6.text')).toBe('Positive Prompt › text (node 6)');
		expect(label('3.seed')).toBe('KSampler › seed (node 3) (whole number)');
		expect(label('3.cfg')).toBe('KSampler › cfg (node 3) (0–100)');
		expect(label('3.denoise')).toBe('KSampler › denoise (node 3) (0–1)');
		// The catalog's note: a whole number's range says enough.
		expect(label('3.steps')).toBe('KSampler › steps (node 3) (1–10000)');
		expect(label('5.width')).toBe('Empty Latent Image › width (node 5)');
	});

	test('every label fits n8n’s mapper uncut; a long title gives way to input and node id', () => {
		const payload = t2iPayload();
		(payload.workflow_api_json as Record<string, { _meta: { title: string } }>)['6']._meta.title =
			'The positive prompt of the first sampler pass';
		const all = [
			...listWorkflowInputs(payload, t2iInfo(), 'all').inputs,
			...listWorkflowInputs(videoPayload(), videoInfo(), 'all').inputs,
		];
		for (const input of all) expect([...input.displayName].length).toBeLessThanOrEqual(LABEL_MAX);
		expect(byId(all, '6.text').displayName).toBe('The positive prompt of … › text (node 6)');
		// Messages keep the whole name.
		expect(byId(all, '6.text').spec.title).toBe(
			'The positive prompt of the first sampler pass › text (node 6)',
		);
	});

	test('the whole hint is kept apart: range, step, default', () => {
		const { inputs } = listWorkflowInputs(t2iPayload(), t2iInfo(), 'all');
		const hint = (id: string) => byId(inputs, id).hint;
		expect(hint('3.seed')).toBe('whole number 0–18446744073709551615, default 42');
		expect(hint('3.cfg')).toBe('0–100, step 0.1, default 8');
		expect(hint('5.width')).toBe('whole number 16–16384, step 8, default 512');
		expect(hint('6.text')).toBe('multi-line text, default "a red fox"');
		expect(hint('3.sampler_name')).toBe(
			'one of "euler", "euler_ancestral", "dpmpp_2m", "dpmpp_2m_sde", default "euler"',
		);
		const video = listWorkflowInputs(videoPayload(), videoInfo(), 'all').inputs;
		expect(byId(video, '12.image').hint).toBe('image: an http(s) URL or a data: URI');
		expect(byId(video, '50.pingpong').hint).toBe('true or false, default false');
	});
});

describe('types from object_info', () => {
	const t2i = () => listWorkflowInputs(t2iPayload(), t2iInfo(), 'all').inputs;
	const video = () => listWorkflowInputs(videoPayload(), videoInfo(), 'all').inputs;

	test('INT, FLOAT with step, options (a bare list), STRING multiline', () => {
		const inputs = t2i();
		expect(byId(inputs, '3.steps').spec).toMatchObject({
			kind: 'integer',
			min: 1,
			max: 10000,
			comfyType: 'INT',
		});
		expect(byId(inputs, '3.cfg').spec).toMatchObject({
			kind: 'number',
			min: 0,
			max: 100,
			step: 0.1,
		});
		expect(byId(inputs, '3.sampler_name').spec).toMatchObject({
			kind: 'options',
			options: ['euler', 'euler_ancestral', 'dpmpp_2m', 'dpmpp_2m_sde'],
			comfyType: 'COMBO',
		});
		expect(byId(inputs, '6.text').spec).toMatchObject({ kind: 'string', multiline: true });
		expect(byId(inputs, '9.filename_prefix').spec).toMatchObject({
			kind: 'string',
			multiline: false,
		});
		expect(byId(inputs, '3.steps').spec.required).toBe(false);
	});

	test('an INT reaching past 2^53 carries its exact bounds and no rounded ones', () => {
		const seed = byId(t2i(), '3.seed').spec;
		expect(seed.exact).toEqual({ min: '0', max: '18446744073709551615' });
		expect(seed.max).toBeUndefined();
	});

	test('COMBO with options, BOOLEAN, a file input (image_upload) as text', () => {
		const inputs = video();
		expect(byId(inputs, '51.format').spec).toMatchObject({
			kind: 'options',
			options: ['auto', 'mp4'],
		});
		expect(byId(inputs, '50.pingpong').spec).toMatchObject({ kind: 'boolean', default: false });
		const image = byId(inputs, '12.image').spec;
		expect(image).toMatchObject({ kind: 'string', upload: 'image' });
		expect(image.options).toBeUndefined();
		expect(byId(inputs, '50.frame_rate').spec).toMatchObject({ kind: 'number', min: 1, step: 1 });
	});

	test('a node object_info lacks is guessed from its values, and the list says so', () => {
		const list = listWorkflowInputs(videoPayload(), videoInfo(), 'all');
		expect(list.typesGuessed).toBe(true);
		expect(list.objectInfoMissing).toBe(false);
		const inputs = list.inputs;
		expect(byId(inputs, '61.strength')).toMatchObject({
			described: false,
			spec: { kind: 'number' },
		});
		expect(byId(inputs, '61.enabled').spec.kind).toBe('boolean');
		expect(byId(inputs, '61.tags').spec).toMatchObject({ kind: 'json', jsonType: 'array' });
		expect(byId(inputs, '61.big').spec).toMatchObject({ kind: 'integer', exact: {} });
		expect(byId(inputs, '61.big').spec.default).toEqual(new ExactInteger('18446744073709551615'));
		expect(byId(inputs, '50.pingpong').described).toBe(true);
	});

	test('without object_info every type is guessed: a whole number may be a FLOAT, a seed is 64-bit', () => {
		const list = listWorkflowInputs(t2iPayload(), undefined, 'all');
		expect([list.typesGuessed, list.objectInfoMissing]).toEqual([true, true]);
		const inputs = list.inputs;
		expect(inputs.every((input) => !input.described)).toBe(true);
		expect(byId(inputs, '3.cfg').spec.kind).toBe('number');
		expect(byId(inputs, '3.steps').spec.kind).toBe('number');
		expect(byId(inputs, '3.seed').spec).toMatchObject({ kind: 'integer', exact: {} });
		expect(byId(inputs, '3.sampler_name').spec.kind).toBe('string');
		expect(byId(inputs, '6.text').nodeTitle).toBe('Positive Prompt');
		expect(byId(inputs, '3.seed').displayName).toBe('KSampler › seed (node 3) (whole number)');
	});

	test('an unreadable object_info is the same as none', () => {
		expect(listWorkflowInputs(t2iPayload(), '{broken', 'exposed').objectInfoMissing).toBe(true);
		expect(listWorkflowInputs(t2iPayload(), [1], 'exposed').objectInfoMissing).toBe(true);
	});
});

describe('resource-mapper fields', () => {
	test('types, options, defaults; the 64-bit seed and the file input are text fields', () => {
		const { inputs } = listWorkflowInputs(t2iPayload(), t2iInfo(), 'all');
		const field = (id: string) => toWorkflowField(byId(inputs, id));
		expect(field('3.seed')).toMatchObject({
			id: '3.seed',
			displayName: 'KSampler › seed (node 3) (whole number)',
			type: 'string',
			defaultValue: '42',
			required: false,
		});
		expect(field('3.steps')).toMatchObject({ type: 'number', defaultValue: 20 });
		expect(field('3.sampler_name').type).toBe('options');
		expect(field('3.sampler_name').options?.[0]).toEqual({ name: 'euler', value: 'euler' });
		expect(field('6.text')).toMatchObject({ type: 'string', defaultValue: 'a red fox' });

		const video = listWorkflowInputs(videoPayload(), videoInfo(), 'all').inputs;
		expect(toWorkflowField(byId(video, '12.image'))).toMatchObject({
			type: 'string',
			defaultValue: 'https://example.com/start.png',
		});
		expect(toWorkflowField(byId(video, '50.pingpong'))).toMatchObject({
			type: 'boolean',
			defaultValue: false,
		});
		expect(toWorkflowField(byId(video, '61.big')).defaultValue).toBe('18446744073709551615');
		expect(toWorkflowField(byId(video, '61.tags'))).toMatchObject({
			type: 'array',
			defaultValue: '["a","b","c"]',
		});
	});

	test("a file input's saved file name is no default: only a URL can be sent", () => {
		const payload = { workflow_api_json: parseExactJson(VIDEO_WORKFLOW), overrides: {} };
		const { inputs } = listWorkflowInputs(payload, videoInfo(), 'all');
		expect(toWorkflowField(byId(inputs, '12.image')).defaultValue).toBeUndefined();
	});

	test('in all, the unexposed inputs start hidden (Add field offers them); none hidden otherwise', () => {
		const all = toWorkflowFields(listWorkflowInputs(t2iPayload(), t2iInfo(), 'all').inputs);
		expect(all.filter((field) => !field.removed).map((field) => field.id)).toEqual([
			'3.seed',
			'3.steps',
			'6.text',
		]);
		expect(all.find((field) => field.id === '3.cfg')?.removed).toBe(true);
		const exposed = toWorkflowFields(listWorkflowInputs(t2iPayload(), t2iInfo(), 'exposed').inputs);
		expect(exposed.some((field) => field.removed)).toBe(false);
		const noneExposed = { ...t2iPayload(), overrides: {} };
		const fields = toWorkflowFields(listWorkflowInputs(noneExposed, t2iInfo(), 'all').inputs);
		expect(fields.length).toBe(13);
		expect(fields.some((field) => field.removed)).toBe(false);
	});
});

const problemOf = (checked: { value: unknown } | { problem: string }) =>
	'problem' in checked ? checked.problem : undefined;
const valueOf = <T>(checked: { value: T } | { problem: string }): T => {
	if ('problem' in checked) throw new Error(checked.problem);
	return checked.value;
};

describe('overrides from the mapper values', () => {
	const t2i = () => listWorkflowInputs(t2iPayload(), t2iInfo(), 'all').inputs;
	const video = () => listWorkflowInputs(videoPayload(), videoInfo(), 'all').inputs;

	test('checked values by node id; empty ones are not sent (the saved value applies)', () => {
		const body = valueOf(
			buildOverrides(t2i(), {
				'6.text': 'a cat in a hat',
				'3.seed': '18446744073709551615',
				'3.steps': '25',
				'3.cfg': '',
				'3.denoise': null,
				'7.text': '   ',
				'3.sampler_name': 'DPMPP_2M',
			}),
		);
		expect(body).toEqual({
			overrides: {
				'3': {
					inputs: {
						seed: new ExactInteger('18446744073709551615'),
						steps: 25,
						sampler_name: 'dpmpp_2m',
					},
				},
				'6': { inputs: { text: 'a cat in a hat' } },
			},
		});
		// The HTTP layer sends this text: the seed as a bare, exact integer.
		expect(jsonText(body)).toBe(
			'{"overrides":{"3":{"inputs":{"seed":18446744073709551615,"steps":25,"sampler_name":"dpmpp_2m"}},"6":{"inputs":{"text":"a cat in a hat"}}}}',
		);
	});

	test('nothing given: no overrides', () => {
		expect(valueOf(buildOverrides(t2i(), {}))).toEqual({ overrides: {} });
	});

	test.each([
		[42, 42],
		['42', 42],
		[' 007 ', 7],
		['9007199254740993', new ExactInteger('9007199254740993')],
		['18446744073709551615', new ExactInteger('18446744073709551615')],
	])('a 64-bit seed %p is sent as %p (a plain number while one holds it exactly)', (raw, sent) => {
		expect(valueOf(buildOverrides(t2i(), { '3.seed': raw })).overrides['3'].inputs.seed).toEqual(
			sent,
		);
	});

	test.each([
		[
			'18446744073709551616',
			'KSampler › seed (node 3) must be between 0 and 18446744073709551615, got "18446744073709551616"',
		],
		[-1, 'KSampler › seed (node 3) must be between 0 and 18446744073709551615, got -1'],
		[
			'1.5',
			'KSampler › seed (node 3) must be a whole number between 0 and 18446744073709551615, got "1.5"',
		],
		[
			1.5,
			'KSampler › seed (node 3) must be a whole number between 0 and 18446744073709551615, got 1.5',
		],
		[
			'12abc',
			'KSampler › seed (node 3) must be a whole number between 0 and 18446744073709551615, got "12abc"',
		],
		[
			true,
			'KSampler › seed (node 3) must be a whole number between 0 and 18446744073709551615, got true',
		],
		[
			2 ** 60,
			'KSampler › seed (node 3) got 1152921504606847000, a number too large to be exact in JavaScript: give it as text, e.g. "18446744073709551615"',
		],
	])('seed %p is refused, exactly', (raw, problem) => {
		expect(problemOf(buildOverrides(t2i(), { '3.seed': raw }))).toBe(problem);
	});

	test.each([
		['3.steps', 0, 'KSampler › steps (node 3) must be between 1 and 10000, got 0'],
		[
			'3.steps',
			2.5,
			'KSampler › steps (node 3) must be a whole number between 1 and 10000, got 2.5',
		],
		[
			'3.steps',
			'many',
			'KSampler › steps (node 3) must be an integer between 1 and 10000, got "many"',
		],
		['3.cfg', 150, 'KSampler › cfg (node 3) must be between 0 and 100, got 150'],
		[
			'3.sampler_name',
			'nope',
			'KSampler › sampler_name (node 3) must be one of "euler", "euler_ancestral", "dpmpp_2m" or "dpmpp_2m_sde", got "nope"',
		],
		['6.text', true, 'Positive Prompt › text (node 6) must be text, got true'],
	])('%s = %p is refused: %s', (id, raw, problem) => {
		expect(problemOf(buildOverrides(t2i(), { [id]: raw }))).toBe(problem);
	});

	test('booleans (also as text), a FLOAT with a step, the COMBO form, a guessed JSON list', () => {
		const body = valueOf(
			buildOverrides(video(), {
				'50.pingpong': 'true',
				'50.save_output': false,
				'50.frame_rate': '23.976',
				'51.codec': 'h264',
				'61.tags': '["x"]',
				'61.big': '-5',
			}),
		);
		expect(body.overrides).toEqual({
			'50': { inputs: { pingpong: true, save_output: false, frame_rate: 23.976 } },
			'51': { inputs: { codec: 'h264' } },
			'61': { inputs: { tags: ['x'], big: -5 } },
		});
		expect(problemOf(buildOverrides(video(), { '50.pingpong': 'yes' }))).toBe(
			'Video Combine › pingpong (node 50) must be true or false, got "yes"',
		);
		expect(problemOf(buildOverrides(video(), { '51.codec': 'vp9' }))).toBe(
			'Save Video › codec (node 51) must be one of "auto" or "h264", got "vp9"',
		);
		expect(problemOf(buildOverrides(video(), { '50.frame_rate': 0 }))).toBe(
			'Video Combine › frame_rate (node 50) must be at least 1, got 0',
		);
	});

	test.each([
		['https://example.com/cat.png', 'https://example.com/cat.png'],
		[' http://10.0.0.2/frame.jpg ', 'http://10.0.0.2/frame.jpg'],
		['data:image/png;base64,iVBORw0KGgo=', 'data:image/png;base64,iVBORw0KGgo='],
	])('a file input takes a URL or a data: URI: %s', (raw, sent) => {
		expect(valueOf(buildOverrides(video(), { '12.image': raw })).overrides['12'].inputs.image).toBe(
			sent,
		);
	});

	test.each(['start_frame.png', 'file:///etc/passwd', 'data:', 42])(
		'a file input refuses %p',
		(raw) => {
			expect(problemOf(buildOverrides(video(), { '12.image': raw }))).toBe(
				`Start Frame › image (node 12) must be an http(s) URL or a data: URI of the image (a file sent from binary), got ${JSON.stringify(raw)}`,
			);
		},
	);

	test('every problem together; a field the deployment lacks is named', () => {
		expect(problemOf(buildOverrides(t2i(), { '3.steps': 0, '3.cfg': -1 }))).toBe(
			'KSampler › steps (node 3) must be between 1 and 10000, got 0; KSampler › cfg (node 3) must be between 0 and 100, got -1',
		);
		expect(problemOf(buildOverrides(t2i(), { '99.text': 'x', '98.y': '' }))).toBe(
			'Inputs has "99.text", which this deployment does not take: refresh the inputs list (the deployment may have changed)',
		);
	});

	test('without object_info the guessed types still check what they can', () => {
		const inputs = listWorkflowInputs(t2iPayload(), undefined, 'all').inputs;
		const body = valueOf(
			buildOverrides(inputs, { '3.cfg': '7.5', '3.seed': '18446744073709551616' }),
		);
		expect(body.overrides['3'].inputs).toEqual({
			cfg: 7.5,
			seed: new ExactInteger('18446744073709551616'),
		});
		expect(problemOf(buildOverrides(inputs, { '3.cfg': 'high' }))).toBe(
			'KSampler › cfg (node 3) must be a number, got "high"',
		);
	});
});

describe('Additional Overrides', () => {
	const deployment = () => readDeployment(t2iPayload(), t2iInfo());
	const exposed = (values: Record<string, unknown>) =>
		valueOf(buildOverrides(workflowInputs(deployment(), 'exposed').inputs, values));
	const merge = (values: Record<string, unknown>, additional: unknown) =>
		mergeAdditionalOverrides(deployment(), exposed(values), additional);

	test.each([
		['the API shape', { '7': { inputs: { text: 'blurry' } } }],
		['the flat shape', { '7': { text: 'blurry' } }],
		['JSON text', '{"7": {"inputs": {"text": "blurry"}}}'],
	])('%s adds inputs the mapper does not show', (_shape, additional) => {
		expect(valueOf(merge({ '6.text': 'a fox' }, additional))).toEqual({
			overrides: { '6': { inputs: { text: 'a fox' } }, '7': { inputs: { text: 'blurry' } } },
		});
	});

	test('values are checked and converted like mapped ones; a big seed in JSON text stays exact', () => {
		const body = valueOf(merge({}, '{"3": {"seed": 18446744073709551615, "cfg": "6.5"}}'));
		expect(body.overrides['3'].inputs).toEqual({
			seed: new ExactInteger('18446744073709551615'),
			cfg: 6.5,
		});
		expect(jsonText(body)).toBe(
			'{"overrides":{"3":{"inputs":{"seed":18446744073709551615,"cfg":6.5}}}}',
		);
	});

	test('a big integer in JSON text against a plain number input: kept exact, or refused as given', () => {
		expect(problemOf(merge({}, '{"3": {"steps": 18446744073709551615}}'))).toBe(
			'Additional Overrides: KSampler › steps (node 3) must be between 1 and 10000, got 18446744073709551615',
		);
		const guessed = readDeployment(t2iPayload(), undefined);
		const body = valueOf(
			mergeAdditionalOverrides(guessed, { overrides: {} }, '{"3": {"cfg": 18446744073709551615}}'),
		);
		expect(body.overrides['3'].inputs.cfg).toEqual(new ExactInteger('18446744073709551615'));
		expect(problemOf(merge({}, '{"6": {"text": 18446744073709551615}}'))).toBeUndefined();
	});

	test('an input the mapper sets may not be set again ("keep one"); an empty mapped one may', () => {
		expect(problemOf(merge({ '6.text': 'a fox' }, { '6': { text: 'a wolf' } }))).toBe(
			'Additional Overrides sets Positive Prompt › text (node 6), which the Inputs above set too: keep one',
		);
		expect(valueOf(merge({ '6.text': '' }, { '6': { text: 'a wolf' } })).overrides).toEqual({
			'6': { inputs: { text: 'a wolf' } },
		});
	});

	test.each([
		[
			{ '99': { text: 'x' } },
			'Additional Overrides names node "99", which the deployment\'s workflow does not have; its nodes are 3, 4, 5, 6, 7, 8, 9',
		],
		[
			{ '6': { strength: 1 } },
			'Additional Overrides names input "strength" of node 6 (CLIPTextEncode), which it does not have; its inputs are text, clip',
		],
		[
			{ '3': { inputs: { model: 'sd15' } } },
			'Additional Overrides can\'t set "model" of node 3 (KSampler): it is a link from node 4, not a value',
		],
		[
			{ '3': { steps: 0 } },
			'Additional Overrides: KSampler › steps (node 3) must be between 1 and 10000, got 0',
		],
		[
			'{"3": {"seed": 18446744073709551616}}',
			'Additional Overrides: KSampler › seed (node 3) must be between 0 and 18446744073709551615, got 18446744073709551616',
		],
		[
			'{"6": ',
			'Additional Overrides is not valid JSON (Unexpected end in JSON at position 6): give an object like {"6": {"inputs": {"text": "a red fox"}}}',
		],
		[
			'[1]',
			'Additional Overrides must be a JSON object of node ids like {"6": {"inputs": {"text": "a red fox"}}}, got [1]',
		],
		[
			{ overrides: { '6': { inputs: { text: 'x' } } } },
			'Additional Overrides takes what goes inside "overrides", by node id: {"6": {"inputs": {"text": "a red fox"}}}',
		],
		[
			{ '6': 'x' },
			'Additional Overrides: node "6" must be an object of inputs like {"inputs": {"text": "…"}}, got "x"',
		],
		['{"__proto__": {"text": "x"}}', "Additional Overrides can't use the key __proto__"],
		['{"6": {"__proto__": 1}}', "Additional Overrides can't use the key __proto__"],
	])('%p is refused: %s', (additional, problem) => {
		expect(problemOf(merge({}, additional))).toBe(problem);
	});

	test('all problems at once, the clash first', () => {
		expect(
			problemOf(
				merge({ '6.text': 'a' }, { '6': { text: 'b' }, '3': { steps: 0 }, '99': { x: 1 } }),
			),
		).toBe(
			[
				'Additional Overrides sets Positive Prompt › text (node 6), which the Inputs above set too: keep one',
				'Additional Overrides: KSampler › steps (node 3) must be between 1 and 10000, got 0',
				'Additional Overrides names node "99", which the deployment\'s workflow does not have; its nodes are 3, 4, 5, 6, 7, 8, 9',
			].join('; '),
		);
	});

	test('an optional input the workflow leaves out is allowed when object_info defines a value for it', () => {
		const video = readDeployment(videoPayload(), videoInfo());
		const none = { overrides: {} };
		expect(valueOf(mergeAdditionalOverrides(video, none, { '38:39': { device: 'cpu' } }))).toEqual({
			overrides: { '38:39': { inputs: { device: 'cpu' } } },
		});
		expect(problemOf(mergeAdditionalOverrides(video, none, { '38:39': { device: 'gpu' } }))).toBe(
			'Additional Overrides: Load CLIP › device (node 38:39) must be one of "default" or "cpu", got "gpu"',
		);
		expect(
			problemOf(mergeAdditionalOverrides(video, none, { '38:42': { clip_vision_output: 'x' } })),
		).toBe(
			'Additional Overrides can\'t set "clip_vision_output" of node 38:42 (WanImageToVideo): it takes a link (CLIP_VISION_OUTPUT), not a value',
		);
	});

	test('nothing given leaves the mapped overrides as they are', () => {
		for (const empty of [undefined, null, '', '  ', '{}', {}]) {
			expect(valueOf(merge({ '6.text': 'a fox' }, empty))).toEqual({
				overrides: { '6': { inputs: { text: 'a fox' } } },
			});
		}
	});

	test('without the workflow nothing can be judged: sent as given', () => {
		const bare = readDeployment({ overrides: T2I_OVERRIDES }, undefined);
		expect(
			valueOf(mergeAdditionalOverrides(bare, { overrides: {} }, { '77': { anything: [1, 2] } })),
		).toEqual({
			overrides: { '77': { inputs: { anything: [1, 2] } } },
		});
	});

	test('node ids and inputs named like Object.prototype keys are plain names', () => {
		expect(problemOf(merge({}, { toString: { x: 1 } }))).toMatch(/names node "toString", which/);
		expect(problemOf(merge({}, { '6': { hasOwnProperty: 1 } }))).toMatch(
			/names input "hasOwnProperty" of node 6/,
		);
		const bare = readDeployment({ overrides: { toString: { inputs: { valueOf: 1 } } } });
		expect(ids(bare.inputs)).toEqual(['toString.valueOf']);
		expect(
			valueOf(mergeAdditionalOverrides(bare, { overrides: {} }, { toString: { constructor2: 2 } })),
		).toEqual({ overrides: { toString: { inputs: { constructor2: 2 } } } });
	});

	test('parseAdditionalOverrides reads the shape only: a node whose only key is "inputs" is the API shape', () => {
		expect(
			valueOf(
				parseAdditionalOverrides({ '6': { inputs: { text: 'a' } }, '7': { text: 'b', inputs: 1 } }),
			),
		).toEqual([
			{ nodeId: '6', name: 'text', value: 'a' },
			{ nodeId: '7', name: 'text', value: 'b' },
			{ nodeId: '7', name: 'inputs', value: 1 },
		]);
	});
});
