/**
 * Deployment → Run Workflow and Dry Run through n8n's engine against the emulator's Serverless
 * API: what reaches RunComfy (overrides by node id, exact 64-bit seeds, files as data: URIs, flat
 * LoRA bodies) and what the next node gets (files by node and channel, texts, binaries).
 */
import type { IDataObject } from 'n8n-workflow';

import {
	DEPLOYMENT_LORA,
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
	T2I_NODES,
	TINY_PNG,
	VIDEO_NODES,
} from '../emulator/emulator';
import { getWorkflowInputs } from '../../nodes/RunComfy/methods/deploymentInputs';
import {
	byId,
	errorText,
	jsonOf,
	serveExactObjectInfo,
	setUpDeployments,
	workflowParams,
} from './deployment.helpers';

const t = setUpDeployments();
const SEED_MAX = '18446744073709551615';
const T2I_PATH = `/prod/v1/deployments/${DEPLOYMENT_T2I}/inference`;
const png = { property: 'data', base64: TINY_PNG.toString('base64'), mimeType: 'image/png' };

const submits = () => t.routes('deploymentSubmit');
const fileUrl = (requestId: string, name: string) =>
	`${t.emulator.baseUrl}/files/${requestId}/${name}`;

describe('Run Workflow on the text-to-image deployment', () => {
	beforeEach(() => serveExactObjectInfo(t.emulator, DEPLOYMENT_T2I));

	test('mapped fields go out as overrides[nodeId].inputs[name]; empty ones are not sent; the seed is exact', async () => {
		const result = await t.run(
			workflowParams(DEPLOYMENT_T2I, {
				[`${T2I_NODES.positive}.text`]: 'a red fox in the snow',
				[`${T2I_NODES.sampler}.seed`]: SEED_MAX,
				[`${T2I_NODES.sampler}.steps`]: '',
				[`${T2I_NODES.latent}.width`]: null,
				[`${T2I_NODES.latent}.height`]: 768,
			}),
		);
		expect(result.error).toBeUndefined();
		expect(submits()).toHaveLength(1);
		const [submit] = submits();
		expect(submit.path).toBe(T2I_PATH);
		expect(submit.status).toBe(200);
		// The body exactly as received: the seed as bare digits, not rounded and not quoted.
		expect(submit.rawBody).toContain(`"seed":${SEED_MAX}`);
		expect(submit.body).toEqual({
			overrides: {
				'3': { inputs: { seed: SEED_MAX } },
				'5': { inputs: { height: 768 } },
				'6': { inputs: { text: 'a red fox in the snow' } },
			},
		});
		const job = t.jobs()[0];
		expect(job.bigIntegers.has(JSON.stringify(['overrides', '3', 'inputs', 'seed']))).toBe(true);
		expect(job.workflow?.['3'].inputs.seed).toBe(SEED_MAX);
		expect(job.workflow?.['3'].inputs.steps).toBe(20);
	});

	test('the output names its image by URL, node and channel, with the deployment and its hardware', async () => {
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, { '6.text': 'a red fox' }));
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const requestId = t.jobs()[0].id;
		const json = jsonOf(result.items[0]);
		const url = fileUrl(requestId, 'ComfyUI_00001_.png');
		expect(json).toMatchObject({
			requestId,
			status: 'succeeded',
			imageUrl: url,
			files: [
				{
					url,
					nodeId: T2I_NODES.save,
					channel: 'images',
					filename: 'ComfyUI_00001_.png',
					kind: 'image',
				},
			],
			data: [],
			deploymentId: DEPLOYMENT_T2I,
			deploymentName: 'SDXL Text to Image',
			hardware: ['AMPERE_48'],
		});
		expect(json.outputs).toEqual({
			'9': { images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output', url }] },
		});
		expect(json.imageUrls).toBeUndefined();
		expect(json.error).toBeUndefined();
		// The job was looked at through its deployment's result call, on the Account API URL.
		expect(t.routes('deploymentResult').map((request) => request.path)).toEqual([
			`/prod/v1/deployments/${DEPLOYMENT_T2I}/requests/${requestId}/result`,
		]);
		expect(t.emulator.count('result') + t.emulator.count('status')).toBe(0);
	});

	test('the deployment and its object_info are read once per run, whatever the number of items', async () => {
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, { '6.text': '={{ $json.p }}' }), {
			items: [{ p: 'a' }, { p: 'b' }, { p: 'c' }],
		});
		expect(result.error).toBeUndefined();
		expect(t.routes('deployments')).toHaveLength(1);
		expect(t.routes('deployments')[0].query).toMatchObject({ includes: 'payload' });
		expect(t.routes('objectInfo')).toHaveLength(1);
		expect(submits().map((request) => (request.body as IDataObject).overrides)).toEqual([
			{ '6': { inputs: { text: 'a' } } },
			{ '6': { inputs: { text: 'b' } } },
			{ '6': { inputs: { text: 'c' } } },
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	test('Additional Overrides add inputs the list does not show, checked and merged with the mapped ones', async () => {
		const result = await t.run(
			workflowParams(
				DEPLOYMENT_T2I,
				{ '6.text': 'a fox' },
				{
					additionalOverrides: JSON.stringify({
						'7': { inputs: { text: 'ugly' } },
						'3': { sampler_name: 'dpmpp_2m' },
					}),
				},
			),
		);
		expect(result.error).toBeUndefined();
		expect((submits()[0].body as IDataObject).overrides).toEqual({
			'3': { inputs: { sampler_name: 'dpmpp_2m' } },
			'6': { inputs: { text: 'a fox' } },
			'7': { inputs: { text: 'ugly' } },
		});
	});

	test('a seed past 2^53 in Additional Overrides is sent exactly as typed', async () => {
		const result = await t.run(
			workflowParams(
				DEPLOYMENT_T2I,
				{},
				{ additionalOverrides: `{"3": {"inputs": {"seed": ${SEED_MAX}}}}` },
			),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].rawBody).toBe(`{"overrides":{"3":{"inputs":{"seed":${SEED_MAX}}}}}`);
	});

	// Node bug (regression of b163e87): nodes/shared/output/idle.ts:26 listens for 'data' on the
	// download stream, which starts it flowing before n8n's binary store reads it; every download
	// is stored empty ("The video download was cut off after 0 of 65536 bytes", retried 5 times).
	test('Download Files attaches the image as binary data under the field asked for', async () => {
		const result = await t.run(
			workflowParams(
				DEPLOYMENT_T2I,
				{},
				{ options: { download: true, binaryPropertyName: 'image' } },
			),
		);
		expect(result.error).toBeUndefined();
		const binary = result.items[0].binary ?? {};
		expect(Object.keys(binary)).toEqual(['image']);
		expect(binary.image).toMatchObject({
			mimeType: 'image/png',
			fileExtension: 'png',
			bytes: TINY_PNG.length,
		});
		expect(t.routes('file').map((request) => request.path)).toEqual([
			`/files/${t.jobs()[0].id}/ComfyUI_00001_.png`,
		]);
	});

	test('nothing mapped: the saved workflow runs as deployed (empty overrides)', async () => {
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, null));
		expect(result.error).toBeUndefined();
		expect(submits()[0].rawBody).toBe('{"overrides":{}}');
	});
});

describe('Run Workflow on the video deployment', () => {
	test('a composite node id, two output nodes, texts kept, a .zip as a file, the video first', async () => {
		const result = await t.run(
			workflowParams(DEPLOYMENT_VIDEO, {
				[`${VIDEO_NODES.prompt}.text`]: 'The camera slowly pushes in',
				[`${VIDEO_NODES.video}.frame_rate`]: 24,
				[`${VIDEO_NODES.video}.pingpong`]: true,
			}),
		);
		expect(result.error).toBeUndefined();
		expect((submits()[0].body as IDataObject).overrides).toEqual({
			'11': { inputs: { text: 'The camera slowly pushes in' } },
			'38:42': { inputs: { frame_rate: 24, pingpong: true } },
		});
		const requestId = t.jobs()[0].id;
		const json = jsonOf(result.items[0]);
		const mp4 = fileUrl(requestId, 'FusionX_00001_.mp4');
		const zip = fileUrl(requestId, 'frames_00001_.zip');
		const txt = fileUrl(requestId, 'caption_00001_.txt');
		expect(json).toMatchObject({
			status: 'succeeded',
			videoUrl: mp4,
			imageUrl: fileUrl(requestId, 'frames_00001_.png'),
			fileUrl: zip,
			fileUrls: [zip, txt],
			text: 'a caption',
			texts: ['a caption', 'a cat', 'by a window'],
			deploymentId: DEPLOYMENT_VIDEO,
			hardware: ['ADA_80_PLUS'],
		});
		expect(
			(json.files as IDataObject[]).map((file) => [
				file.nodeId,
				file.channel,
				file.kind,
				file.filename,
			]),
		).toEqual([
			['38:42', 'gifs', 'video', 'FusionX_00001_.mp4'],
			['60', 'images', 'image', 'frames_00001_.png'],
			['60', 'images', 'file', 'frames_00001_.zip'],
			['80', 'files', 'file', 'caption_00001_.txt'],
		]);
		expect(json.data).toEqual([
			{ nodeId: '70', channel: 'text', values: ['a caption'] },
			{ nodeId: '70', channel: 'string', values: ['a cat', 'by a window'] },
		]);
	});

	// Node bug: the same (idle.ts:26).
	test('Download Files attaches every file: the video, the frame, the zip and the text', async () => {
		const result = await t.run(
			workflowParams(DEPLOYMENT_VIDEO, {}, { options: { download: true } }),
		);
		expect(result.error).toBeUndefined();
		const binary = result.items[0].binary ?? {};
		expect(Object.keys(binary)).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		expect(binary.data).toMatchObject({ mimeType: 'video/mp4', bytes: 65536 });
		expect(binary.data_1.mimeType).toBe('image/png');
		expect(binary.data_2).toMatchObject({ mimeType: 'application/zip', fileExtension: 'zip' });
		expect(binary.data_3.mimeType).toMatch(/^text\/plain/);
		expect(t.routes('file')).toHaveLength(4);
	});

	// Node bug: nodes/shared/output/download.ts:61 takes the extension from the MIME subtype, so the
	// caption_00001_.txt a SaveText node wrote (served as text/plain) is stored as "<id>_3.plain".
	test('a downloaded .txt output keeps its .txt extension', async () => {
		const result = await t.run(
			workflowParams(DEPLOYMENT_VIDEO, {}, { options: { download: true } }),
		);
		expect(result.error).toBeUndefined();
		const text = result.items[0].binary?.data_3;
		expect(text?.fileExtension).toBe('txt');
		expect(text?.fileName).toMatch(/\.txt$/);
	});

	test("a Binary Input sends the item's file to LoadImage as a data: URI", async () => {
		const result = await t.run(
			workflowParams(
				DEPLOYMENT_VIDEO,
				{ '11.text': 'push in' },
				{
					workflowBinaryInputs: {
						input: [{ nodeId: VIDEO_NODES.loadImage, inputName: 'image', binaryProperty: 'start' }],
					},
				},
			),
			{ binary: [{ ...png, property: 'start', fileName: 'start.png' }] },
		);
		expect(result.error).toBeUndefined();
		expect((submits()[0].body as IDataObject).overrides).toEqual({
			'10': { inputs: { image: `data:image/png;base64,${png.base64}` } },
			'11': { inputs: { text: 'push in' } },
		});
		// The emulator checked it as a media input of the workflow and took it.
		expect(t.jobs()[0].workflow?.['10'].inputs.image).toBe(`data:image/png;base64,${png.base64}`);
	});

	test('a Binary Input whose field the item lacks fails before any submit, naming the input', async () => {
		const result = await t.run(
			workflowParams(
				DEPLOYMENT_VIDEO,
				{},
				{
					workflowBinaryInputs: {
						input: [{ nodeId: '10', inputName: 'image', binaryProperty: 'start' }],
					},
				},
			),
		);
		expect(result.error).toBeDefined();
		expect(errorText(result.error)).toMatch(/start/);
		expect(submits()).toHaveLength(0);
	});
});

describe('the LoRA deployment', () => {
	test('Send "Flat Inputs (JSON)": the flat body as given, the image in the output', async () => {
		const result = await t.run(
			workflowParams(DEPLOYMENT_LORA, null, {
				inputMode: 'flat',
				flatInputs: '{"prompt": "a red fox", "width": 1024, "seed": 4294967295}',
			}),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].rawBody).toBe('{"prompt":"a red fox","width":1024,"seed":4294967295}');
		const requestId = t.jobs()[0].id;
		const url = fileUrl(requestId, 'lora_00001_.png');
		expect(jsonOf(result.items[0])).toMatchObject({
			requestId,
			status: 'succeeded',
			imageUrl: url,
			output: { images: [url] },
			deploymentId: DEPLOYMENT_LORA,
			deploymentName: 'My Flux LoRA',
		});
	});

	test('Send "Workflow Inputs" on it: a clear error before any submit', async () => {
		const result = await t.run(workflowParams(DEPLOYMENT_LORA, { '6.text': 'x' }));
		expect(result.error?.message).toBe(
			`Deployment ${DEPLOYMENT_LORA} has no ComfyUI workflow (a Serverless LoRA deployment): set Send to "Flat Inputs (JSON)" and give its inputs there`,
		);
		expect(errorText(result.error)).toContain('Nothing was submitted');
		expect(submits()).toHaveLength(0);
	});

	test('empty or non-object Flat Inputs are refused before any submit', async () => {
		for (const flatInputs of ['{}', '[1, 2]', 'prompt=a fox']) {
			const result = await t.run(
				workflowParams(DEPLOYMENT_LORA, null, { inputMode: 'flat', flatInputs }),
			);
			expect(result.error?.message).toMatch(/^Flat Inputs (is empty|must be a JSON object)/);
		}
		expect(submits()).toHaveLength(0);
	});
});

describe('Send "Whole Workflow JSON"', () => {
	test('another graph runs on the deployment, sent as workflow_api_json with its seed exact', async () => {
		const graph = `{"9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "inline", "images": ["8", 0]}}, "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}}, "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}}, "3": {"class_type": "KSampler", "inputs": {"seed": ${SEED_MAX}, "steps": 4, "cfg": 1, "sampler_name": "euler", "scheduler": "normal", "denoise": 1, "model": ["4", 0], "positive": ["4", 1], "negative": ["4", 1], "latent_image": ["4", 0]}}}`;
		const result = await t.run(
			workflowParams(DEPLOYMENT_T2I, null, { inputMode: 'workflowJson', workflowJson: graph }),
		);
		expect(result.error).toBeUndefined();
		expect(submits()[0].rawBody).toContain(`"seed":${SEED_MAX}`);
		expect(
			Object.keys((submits()[0].body as IDataObject).workflow_api_json as IDataObject),
		).toEqual(['3', '4', '8', '9']);
		expect(jsonOf(result.items[0]).imageUrl).toBe(fileUrl(t.jobs()[0].id, 'inline_00001_.png'));
	});
});

describe('Dry Run', () => {
	beforeEach(() => serveExactObjectInfo(t.emulator, DEPLOYMENT_T2I));

	test('each item as the exact body a run would send, to the deployment inference path; nothing is sent', async () => {
		const params = {
			...workflowParams(DEPLOYMENT_T2I, { '6.text': '={{ $json.p }}', '3.seed': SEED_MAX }),
			operation: 'dryRunWorkflow',
		};
		const dry = await t.run(params, { items: [{ p: 'a fox' }, { p: 'a hare' }] });
		expect(dry.error).toBeUndefined();
		expect(submits()).toHaveLength(0);
		expect(t.jobs()).toHaveLength(0);
		expect(dry.items).toHaveLength(2);
		for (const [index, text] of ['a fox', 'a hare'].entries()) {
			const json = jsonOf(dry.items[index]);
			expect(json).toMatchObject({
				dryRun: true,
				request: { method: 'POST', path: T2I_PATH },
				deploymentId: DEPLOYMENT_T2I,
				deploymentName: 'SDXL Text to Image',
				hardware: ['AMPERE_48'],
				price: null,
				priceUnit: 'GPU second',
				estimate: { jobs: 2, totalUsd: null },
			});
			expect(JSON.parse(JSON.stringify(json.payload))).toEqual({
				overrides: { '3': { inputs: { seed: SEED_MAX } }, '6': { inputs: { text } } },
			});
		}
		expect(String((jsonOf(dry.items[0]).estimate as IDataObject).note)).toContain(
			`deployment ${DEPLOYMENT_T2I}`,
		);

		// The run sends exactly the bodies shown (the seed as bare digits there).
		const ran = await t.run(
			{ ...params, operation: 'runWorkflow' },
			{ items: [{ p: 'a fox' }, { p: 'a hare' }] },
		);
		expect(ran.error).toBeUndefined();
		expect(
			submits()
				.map((request) => request.rawBody)
				.sort(),
		).toEqual(
			['a fox', 'a hare'].map(
				(text) =>
					`{"overrides":{"3":{"inputs":{"seed":${SEED_MAX}}},"6":{"inputs":{"text":"${text}"}}}}`,
			),
		);
	});

	test('an invalid item fails as it would in a run, still without sending anything', async () => {
		const dry = await t.run(
			{
				...workflowParams(DEPLOYMENT_T2I, { '3.steps': '={{ $json.steps }}' }),
				operation: 'dryRunWorkflow',
			},
			{ items: [{ steps: 4 }, { steps: 0 }], settings: { onError: 'continueRegularOutput' } },
		);
		expect(dry.items.map((item) => item.json.error ?? null)).toEqual([
			null,
			'KSampler › steps (node 3) must be between 1 and 10000, got 0',
		]);
		expect(submits()).toHaveLength(0);
	});
});

describe('a Serverless LoRA deployment whose record carries a schema', () => {
	const schema = {
		type: 'object',
		required: ['prompt'],
		properties: {
			prompt: { title: 'Prompt', type: 'string' },
			guidance_scale: {
				title: 'Guidance Scale',
				type: 'float',
				minimum: 0,
				maximum: 20,
				default: 3.5,
			},
		},
	};
	const withSchema = () => {
		(
			t.emulator.serverless.deployment(DEPLOYMENT_LORA) as unknown as { input_schema: unknown }
		).input_schema = schema;
	};

	test('its fields come from the schema, and the run sends a flat body checked against it', async () => {
		withSchema();
		const context = t.loadContext({
			resource: 'deployment',
			operation: 'runWorkflow',
			deployment: byId(DEPLOYMENT_LORA),
		});
		const { fields } = await getWorkflowInputs.call(context);
		expect(fields.map((field) => [field.id, field.displayName])).toEqual([
			['prompt', 'Prompt'],
			['guidance_scale', 'Guidance Scale (0–20)'],
		]);
		const result = await t.run(
			workflowParams(DEPLOYMENT_LORA, { prompt: 'a red fox', guidance_scale: 4 }),
		);
		expect(result.error).toBeUndefined();
		expect(JSON.parse(t.routes('deploymentSubmit')[0].rawBody)).toEqual({
			prompt: 'a red fox',
			guidance_scale: 4,
		});
	});

	test('a value out of its range is refused by its title before anything is sent', async () => {
		withSchema();
		const result = await t.run(
			workflowParams(DEPLOYMENT_LORA, { prompt: 'x', guidance_scale: 50 }),
		);
		expect(result.error?.message).toBe('Guidance Scale must be between 0 and 20, got 50');
		expect(t.routes('deploymentSubmit')).toHaveLength(0);
	});
});
