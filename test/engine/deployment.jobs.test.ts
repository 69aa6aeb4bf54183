/**
 * Deployment → Submit Job, then the Job resource on that job with its Deployment ID: every call
 * goes to the deployment's own paths on the credential's Account API URL.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEPLOYMENT_T2I, DEPLOYMENT_VIDEO, RunComfyEmulator } from '../emulator/emulator';
import { description, until } from '../harness/wait';
import { jobParams, setUpDeployments, workflowParams } from './deployment.helpers';

const t = setUpDeployments();
const requestPath = (requestId: string, call: string, deploymentId = DEPLOYMENT_T2I) =>
	`/prod/v1/deployments/${deploymentId}/requests/${requestId}/${call}`;

async function submit(deploymentId = DEPLOYMENT_T2I, values: IDataObject = { '6.text': 'a fox' }) {
	const result = await t.run({
		...workflowParams(deploymentId, values),
		operation: 'submitWorkflow',
	});
	expect(result.error).toBeUndefined();
	return result.items[0].json;
}

describe('Submit Job', () => {
	test('returns at once with the request id, the deployment, and where to follow the job', async () => {
		const json = await submit();
		const requestId = String(json.requestId);
		const base = `${t.emulator.baseUrl}/prod/v1/deployments/${DEPLOYMENT_T2I}/requests/${requestId}`;
		expect(json).toEqual({
			requestId: t.jobs()[0].id,
			status: 'in_queue',
			deploymentId: DEPLOYMENT_T2I,
			deploymentName: 'SDXL Text to Image',
			hardware: ['AMPERE_48'],
			statusUrl: `${base}/status`,
			resultUrl: `${base}/result`,
			cancelUrl: `${base}/cancel`,
			checkAgainAt: expect.any(String),
		});
		expect(t.routes('deploymentSubmit')).toHaveLength(1);
		expect(t.routes('deploymentStatus').length + t.routes('deploymentResult').length).toBe(0);
	});
});

describe('the Job resource on a deployment job (Deployment ID set)', () => {
	test('Get Status: the deployment’s status call, with the queue position', async () => {
		t.emulator.scriptNextJobs({ queueMs: 600_000 });
		const { requestId } = await submit();
		const result = await t.run(jobParams('getStatus', String(requestId), DEPLOYMENT_T2I));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			requestId,
			status: 'in_queue',
			queuePosition: 0,
			statusUrl: `${t.emulator.baseUrl}${requestPath(String(requestId), 'status')}`,
		});
		expect(t.routes('deploymentStatus').map((request) => request.path)).toEqual([
			requestPath(String(requestId), 'status'),
		]);
	});

	test('Get Result: the status while queued, every file once done', async () => {
		t.emulator.scriptNextJobs({ queueMs: 600_000 });
		const queued = await submit();
		const early = await t.run(jobParams('getResult', String(queued.requestId), DEPLOYMENT_T2I));
		expect(early.error).toBeUndefined();
		expect(early.items[0].json).toMatchObject({ requestId: queued.requestId, status: 'in_queue' });

		const done = await submit(DEPLOYMENT_VIDEO, {});
		const id = String(done.requestId);
		expect(await until(() => t.emulator.statusOf(id) === 'succeeded')).toBe(true);
		const result = await t.run(jobParams('getResult', id, DEPLOYMENT_VIDEO));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			requestId: id,
			status: 'succeeded',
			videoUrl: expect.stringMatching(/FusionX_00001_\.mp4$/),
			fileUrls: [expect.stringMatching(/\.zip$/), expect.stringMatching(/\.txt$/)],
			text: 'a caption',
		});
		expect(result.items[0].binary).toBeUndefined();
		expect(t.routes('file')).toHaveLength(0);
		expect(t.routes('deploymentResult').at(-1)?.path).toBe(
			requestPath(id, 'result', DEPLOYMENT_VIDEO),
		);
	});

	test('Wait for Completion: waits on the deployment’s result call, then delivers the files', async () => {
		const { requestId } = await submit();
		const id = String(requestId);
		const result = await t.run(jobParams('waitForCompletion', id, DEPLOYMENT_T2I));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			requestId: id,
			status: 'succeeded',
			imageUrl: expect.stringContaining(`/files/${id}/ComfyUI_00001_.png`),
			files: [expect.objectContaining({ nodeId: '9', channel: 'images', kind: 'image' })],
		});
		expect(new Set(t.routes('deploymentResult').map((request) => request.path))).toEqual(
			new Set([requestPath(id, 'result')]),
		);
		expect(t.emulator.count('result') + t.emulator.count('status')).toBe(0);
	});

	test('Wait for Completion on a job that failed: the error, with its request id', async () => {
		t.emulator.scriptNextJobs({ outcome: 'failed', error: 'node 3 crashed', errorShape: 'array' });
		const { requestId } = await submit();
		const result = await t.run(jobParams('waitForCompletion', String(requestId), DEPLOYMENT_T2I));
		expect(result.error?.message).toBe('The RunComfy job failed: EXECUTION_ERROR: node 3 crashed');
		expect(description(result.error)).toContain(`Request ID: ${requestId}`);
	});

	test('Check Job: finished jobs to Completed, the others to Still Running', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 0 }, { queueMs: 600_000 });
		const done = await submit();
		const queued = await submit();
		expect(await until(() => t.emulator.statusOf(String(done.requestId)) === 'succeeded')).toBe(
			true,
		);
		const result = await t.run(jobParams('checkJob', '={{ $json.id }}', DEPLOYMENT_T2I), {
			items: [{ id: done.requestId }, { id: queued.requestId }],
		});
		expect(result.error).toBeUndefined();
		const [completed, running] = result.outputs;
		expect(completed.map((item) => [item.json.requestId, item.json.status])).toEqual([
			[done.requestId, 'succeeded'],
		]);
		expect(completed[0].json.imageUrl).toEqual(expect.stringContaining('/files/'));
		expect(running.map((item) => [item.json.requestId, item.json.status])).toEqual([
			[queued.requestId, 'in_queue'],
		]);
		expect(running[0].json.checkAgainAt).toEqual(expect.any(String));
	});

	test('Cancel a queued job: it ends cancelled', async () => {
		t.emulator.scriptNextJobs({ queueMs: 600_000 });
		const { requestId } = await submit();
		const id = String(requestId);
		const result = await t.run(jobParams('cancel', id, DEPLOYMENT_T2I));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ requestId: id, status: 'cancellation_requested' });
		expect(t.routes('deploymentCancel').map((request) => request.path)).toEqual([
			requestPath(id, 'cancel'),
		]);
		expect(t.emulator.statusOf(id)).toBe('cancelled');
	});

	test('Cancel a running job: cancellation_requested, and it may run (and bill) until it ends', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 600_000, cancelRunMs: 600_000 });
		const { requestId } = await submit();
		const id = String(requestId);
		expect(await until(() => t.emulator.statusOf(id) === 'in_progress')).toBe(true);
		const result = await t.run(jobParams('cancel', id, DEPLOYMENT_T2I));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			requestId: id,
			outcome: 'cancellation_requested',
			cancelled: false,
			status: 'cancellation_requested',
			message:
				'RunComfy was asked to cancel it (cancellation_requested): a queued job ends there; one already running may keep running, and billing, until it ends.',
		});
		const job = t.emulator.serverless.jobs.get(id)!;
		expect(job.cancelRequestedAt).toBeDefined();
		expect(t.emulator.statusOf(id)).toBe('in_progress');
	});

	test('Cancel a finished job: not cancellable', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 0 });
		const { requestId } = await submit();
		const id = String(requestId);
		expect(await until(() => t.emulator.statusOf(id) === 'succeeded')).toBe(true);
		const result = await t.run(jobParams('cancel', id, DEPLOYMENT_T2I));
		expect(result.items[0].json).toMatchObject({
			requestId: id,
			outcome: 'not_cancellable',
			cancelled: false,
		});
	});

	test('without the Deployment ID the job is looked for on the Model API, which does not know it', async () => {
		const { requestId } = await submit();
		const result = await t.run(jobParams('getStatus', String(requestId), ''));
		expect(result.error?.message).toMatch(/^RunComfy does not know this request id/);
		expect(t.routes('status').map((request) => request.path)).toEqual([
			`/v1/requests/${requestId}/status`,
		]);
		expect(t.routes('deploymentStatus')).toHaveLength(0);
	});

	test('the job under another deployment is not found; a Deployment ID with a slash is refused unsent', async () => {
		const { requestId } = await submit();
		const other = await t.run(jobParams('getStatus', String(requestId), DEPLOYMENT_VIDEO));
		expect(other.error?.message).toMatch(/Request not found/);
		const before = t.emulator.requests.length;
		const bad = await t.run(jobParams('getStatus', String(requestId), `${DEPLOYMENT_T2I}/../x`));
		expect(bad.error?.message).toBe(
			`Deployment ID can't contain /, ?, #, \\ or spaces, got "${DEPLOYMENT_T2I}/../x"`,
		);
		expect(t.emulator.requests.length).toBe(before);
	});
});

describe('the Account API URL', () => {
	const modelApi = new RunComfyEmulator();
	beforeAll(async () => await modelApi.start());
	beforeEach(() => modelApi.reset());
	afterAll(async () => await modelApi.stop());

	test('deployment calls and their jobs go there, never to the Base URL', async () => {
		const credentials = { ...t.credentials(), baseUrl: modelApi.baseUrl };
		const ran = await t.run(workflowParams(DEPLOYMENT_T2I, { '6.text': 'a fox' }), { credentials });
		expect(ran.error).toBeUndefined();
		const submitted = await t.run(
			{ ...workflowParams(DEPLOYMENT_T2I, {}), operation: 'submitWorkflow' },
			{ credentials },
		);
		const id = String(submitted.items[0].json.requestId);
		const waited = await t.run(jobParams('waitForCompletion', id, DEPLOYMENT_T2I), { credentials });
		expect(waited.error).toBeUndefined();
		expect(modelApi.requests).toHaveLength(0);
		expect(t.emulator.requests.map((request) => request.route)).toEqual(
			expect.arrayContaining(['deployments', 'objectInfo', 'deploymentSubmit', 'deploymentResult']),
		);
		expect(
			t.emulator.requests.every(
				(request) => request.authorization === `Bearer ${t.emulator.token}`,
			),
		).toBe(true);
	});
});
