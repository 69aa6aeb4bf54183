/**
 * Deployment jobs, what goes wrong and how it is said: input refused before anything is paid
 * (each message names the field as the user sees it, and the emulator saw no submit), refusals
 * of the submit itself (no job, so no request id), and jobs that end badly (always with their
 * request id).
 */
import type { IDataObject } from 'n8n-workflow';

import {
	DEPLOYMENT_DISABLED,
	DEPLOYMENT_FOREIGN,
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
	TINY_PNG,
} from '../emulator/emulator';
import { description } from '../harness/wait';
import {
	errorText,
	serveExactObjectInfo,
	setUpDeployments,
	workflowParams,
} from './deployment.helpers';

const t = setUpDeployments();
const submits = () => t.routes('deploymentSubmit');
const NOTHING_SENT = 'Nothing was submitted to RunComfy for this item.';

describe('refused before anything is paid', () => {
	beforeEach(() => serveExactObjectInfo(t.emulator, DEPLOYMENT_T2I));

	const refused = async (parameters: IDataObject) => {
		const result = await t.run(parameters);
		expect(result.error).toBeDefined();
		expect(description(result.error)).toContain(NOTHING_SENT);
		expect(submits()).toHaveLength(0);
		expect(t.jobs()).toHaveLength(0);
		return result.error!.message;
	};

	test('an INT or FLOAT out of its range, or a fraction for a whole number, each named by its label', async () => {
		expect(await refused(workflowParams(DEPLOYMENT_T2I, { '3.steps': 0, '5.width': 2.5 }))).toBe(
			'KSampler › steps (node 3) must be between 1 and 10000, got 0; Empty Latent Image › width (node 5) must be a whole number between 16 and 16384, got 2.5',
		);
		expect(await refused(workflowParams(DEPLOYMENT_T2I, { '3.cfg': 101 }))).toBe(
			'KSampler › cfg (node 3) must be between 0 and 100, got 101',
		);
	});

	test('a 64-bit seed past 2^64 − 1, or not a whole number', async () => {
		expect(
			await refused(workflowParams(DEPLOYMENT_T2I, { '3.seed': '18446744073709551616' })),
		).toBe(
			'KSampler › seed (node 3) must be between 0 and 18446744073709551615, got "18446744073709551616"',
		);
		expect(await refused(workflowParams(DEPLOYMENT_T2I, { '3.seed': 'lucky' }))).toMatch(
			/^KSampler › seed \(node 3\) must be a whole number between 0 and 18446744073709551615/,
		);
	});

	test('a value not among a COMBO input’s options', async () => {
		expect(await refused(workflowParams(DEPLOYMENT_T2I, { '3.sampler_name': 'nope' }))).toBe(
			'KSampler › sampler_name (node 3) must be one of "euler", "euler_ancestral", "dpmpp_2m", "dpmpp_2m_sde" or "uni_pc", got "nope"',
		);
	});

	test('a file input given something that is neither a URL nor a data: URI', async () => {
		const message = await refused(workflowParams(DEPLOYMENT_VIDEO, { '10.image': 'example.png' }));
		expect(message).toMatch(
			/^Start Frame › image \(node 10\) must be an http\(s\) URL or a data: URI/,
		);
	});

	test('Additional Overrides naming a node, or an input, the workflow lacks, or a link', async () => {
		const extra = (additionalOverrides: string) =>
			workflowParams(DEPLOYMENT_T2I, {}, { additionalOverrides });
		expect(await refused(extra('{"99": {"inputs": {"text": "x"}}}'))).toBe(
			`Additional Overrides names node "99", which the deployment's workflow does not have; its nodes are 3, 4, 5, 6, 7, 8, 9`,
		);
		expect(await refused(extra('{"6": {"inputs": {"txt": "x"}}}'))).toBe(
			'Additional Overrides names input "txt" of node 6 (CLIPTextEncode), which it does not have; its inputs are text, clip',
		);
		expect(await refused(extra('{"6": {"inputs": {"clip": "x"}}}'))).toBe(
			'Additional Overrides can\'t set "clip" of node 6 (CLIPTextEncode): it is a link from node 4, not a value',
		);
		expect(await refused(extra('{"3": {"inputs": {"steps": 0}}}'))).toBe(
			'Additional Overrides: KSampler › steps (node 3) must be between 1 and 10000, got 0',
		);
		expect(await refused(extra('{"6": '))).toMatch(/^Additional Overrides is not valid JSON/);
	});

	test('Additional Overrides setting what a mapped field sets: keep one', async () => {
		const message = await refused(
			workflowParams(
				DEPLOYMENT_T2I,
				{ '6.text': 'a fox' },
				{ additionalOverrides: '{"6": {"inputs": {"text": "a hare"}}}' },
			),
		);
		expect(message).toBe(
			'Additional Overrides sets Positive Prompt › text (node 6), which the Inputs above set too: keep one',
		);
	});

	test('a Workflow JSON that is not JSON, in the UI format, or with a broken link', async () => {
		const inline = (workflowJson: string) =>
			workflowParams(DEPLOYMENT_T2I, null, { inputMode: 'workflowJson', workflowJson });
		expect(await refused(inline('{"3": {'))).toMatch(/^Workflow JSON is not valid JSON/);
		expect(await refused(inline('{"nodes": [], "links": []}'))).toBe(
			'Workflow JSON is in ComfyUI\'s UI format (a list of nodes and links); the API takes the API format: export it from ComfyUI with "Export (API)"',
		);
		expect(
			await refused(
				inline(
					'{"8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}}}',
				),
			),
		).toBe(
			'Workflow JSON has a broken link: "samples" of node "8" links to node "3", which the workflow does not have; "vae" of node "8" links to node "4", which the workflow does not have',
		);
		expect(await refused(inline(''))).toMatch(/^Workflow JSON is empty/);
	});

	test('with Continue On Fail only the bad item fails; the others run', async () => {
		const result = await t.run(
			workflowParams(DEPLOYMENT_T2I, { '3.steps': '={{ $json.steps }}' }),
			{
				items: [{ steps: 4 }, { steps: 0 }, { steps: 8 }],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.error ?? item.json.status)).toEqual([
			'succeeded',
			'KSampler › steps (node 3) must be between 1 and 10000, got 0',
			'succeeded',
		]);
		expect(result.items[1].json.requestId).toBeUndefined();
		expect(submits().map((request) => (request.body as IDataObject).overrides)).toEqual([
			{ '3': { inputs: { steps: 4 } } },
			{ '3': { inputs: { steps: 8 } } },
		]);
	});

	// Node bug: nodes/RunComfy/helpers/workflowInput.ts:87 filters the mapper's values through
	// filterKnown() (meant for auto-mapping) also under "Map Each Column Below", so a field the
	// deployment no longer has is dropped silently and buildOverrides' "refresh the inputs list"
	// check (nodes/shared/workflow/overrides.ts:33) never fires: the job is paid for without it.
	test('a mapped field the deployment does not have (a stale list) is refused, not dropped', async () => {
		const result = await t.run(
			workflowParams(DEPLOYMENT_T2I, { '99.text': 'a fox', '6.text': 'a hare' }),
		);
		expect(result.error?.message).toMatch(/"99\.text", which this deployment does not take/);
		expect(submits()).toHaveLength(0);
	});

	// Node bug: same line. A Binary Input naming a node the workflow lacks is dropped silently; the
	// job runs (and bills) without the user's file.
	test('a Binary Input for a node the workflow lacks is refused, not dropped', async () => {
		const result = await t.run(
			workflowParams(
				DEPLOYMENT_VIDEO,
				{},
				{
					workflowBinaryInputs: {
						input: [{ nodeId: '99', inputName: 'image', binaryProperty: 'data' }],
					},
				},
			),
			{
				binary: [
					{
						property: 'data',
						base64: TINY_PNG.toString('base64'),
						mimeType: 'image/png',
						fileName: 'a.png',
					},
				],
			},
		);
		expect(result.error?.message).toMatch(/99/);
		expect(submits()).toHaveLength(0);
	});
});

describe('refused at the submit: no job, so no request id', () => {
	test('a disabled deployment (10002)', async () => {
		const result = await t.run(workflowParams(DEPLOYMENT_DISABLED, { '6.text': 'x' }));
		expect(result.error?.message).toBe(
			'This RunComfy deployment is disabled or deleted: Deployment is disabled',
		);
		expect(description(result.error)).toMatch(/Enable the deployment.*No job was created\./);
		expect(errorText(result.error)).not.toMatch(/Request ID/);
		expect(submits().map((request) => request.status)).toEqual([400]);
		expect(t.jobs()).toHaveLength(0);
	});

	test('insufficient funds (10001): no further item is sent', async () => {
		t.emulator.serverless.insufficientFunds = true;
		const result = await t.run(
			workflowParams(DEPLOYMENT_T2I, {}, { options: { maxConcurrency: 1 } }),
			{
				items: [{}, {}, {}],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Your RunComfy balance is too low to run this job: Insufficient funds',
			expect.stringMatching(/balance/),
			expect.stringMatching(/balance/),
		]);
		expect(result.items.every((item) => item.json.requestId === undefined)).toBe(true);
		expect(submits()).toHaveLength(1);
	});

	test('a deployment of another account (403003): refused when it is read, before any submit', async () => {
		const result = await t.run(workflowParams(DEPLOYMENT_FOREIGN, { '6.text': 'x' }));
		expect(result.error?.message).toBe(
			'RunComfy denied permission for this request: You do not have access to this deployment',
		);
		expect(description(result.error)).toMatch(/deployment of another account/);
		expect(errorText(result.error)).not.toMatch(/Request ID/);
		expect(submits()).toHaveLength(0);
	});

	// Node bug: nodes/shared/transport/guidance.ts:28 has one wording for every 404001, so a
	// deployment id RunComfy does not know is reported as "RunComfy does not know this request id"
	// and the user is sent to "the Request ID field", which Run Workflow does not have.
	test('a deployment id RunComfy does not know is named as a deployment, not a request id', async () => {
		const result = await t.run(workflowParams('no-such-deployment', { '6.text': 'x' }));
		expect(result.error).toBeDefined();
		expect(errorText(result.error)).not.toMatch(/request id/i);
		expect(errorText(result.error)).toMatch(/deployment/i);
	});

	test('an error answered with HTTP 200 and an error_code is an error, whatever its message key', async () => {
		for (const messageKey of ['error_message', 'message', 'error'] as const) {
			t.emulator.reset();
			t.emulator.serverless.errorsAsHttp200 = true;
			t.emulator.serverless.messageKey = messageKey;
			const result = await t.run(workflowParams(DEPLOYMENT_DISABLED, {}));
			expect(result.error?.message).toBe(
				'This RunComfy deployment is disabled or deleted: Deployment is disabled',
			);
			expect(submits().map((request) => request.status)).toEqual([200]);
		}
	});

	test("RunComfy's own validation (a 422 with details) is passed on, naming the field", async () => {
		t.emulator.serverless.messageKey = 'detail';
		const result = await t.run(
			workflowParams(DEPLOYMENT_T2I, null, {
				inputMode: 'flat',
				flatInputs: '{"prompt": "a fox"}',
			}),
		);
		expect(result.error?.message).toBe(
			"RunComfy rejected the input: Either 'overrides' or 'workflow_api_json' is required",
		);
		expect(t.jobs()).toHaveLength(0);
	});
});

describe('a job that ends badly: its request id is always given', () => {
	const runFour = async () =>
		await t.run(workflowParams(DEPLOYMENT_T2I, {}), {
			items: [{}, {}, {}, {}],
			settings: { onError: 'continueRegularOutput' },
		});

	test('failed (both error shapes), cancelled (both spellings): one message each', async () => {
		t.emulator.scriptNextJobs(
			{ outcome: 'failed', error: 'CUDA out of memory' },
			{ outcome: 'failed', error: 'CUDA out of memory', errorShape: 'array' },
			{ outcome: 'cancelled' },
			{ outcome: 'canceled' },
		);
		const result = await runFour();
		const ids = t.jobs().map((job) => job.id);
		expect(result.items.map((item) => [item.json.error, item.json.requestId])).toEqual([
			['The RunComfy job failed: execution_error: CUDA out of memory', ids[0]],
			['The RunComfy job failed: EXECUTION_ERROR: CUDA out of memory', ids[1]],
			['The RunComfy job was cancelled', ids[2]],
			['The RunComfy job was cancelled', ids[3]],
		]);
		expect(result.items.map((item) => item.json.status)).toEqual([
			'failed',
			'failed',
			'cancelled',
			'canceled',
		]);
		for (const [index, item] of result.items.entries()) {
			expect(String(item.json.description)).toContain(`Request ID: ${ids[index]}`);
		}
	});

	test('without Continue On Fail the first failure stops the node, listing every job of the run', async () => {
		t.emulator.scriptNextJobs({ outcome: 'failed', error: 'bad LoRA' });
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, {}));
		const [id] = t.jobs().map((job) => job.id);
		expect(result.error?.message).toBe('The RunComfy job failed: execution_error: bad LoRA');
		expect(description(result.error)).toContain(`Request ID: ${id}`);
		expect(description(result.error)).toContain(
			`Jobs created in this run: item 0: ${id} (failed, failed)`,
		);
	});

	test('a status RunComfy does not document is reported after a few looks, not looped on', async () => {
		t.emulator.scriptNextJobs({ outcome: 'paused_for_review' });
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, {}));
		const [id] = t.jobs().map((job) => job.id);
		expect(result.error?.message).toBe(
			'RunComfy reported an unknown status "paused_for_review" for this job',
		);
		expect(description(result.error)).toContain(`Request ID: ${id}`);
		expect(t.routes('deploymentResult').length).toBeGreaterThanOrEqual(3);
		expect(t.routes('deploymentCancel')).toHaveLength(0);
	});

	test('a timeout: one last look, then the queued job is cancelled; the error names it', async () => {
		t.emulator.scriptNextJobs({ queueMs: 600_000 });
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, {}, { options: { timeout: 2 } }));
		const [id] = t.jobs().map((job) => job.id);
		expect(result.error?.message).toBe(
			'The job did not finish within the timeout of 2 s (last status: in_queue)',
		);
		expect(description(result.error)).toContain(`Request ID: ${id}`);
		expect(description(result.error)).toContain('Wait for Completion');
		// The last look comes right before the cancel, and nothing after it.
		const calls = t.emulator.requests.map((request) => request.route);
		expect(calls.slice(-2)).toEqual(['deploymentResult', 'deploymentCancel']);
		expect(t.routes('deploymentCancel')[0].path).toBe(
			`/prod/v1/deployments/${DEPLOYMENT_T2I}/requests/${id}/cancel`,
		);
		expect(t.emulator.statusOf(id)).toBe('cancelled');
	});

	test('a timeout with Cancel on Timeout off leaves the job running and says how to resume', async () => {
		t.emulator.scriptNextJobs({ queueMs: 600_000 });
		const result = await t.run(
			workflowParams(DEPLOYMENT_T2I, {}, { options: { timeout: 1, cancelOnTimeout: false } }),
		);
		const [id] = t.jobs().map((job) => job.id);
		expect(result.error?.message).toMatch(/^The job did not finish within the timeout of 1 s/);
		expect(description(result.error)).toContain(`Request ID: ${id}`);
		expect(t.routes('deploymentCancel')).toHaveLength(0);
		expect(t.emulator.statusOf(id)).toBe('in_queue');
	});
});

describe('status spellings', () => {
	test.each(['succeeded', 'completed'])(
		'a job that ends "%s" is delivered',
		async (successStatus) => {
			t.emulator.serverless.successStatus = successStatus;
			const result = await t.run(workflowParams(DEPLOYMENT_T2I, {}));
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({
				status: successStatus,
				imageUrl: expect.stringMatching(/ComfyUI_00001_\.png$/),
			});
		},
	);

	test('a success whose outputs hold neither a file nor data fails with its request id', async () => {
		t.emulator.scriptNextJobs({ outputs: {} });
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, {}));
		const [id] = t.jobs().map((job) => job.id);
		expect(result.error?.message).toBe('The job finished but its output holds no file URL');
		expect(description(result.error)).toContain(id);
	});

	test('a success with text outputs only is a result', async () => {
		t.emulator.scriptNextJobs({ outputs: { '70': { text: [['only words']] } } });
		const result = await t.run(workflowParams(DEPLOYMENT_T2I, {}));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ text: 'only words', files: [] });
	});
});
