/**
 * The editor's calls for deployments, made as n8n's editor makes them (n8n-core's
 * LoadOptionsContext): the Inputs resource mapper (getWorkflowInputs) and the Deployment list
 * (searchDeployments).
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { RunComfy } from '../../nodes/RunComfy/RunComfy.node';
import {
	DEPLOYMENT_FOREIGN,
	DEPLOYMENT_LORA,
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
} from '../emulator/emulator';
import { byId, fromList, serveExactObjectInfo, setUpDeployments } from './deployment.helpers';

const t = setUpDeployments();
const node = new RunComfy();

const inputsFor = async (deployment: IDataObject, extra: IDataObject = {}) =>
	await node.methods.resourceMapping.getWorkflowInputs.call(
		t.loadContext({ resource: 'deployment', operation: 'runWorkflow', deployment, ...extra }),
	);
const search = async (filter?: string) =>
	await node.methods.listSearch.searchDeployments.call(
		t.loadContext({ resource: 'deployment', operation: 'runWorkflow' }, 'parameters.deployment'),
		filter,
	);
const row = (field: ResourceMapperField) => [
	field.id,
	field.displayName,
	field.type,
	field.defaultValue,
];

describe('getWorkflowInputs: the Inputs of the chosen deployment', () => {
	test('the inputs the deployment exposes, named by title, input and node id, with ranges', async () => {
		serveExactObjectInfo(t.emulator, DEPLOYMENT_T2I);
		const result = await inputsFor(fromList(DEPLOYMENT_T2I));
		expect(result.emptyFieldsNotice).toBeUndefined();
		expect(result.fields.map(row)).toEqual([
			['3.seed', 'KSampler › seed (node 3) (whole number)', 'string', '156680208700286'],
			['3.steps', 'KSampler › steps (node 3) (1–10000)', 'number', 20],
			['5.width', 'Empty Latent Image › width (node 5)', 'number', 1024],
			['5.height', 'Empty Latent Image › height (node 5)', 'number', 1024],
			['6.text', 'Positive Prompt › text (node 6)', 'string', 'a photo of a cat'],
		]);
		expect(result.fields.every((field) => !field.required && !field.removed)).toBe(true);
		// The record with its payload, and object_info, both with the token (same host).
		expect(
			t.routes('deployments').map((request) => [request.path, request.query.includes]),
		).toEqual([[`/prod/v2/deployments/${DEPLOYMENT_T2I}`, 'payload']]);
		expect(t.routes('objectInfo').map((request) => request.authorization)).toEqual([
			`Bearer ${t.emulator.token}`,
		]);
	});

	test('a 64-bit INT is a text field: n8n would round it as a number', async () => {
		serveExactObjectInfo(t.emulator, DEPLOYMENT_T2I);
		const seed = (await inputsFor(byId(DEPLOYMENT_T2I))).fields.find(
			(field) => field.id === '3.seed',
		);
		expect(seed?.type).toBe('string');
		expect(String(seed?.defaultValue)).toBe('156680208700286');
	});

	test('defaults come from the deployment’s overrides, not the graph', async () => {
		const deployment = t.emulator.serverless.deployment(DEPLOYMENT_T2I)!;
		deployment.overrides!['6'].inputs.text = 'a red fox at dawn';
		const { fields } = await inputsFor(byId(DEPLOYMENT_T2I));
		expect(fields.find((field) => field.id === '6.text')?.defaultValue).toBe('a red fox at dawn');
		expect(deployment.workflow?.['6'].inputs.text).toBe('a photo of a cat');
	});

	test('All Workflow Inputs: the exposed ones first, then every literal input, hidden until added; links never', async () => {
		serveExactObjectInfo(t.emulator, DEPLOYMENT_T2I);
		const { fields } = await inputsFor(byId(DEPLOYMENT_T2I), { allWorkflowInputs: true });
		const ids = fields.map((field) => field.id);
		expect(ids.slice(0, 5)).toEqual(['3.seed', '3.steps', '5.width', '5.height', '6.text']);
		expect(ids.slice(5)).toEqual([
			'3.cfg',
			'3.sampler_name',
			'3.scheduler',
			'3.denoise',
			'4.ckpt_name',
			'5.batch_size',
			'7.text',
			'9.filename_prefix',
		]);
		for (const link of [
			'3.model',
			'3.positive',
			'3.latent_image',
			'6.clip',
			'8.samples',
			'8.vae',
			'9.images',
		]) {
			expect(ids).not.toContain(link);
		}
		expect(fields.slice(0, 5).every((field) => !field.removed)).toBe(true);
		expect(fields.slice(5).every((field) => field.removed === true)).toBe(true);
		const sampler = fields.find((field) => field.id === '3.sampler_name');
		expect(sampler).toMatchObject({ type: 'options', defaultValue: 'euler' });
		expect(sampler?.options?.map((option) => option.value)).toEqual([
			'euler',
			'euler_ancestral',
			'dpmpp_2m',
			'dpmpp_2m_sde',
			'uni_pc',
		]);
		expect(fields.find((field) => field.id === '3.cfg')?.displayName).toBe(
			'KSampler › cfg (node 3) (0–100)',
		);
	});

	test('the video deployment: a composite node id, a file input as text without a server-side default', async () => {
		const { fields } = await inputsFor(byId(DEPLOYMENT_VIDEO));
		expect(fields.map((field) => field.id)).toEqual([
			'10.image',
			'11.text',
			'13.width',
			'13.height',
			'13.length',
			'14.seed',
			'38:42.frame_rate',
			'38:42.pingpong',
			'71.value',
		]);
		const image = fields.find((field) => field.id === '10.image');
		expect(image).toMatchObject({ type: 'string', displayName: 'Start Frame › image (node 10)' });
		expect(image?.defaultValue).toBeUndefined();
		expect(fields.find((field) => field.id === '38:42.pingpong')).toMatchObject({
			type: 'boolean',
			displayName: 'Video Combine › pingpong (node 38:42)',
			defaultValue: false,
		});
	});

	test.each(['missing', 'reset'] as const)(
		'object_info unreadable (%s): the fields are still listed, typed from the values, and the notice says so',
		async (access) => {
			t.emulator.serverless.objectInfoAccess = access;
			const result = await inputsFor(byId(DEPLOYMENT_T2I));
			expect(result.fields.map((field) => [field.id, field.type])).toEqual([
				['3.seed', 'string'],
				['3.steps', 'number'],
				['5.width', 'number'],
				['5.height', 'number'],
				['6.text', 'string'],
			]);
			expect(result.emptyFieldsNotice).toMatch(/object_info\) could not be read/);
			expect(t.routes('objectInfo')).toHaveLength(1);
		},
	);

	test('a notice, not an error, for each case with no fields', async () => {
		expect(await inputsFor(byId(''))).toEqual({
			fields: [],
			emptyFieldsNotice: 'Choose a deployment first: its inputs are listed here.',
		});
		expect(t.emulator.requests).toHaveLength(0);
		expect((await inputsFor(byId(DEPLOYMENT_LORA))).emptyFieldsNotice).toBe(
			'This deployment has no ComfyUI workflow (a Serverless LoRA deployment): set Send to "Flat Inputs (JSON)" and give the inputs shown on its RunComfy page.',
		);
		for (const id of ['no-such-deployment', DEPLOYMENT_FOREIGN]) {
			expect(await inputsFor(byId(id))).toEqual({
				fields: [],
				emptyFieldsNotice: `RunComfy knows no deployment ${id} of this account: pick one from the list.`,
			});
		}
	});

	test('a deployment that exposes nothing points to All Workflow Inputs', async () => {
		t.emulator.serverless.deployment(DEPLOYMENT_T2I)!.overrides = {};
		const result = await inputsFor(byId(DEPLOYMENT_T2I));
		expect(result).toEqual({
			fields: [],
			emptyFieldsNotice:
				'This deployment exposes no inputs: turn on All Workflow Inputs to list every input of its workflow.',
		});
		const all = await inputsFor(byId(DEPLOYMENT_T2I), { allWorkflowInputs: true });
		expect(all.fields.length).toBeGreaterThan(5);
		expect(all.fields.every((field) => !field.removed)).toBe(true);
	});
});

describe('searchDeployments: the Deployment list', () => {
	test('every own deployment as name · status · hardware, a disabled one said so', async () => {
		const { results } = await search();
		expect(results).toEqual([
			{ name: 'SDXL Text to Image · standby · AMPERE_48', value: DEPLOYMENT_T2I },
			{ name: 'Wan FusionX Image to Video · standby · ADA_80_PLUS', value: DEPLOYMENT_VIDEO },
			{ name: 'My Flux LoRA · running · AMPERE_48', value: DEPLOYMENT_LORA },
			{
				name: 'Paused Text to Image · standby · AMPERE_48 · disabled',
				value: 'a1b2c3d4-0004-4000-8000-000000000004',
			},
		]);
		expect(t.routes('deployments').map((request) => [request.method, request.path])).toEqual([
			['GET', '/prod/v2/deployments'],
		]);
	});

	test('searchable by name or id, case-insensitive; the wrapped list answer too', async () => {
		t.emulator.serverless.listWrapped = true;
		expect((await search('VIDEO')).results.map((entry) => entry.value)).toEqual([DEPLOYMENT_VIDEO]);
		expect((await search('0003-4000')).results.map((entry) => entry.value)).toEqual([
			DEPLOYMENT_LORA,
		]);
		expect((await search('text to image')).results).toHaveLength(2);
		expect((await search('nothing like it')).results).toEqual([]);
	});
});
