/**
 * Deployment → Get, List, Create, Update and Delete against the emulator's /prod/v2/deployments:
 * what is sent (checked in the request log) and what the next node reads.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	DEPLOYMENT_FOREIGN,
	DEPLOYMENT_LORA,
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
	WORKFLOW_T2I,
} from '../emulator/emulator';
import { description } from '../harness/wait';
import { byId, fromList, serveExactObjectInfo, setUpDeployments } from './deployment.helpers';

const t = setUpDeployments();
const crud = (method: string) =>
	t.routes('deployments').filter((request) => request.method === method);
const deploymentParams = (operation: string, extra: IDataObject = {}) => ({
	resource: 'deployment',
	operation,
	...extra,
});
const OWN = [
	'SDXL Text to Image',
	'Wan FusionX Image to Video',
	'My Flux LoRA',
	'Paused Text to Image',
];

describe('Get Deployment', () => {
	test('the record, and the inputs its workflow exposes with their hints', async () => {
		serveExactObjectInfo(t.emulator, DEPLOYMENT_T2I);
		const result = await t.run(
			deploymentParams('getDeployment', { deployment: fromList(DEPLOYMENT_T2I) }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const json = result.items[0].json;
		expect(json).toMatchObject({
			deploymentId: DEPLOYMENT_T2I,
			name: 'SDXL Text to Image',
			status: 'standby',
			enabled: true,
			hardware: ['AMPERE_48'],
			minInstances: 0,
			maxInstances: 2,
			queueSize: 10,
			keepWarmSeconds: 60,
			workflowId: WORKFLOW_T2I,
			workflowVersion: 'v1',
			createdAt: '2025-06-01T12:00:00.000Z',
			kind: 'comfyui',
			objectInfoRead: true,
		});
		expect((json.inputs as IDataObject[]).map((input) => [input.nodeId, input.input])).toEqual([
			['3', 'seed'],
			['3', 'steps'],
			['5', 'width'],
			['5', 'height'],
			['6', 'text'],
		]);
		expect((json.inputs as IDataObject[])[0]).toEqual({
			field: 'KSampler › seed (node 3) (whole number)',
			nodeId: '3',
			input: 'seed',
			hint: 'whole number 0–18446744073709551615, default 156680208700286',
		});
		expect(crud('GET').map((request) => [request.path, request.query.includes])).toEqual([
			[`/prod/v2/deployments/${DEPLOYMENT_T2I}`, 'payload'],
		]);
	});

	test('a LoRA deployment has no workflow inputs; object_info unreadable is said', async () => {
		const lora = await t.run(
			deploymentParams('getDeployment', { deployment: byId(DEPLOYMENT_LORA) }),
		);
		expect(lora.items[0].json).toMatchObject({ deploymentId: DEPLOYMENT_LORA, kind: 'lora' });
		expect(lora.items[0].json.inputs).toBeUndefined();
		t.emulator.serverless.objectInfoAccess = 'missing';
		const video = await t.run(
			deploymentParams('getDeployment', { deployment: byId(DEPLOYMENT_VIDEO) }),
		);
		expect(video.items[0].json).toMatchObject({ kind: 'comfyui', objectInfoRead: false });
		expect((video.items[0].json.inputs as IDataObject[]).map((input) => input.nodeId)).toEqual([
			'10',
			'11',
			'13',
			'13',
			'13',
			'14',
			'38:42',
			'38:42',
			'71',
		]);
	});

	test('one item per input item; an id with a slash (from an expression) is refused before any request', async () => {
		const many = await t.run(
			deploymentParams('getDeployment', { deployment: byId('={{ $json.id }}') }),
			{
				items: [{ id: DEPLOYMENT_T2I }, { id: DEPLOYMENT_VIDEO }],
			},
		);
		expect(many.items.map((item) => item.json.name)).toEqual([
			'SDXL Text to Image',
			'Wan FusionX Image to Video',
		]);
		t.emulator.reset();
		const bad = await t.run(
			deploymentParams('getDeployment', { deployment: byId('={{ "../balance" }}') }),
		);
		expect(bad.error?.message).toBe(
			'Deployment must be a deployment ID, without /, ?, #, \\ or spaces, got "../balance"',
		);
		expect(t.emulator.requests).toHaveLength(0);
	});

	test('a deployment of another account: permission denied, in plain words', async () => {
		const result = await t.run(
			deploymentParams('getDeployment', { deployment: byId(DEPLOYMENT_FOREIGN) }),
		);
		expect(result.error?.message).toBe(
			'RunComfy denied permission for this request: You do not have access to this deployment',
		);
	});
});

describe('List Deployments', () => {
	test.each([
		['a bare array', false],
		['wrapped in {deployments}', true],
	])('as %s: one item per own deployment', async (_name, wrapped) => {
		t.emulator.serverless.listWrapped = wrapped;
		const result = await t.run(deploymentParams('listDeployments'), { items: [{}, {}] });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.name)).toEqual(OWN);
		expect(result.items.map((item) => item.json.enabled)).toEqual([true, true, true, false]);
		expect(result.items[0].json).toMatchObject({
			deploymentId: DEPLOYMENT_T2I,
			hardware: ['AMPERE_48'],
		});
		// The API answers them all at once: one call, whatever the number of input items.
		expect(crud('GET').map((request) => request.path)).toEqual(['/prod/v2/deployments']);
	});
});

describe('Create Deployment', () => {
	test('the body as the API names it, with the capacity asked for; the new deployment comes back', async () => {
		const result = await t.run(
			deploymentParams('createDeployment', {
				deploymentName: '  Fox Maker ',
				workflowId: WORKFLOW_T2I,
				workflowVersion: 'v1',
				hardware: 'ADA_48_PLUS',
				capacity: { minInstances: 0, maxInstances: 3, keepWarmSeconds: 30 },
			}),
		);
		expect(result.error).toBeUndefined();
		const [post] = crud('POST');
		expect(post.body).toEqual({
			name: 'Fox Maker',
			workflow_id: WORKFLOW_T2I,
			workflow_version: 'v1',
			hardware: ['ADA_48_PLUS'],
			min_instances: 0,
			max_instances: 3,
			queue_size: 1,
			keep_warm_duration_in_seconds: 30,
		});
		const json = result.items[0].json;
		expect(json).toMatchObject({
			name: 'Fox Maker',
			hardware: ['ADA_48_PLUS'],
			maxInstances: 3,
			enabled: true,
			workflowId: WORKFLOW_T2I,
		});
		expect(t.emulator.serverless.deployment(String(json.deploymentId))?.name).toBe('Fox Maker');
	});

	test('Max Instances below Min Instances is refused before any request', async () => {
		const result = await t.run(
			deploymentParams('createDeployment', {
				deploymentName: 'x',
				workflowId: WORKFLOW_T2I,
				capacity: { minInstances: 3, maxInstances: 1 },
			}),
		);
		expect(result.error?.message).toBe('Max Instances (1) must be at least Min Instances (3)');
		expect(crud('POST')).toHaveLength(0);
	});

	test('a capacity that is not a whole number, or below its minimum, is refused before any request', async () => {
		for (const capacity of [{ minInstances: 1.5 }, { queueSize: 0 }]) {
			const result = await t.run(
				deploymentParams('createDeployment', {
					deploymentName: 'x',
					workflowId: WORKFLOW_T2I,
					capacity,
				}),
			);
			expect(result.error?.message).toMatch(/^(Min Instances|Queue Size) /);
		}
		expect(crud('POST')).toHaveLength(0);
	});

	test('a hardware RunComfy does not offer is refused, naming the field and the choices; nothing is created', async () => {
		const before = t.emulator.serverless.store.all.size;
		const result = await t.run(
			deploymentParams('createDeployment', {
				deploymentName: 'x',
				workflowId: WORKFLOW_T2I,
				hardware: 'H100',
			}),
		);
		expect(result.error?.message).toMatch(/^RunComfy rejected the input: .*hardware/);
		expect(result.error?.message).toContain('AMPERE_48');
		expect(t.emulator.serverless.store.all.size).toBe(before);
	});

	test('an empty Name or Workflow ID is refused before any request', async () => {
		const result = await t.run(
			deploymentParams('createDeployment', { deploymentName: ' ', workflowId: WORKFLOW_T2I }),
		);
		expect(result.error?.message).toBe('Name is required');
		expect(crud('POST')).toHaveLength(0);
	});
});

describe('Update Deployment', () => {
	test('without a new name the current one is read and sent again (the API requires it)', async () => {
		const result = await t.run(
			deploymentParams('updateDeployment', {
				deployment: byId(DEPLOYMENT_VIDEO),
				updateFields: { minInstances: 1, maxInstances: 4 },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(crud('GET').map((request) => request.path)).toEqual([
			`/prod/v2/deployments/${DEPLOYMENT_VIDEO}`,
		]);
		const [patch] = crud('PATCH');
		expect(patch.path).toBe(`/prod/v2/deployments/${DEPLOYMENT_VIDEO}`);
		expect(patch.body).toEqual({
			min_instances: 1,
			max_instances: 4,
			name: 'Wan FusionX Image to Video',
		});
		expect(result.items[0].json).toMatchObject({
			minInstances: 1,
			maxInstances: 4,
			status: 'running',
		});
	});

	test('with a new name and Enabled off: no read, one PATCH; the deployment is disabled', async () => {
		const result = await t.run(
			deploymentParams('updateDeployment', {
				deployment: byId(DEPLOYMENT_T2I),
				updateFields: { enabled: false, name: 'Old Foxes' },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(crud('GET')).toHaveLength(0);
		expect(crud('PATCH').map((request) => request.body)).toEqual([
			{ is_enabled: false, name: 'Old Foxes' },
		]);
		expect(result.items[0].json).toMatchObject({ name: 'Old Foxes', enabled: false });
		expect(t.emulator.serverless.deployment(DEPLOYMENT_T2I)?.is_enabled).toBe(false);
	});

	test('empty Update Fields, or Max below Min, are refused before any request', async () => {
		const empty = await t.run(
			deploymentParams('updateDeployment', { deployment: byId(DEPLOYMENT_T2I), updateFields: {} }),
		);
		expect(empty.error?.message).toBe('Update Fields is empty: add what to change');
		const crossed = await t.run(
			deploymentParams('updateDeployment', {
				deployment: byId(DEPLOYMENT_T2I),
				updateFields: { minInstances: 5, maxInstances: 2 },
			}),
		);
		expect(crossed.error?.message).toBe('Max Instances (2) must be at least Min Instances (5)');
		expect(t.routes('deployments')).toHaveLength(0);
	});

	test('a Min Instances above the current max is passed to RunComfy, whose refusal names both', async () => {
		const result = await t.run(
			deploymentParams('updateDeployment', {
				deployment: byId(DEPLOYMENT_T2I),
				updateFields: { minInstances: 5 },
			}),
		);
		expect(result.error?.message).toBe(
			'RunComfy rejected the input: Validation error: max_instances: max_instances (2) must be greater than or equal to min_instances (5)',
		);
		expect(t.emulator.serverless.deployment(DEPLOYMENT_T2I)?.min_instances).toBe(0);
	});
});

describe('Delete Deployment', () => {
	test('deletes it for good: its queued job fails, and it is gone from the list', async () => {
		t.emulator.scriptNextJobs({ queueMs: 600_000 });
		const submitted = await t.run({
			resource: 'deployment',
			operation: 'submitWorkflow',
			deployment: byId(DEPLOYMENT_T2I),
			inputMode: 'fields',
			workflowInputs: { mappingMode: 'defineBelow', value: {} },
		});
		const requestId = String(submitted.items[0].json.requestId);
		const result = await t.run(
			deploymentParams('deleteDeployment', { deployment: byId(DEPLOYMENT_T2I) }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ deploymentId: DEPLOYMENT_T2I, deleted: true });
		expect(crud('DELETE').map((request) => request.path)).toEqual([
			`/prod/v2/deployments/${DEPLOYMENT_T2I}`,
		]);
		expect(t.emulator.statusOf(requestId)).toBe('failed');
		const list = await t.run(deploymentParams('listDeployments'));
		expect(list.items.map((item) => item.json.name)).toEqual(OWN.slice(1));
		const again = await t.run(
			deploymentParams('getDeployment', { deployment: byId(DEPLOYMENT_T2I) }),
		);
		expect(again.error).toBeDefined();
		expect(description(again.error)).not.toContain('deleted: true');
	});

	test('with Continue On Fail each item is its own call: the unknown one fails, the other is deleted', async () => {
		const result = await t.run(
			deploymentParams('deleteDeployment', { deployment: byId('={{ $json.id }}') }),
			{
				items: [{ id: 'no-such-deployment' }, { id: DEPLOYMENT_VIDEO }],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.error).toEqual(expect.any(String));
		expect(result.items[1].json).toEqual({ deploymentId: DEPLOYMENT_VIDEO, deleted: true });
		expect(t.emulator.serverless.deployment(DEPLOYMENT_VIDEO)?.deletedAt).toBeDefined();
	});
});

describe('object_info is read with the token only on the Account API URL', () => {
	test('on the same origin with the token, on another host without it', async () => {
		await t.run({
			resource: 'deployment',
			operation: 'getDeployment',
			deployment: byId(DEPLOYMENT_T2I),
		});
		const own = t.routes('objectInfo').at(-1)!;
		expect(own.authorization).toBe(`Bearer ${t.emulator.token}`);
		const serverless = t.emulator.serverless;
		const original = serverless.objectInfoUrl.bind(serverless);
		// Another origin naming the same server: no token may go there.
		serverless.objectInfoUrl = (id: string) => original(id).replace('127.0.0.1', 'localhost');
		try {
			const result = await t.run({
				resource: 'deployment',
				operation: 'getDeployment',
				deployment: byId(DEPLOYMENT_T2I),
			});
			expect(result.error).toBeUndefined();
		} finally {
			serverless.objectInfoUrl = original;
		}
		const foreign = t.routes('objectInfo').at(-1)!;
		expect(foreign).not.toBe(own);
		expect(foreign.authorization).toBeUndefined();
	});
});
