/**
 * The engine's promises on the deployment path, checked from the emulator's request log: a batch
 * is waited for together, no item is paid for twice whatever Retry On Fail and On Error say, Stop
 * leaves no job behind, and the spending guards refuse before any submit.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { FOLLOW_AFTER_STOP } from '../../nodes/shared/jobs/createdJobs';
import { DEPLOYMENT_T2I, DEPLOYMENT_VIDEO } from '../emulator/emulator';
import { recordLogs } from '../harness/logs';
import { description, until } from '../harness/wait';
import { byId, setUpDeployments, workflowParams } from './deployment.helpers';

const t = setUpDeployments();
const submits = () => t.routes('deploymentSubmit');
/** The prompt (node 6's text) a submit carried: it names the item. */
const textOf = (body: unknown): string => {
	const overrides = (body as { overrides?: Record<string, { inputs?: IDataObject }> } | undefined)
		?.overrides;
	return String(overrides?.['6']?.inputs?.text ?? '');
};
const promptParams = (extra: IDataObject = {}) =>
	workflowParams(DEPLOYMENT_T2I, { '6.text': '={{ $json.p }}' }, extra);
const items = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ p: `item ${index}` }));

describe('a batch is waited for together', () => {
	test('three items: three submits, then one result look each and no status calls', async () => {
		const result = await t.run(promptParams(), { items: items(3) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual([
			'succeeded',
			'succeeded',
			'succeeded',
		]);
		expect(submits()).toHaveLength(3);
		const ids = t.jobs().map((job) => job.id);
		expect(
			t
				.routes('deploymentResult')
				.map((request) => request.requestId)
				.sort(),
		).toEqual([...ids].sort());
		expect(t.routes('deploymentStatus')).toHaveLength(0);
		// Every submit went out before the first look: the jobs ran side by side.
		const calls = t.emulator.requests
			.map((request) => request.route)
			.filter((route) => route.startsWith('deployment'));
		expect(calls.lastIndexOf('deploymentSubmit')).toBeLessThan(calls.indexOf('deploymentResult'));
		expect(result.hints).toContainEqual(
			expect.objectContaining({ message: '3 RunComfy jobs, no cost reported' }),
		);
	});

	test('items on two deployments: each deployment read once, all jobs waited for together', async () => {
		const result = await t.run(
			{ ...workflowParams('', {}), deployment: byId('={{ $json.d }}') },
			{ items: [{ d: DEPLOYMENT_T2I }, { d: DEPLOYMENT_VIDEO }, { d: DEPLOYMENT_T2I }] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.deploymentId)).toEqual([
			DEPLOYMENT_T2I,
			DEPLOYMENT_VIDEO,
			DEPLOYMENT_T2I,
		]);
		expect(result.items.map((item) => Boolean(item.json.videoUrl))).toEqual([false, true, false]);
		expect(
			t
				.routes('deployments')
				.map((request) => request.deploymentId)
				.sort(),
		).toEqual([DEPLOYMENT_T2I, DEPLOYMENT_VIDEO].sort());
		expect(submits().map((request) => request.deploymentId)).toEqual([
			DEPLOYMENT_T2I,
			DEPLOYMENT_T2I,
			DEPLOYMENT_VIDEO,
		]);
		expect(t.routes('deploymentResult')).toHaveLength(3);
	});
});

describe('Retry On Fail × On Error: one job per item, across all tries', () => {
	const RETRIES: Array<Partial<INode>> = [
		{ retryOnFail: false },
		{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
	];
	const ON_ERROR: Array<INode['onError']> = [
		'stopWorkflow',
		'continueRegularOutput',
		'continueErrorOutput',
	];
	const cases = RETRIES.flatMap((retry) => ON_ERROR.map((onError) => ({ ...retry, onError })));

	test.each(cases)('%j', async (settings) => {
		// Item 1's job fails every time it runs; the others succeed.
		t.emulator.onSubmit = (body) =>
			textOf(body) === 'item 1' ? { outcome: 'failed', error: 'scripted failure' } : {};
		const result = await t.run(promptParams(), { items: items(3), settings });
		const byPrompt = new Map<string, number>();
		for (const request of submits()) {
			const prompt = textOf(request.body);
			byPrompt.set(prompt, (byPrompt.get(prompt) ?? 0) + 1);
		}
		expect(Object.fromEntries(byPrompt)).toEqual({ 'item 0': 1, 'item 1': 1, 'item 2': 1 });
		expect(t.jobs()).toHaveLength(3);
		const failedId = t.jobs().find((job) => textOf(job.body) === 'item 1')!.id;
		if (settings.onError === 'stopWorkflow') {
			expect(result.error?.message).toBe(
				'The RunComfy job failed: execution_error: scripted failure',
			);
			expect(description(result.error)).toContain(`Request ID: ${failedId}`);
		} else if (settings.onError === 'continueRegularOutput') {
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json.error ?? item.json.status)).toEqual([
				'succeeded',
				'The RunComfy job failed: execution_error: scripted failure',
				'succeeded',
			]);
			expect(result.items[1].json.requestId).toBe(failedId);
		} else {
			expect(result.error).toBeUndefined();
			const [ok, failed] = result.outputs;
			expect(ok.map((item) => item.json.status)).toEqual(['succeeded', 'succeeded']);
			expect(failed).toHaveLength(1);
			expect(failed[0].json.error).toMatchObject({
				message: 'The RunComfy job failed: execution_error: scripted failure',
				requestId: failedId,
			});
			expect(failed[0].pairedItem).toEqual({ item: 1 });
		}
	});
});

describe('Stop leaves no job behind', () => {
	test('queued jobs are cancelled at the Stop', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 600_000 });
		const result = await t.run(promptParams(), {
			items: items(2),
			onStarted: (cancel) =>
				void until(
					() => submits().length === 2 && submits().every((request) => request.status === 200),
				).then(cancel),
		});
		expect(result.run.status).toBe('canceled');
		expect(await until(() => t.routes('deploymentCancel').length === 2)).toBe(true);
		expect(t.jobs().map((job) => job.status)).toEqual(['cancelled', 'cancelled']);
		expect(
			t
				.routes('deploymentCancel')
				.map((request) => request.path)
				.sort(),
		).toEqual(
			t
				.jobs()
				.map((job) => `/prod/v1/deployments/${DEPLOYMENT_T2I}/requests/${job.id}/cancel`)
				.sort(),
		);
	});

	test('a running job is asked to stop: cancellation_requested is recorded and logged', async () => {
		// It keeps running: followed for a moment only, then the log says it may still bill.
		FOLLOW_AFTER_STOP.ms = 600;
		t.emulator.onSubmit = () => ({ queueMs: 0, durationMs: 600_000, cancelRunMs: 600_000 });
		const lines: string[] = [];
		let result: Awaited<ReturnType<typeof t.run>> | undefined;
		await recordLogs(async () => {
			result = await t.run(promptParams(), {
				items: items(1),
				onStarted: (cancel) => void until(() => t.jobs()[0]?.status === 'in_progress').then(cancel),
			});
			await until(() => t.routes('deploymentCancel').every((request) => request.status !== 0));
		}, lines);
		expect(result?.run.status).toBe('canceled');
		expect(t.routes('deploymentCancel')).toHaveLength(1);
		const [job] = t.jobs();
		expect(job.cancelRequestedAt).toBeDefined();
		expect(job.cancelled).toBe(false);
		expect(lines.join('\n')).toMatch(
			new RegExp(`RunComfy job ${job.id}: execution stopped, cancellation requested`),
		);
		await until(() => lines.some((line) => /after the Stop; it may still be billing/.test(line)));
		FOLLOW_AFTER_STOP.ms = 10 * 60_000;
	});

	test('a job asked to stop is followed until it ends, and the log says how it ended', async () => {
		FOLLOW_AFTER_STOP.everyMs = 20;
		t.emulator.onSubmit = () => ({ queueMs: 0, durationMs: 600_000, cancelRunMs: 300 });
		const lines: string[] = [];
		await recordLogs(async () => {
			await t.run(promptParams(), {
				items: items(1),
				onStarted: (cancel) => void until(() => t.jobs()[0]?.status === 'in_progress').then(cancel),
			});
			await until(() => lines.some((line) => /after the Stop it ran/.test(line)));
		}, lines);
		FOLLOW_AFTER_STOP.everyMs = 5_000;
		const [job] = t.jobs();
		expect(lines.join('\n')).toMatch(
			new RegExp(`RunComfy job ${job.id}: after the Stop it ran \\d+ s more and ended cancelled`),
		);
		const cancelAt = t.routes('deploymentCancel')[0].at;
		expect(
			t.routes('deploymentStatus').filter((request) => request.at >= cancelAt).length,
		).toBeGreaterThan(0);
	});

	test('submits on the wire at the Stop finish, and their jobs are cancelled; nothing more is sent', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 600_000 });
		const release = t.emulator.holdAnswers('deploymentSubmit');
		const result = await t.run(promptParams({ options: { pollInterval: 1, maxConcurrency: 2 } }), {
			items: items(5),
			onStarted: (cancel) =>
				void until(() => t.jobs().length === 2).then(() => {
					cancel();
					release();
				}),
		});
		expect(result.run.status).toBe('canceled');
		expect(await until(() => t.routes('deploymentCancel').length === 2)).toBe(true);
		expect(submits()).toHaveLength(2);
		expect(t.jobs().map((job) => job.status)).toEqual(['cancelled', 'cancelled']);
	});
});

describe('the spending guards refuse before any submit', () => {
	test('Max Jobs per Execution', async () => {
		const result = await t.run(promptParams({ options: { pollInterval: 1, maxJobs: 2 } }), {
			items: items(3),
		});
		expect(result.error?.message).toBe(
			'This run would submit 3 paid jobs, more than Max Jobs per Execution (2)',
		);
		expect(description(result.error)).toMatch(/^Nothing was submitted/);
		expect(submits()).toHaveLength(0);
	});

	test('Max Estimated Spend set: refused, saying the deployment has no per-job price', async () => {
		const result = await t.run(promptParams({ options: { pollInterval: 1, maxSpend: 5 } }), {
			items: items(2),
		});
		expect(result.error?.message).toBe(
			"This run's cost cannot be estimated, and Max Estimated Spend ($5.00) is set",
		);
		expect(description(result.error)).toContain(
			`Deployment ${DEPLOYMENT_T2I} bills per GPU-second while its instances run`,
		);
		expect(description(result.error)).toContain('Set Max Estimated Spend to 0');
		expect(submits()).toHaveLength(0);
		expect(t.emulator.count('balance')).toBe(0);
	});

	test('Max Estimated Spend 0 means no limit', async () => {
		const result = await t.run(promptParams({ options: { pollInterval: 1, maxSpend: 0 } }), {
			items: items(1),
		});
		expect(result.error).toBeUndefined();
		expect(submits()).toHaveLength(1);
	});

	test('Check Balance First reads the balance on the Account API URL; with no estimate it runs and says so', async () => {
		const result = await t.run(promptParams({ options: { pollInterval: 1, checkBalance: true } }), {
			items: items(2),
		});
		expect(result.error).toBeUndefined();
		expect(t.routes('balance').map((request) => request.path)).toEqual(['/prod/v2/balance']);
		const calls = t.emulator.requests.map((request) => request.route);
		expect(calls.indexOf('balance')).toBeLessThan(calls.indexOf('deploymentSubmit'));
		expect(result.hints).toContainEqual(
			expect.objectContaining({
				type: 'warning',
				message: "Balance $100.00; the run's cost could not be estimated, so it was not compared.",
			}),
		);
		expect(submits()).toHaveLength(2);
	});

	test('Check Balance First with an unreadable balance stops the run before any submit', async () => {
		t.emulator.addFault({ route: 'balance', status: 401, body: { error_code: 401001 }, times: 10 });
		const result = await t.run(promptParams({ options: { pollInterval: 1, checkBalance: true } }));
		expect(result.error?.message).toMatch(/^Could not read the RunComfy balance/);
		expect(description(result.error)).toContain('Account API URL');
		expect(submits()).toHaveLength(0);
	});

	test('an empty balance with Check Balance First: refused before any submit', async () => {
		t.emulator.balanceUsd = 0;
		const result = await t.run(promptParams({ options: { pollInterval: 1, checkBalance: true } }));
		expect(result.error?.message).toBe('Your RunComfy balance is $0.00: nothing can be paid for');
		expect(submits()).toHaveLength(0);
	});

	test('an empty balance without the check: the submit is refused (10001) and no job exists', async () => {
		t.emulator.balanceUsd = 0;
		const result = await t.run(promptParams({ options: { pollInterval: 1 } }));
		expect(result.error?.message).toBe(
			'Your RunComfy balance is too low to run this job: Insufficient funds',
		);
		expect(t.jobs()).toHaveLength(0);
	});
});

describe('object_info unreadable', () => {
	test('the run goes ahead with types from the workflow, and its hint says so', async () => {
		t.emulator.serverless.objectInfoAccess = 'missing';
		const result = await t.run(promptParams({ options: { pollInterval: 1 } }), { items: items(1) });
		t.emulator.serverless.objectInfoAccess = 'open';
		expect(result.error).toBeUndefined();
		expect(result.hints).toContainEqual(
			expect.objectContaining({
				type: 'warning',
				message: expect.stringMatching(/object_info\) could not be read for deployment/),
			}),
		);
	});
});
