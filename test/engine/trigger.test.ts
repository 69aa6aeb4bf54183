/**
 * The RunComfy Trigger (On Job Finished): every callback is answered at once, then the job is
 * read with the credential; a job that really ended is emitted once, whatever RunComfy (or
 * anyone else) sends, however often and in whatever order.
 */
import { setUpTrigger } from './trigger.helpers';

const t = setUpTrigger();
beforeEach(() => t.configure());

describe('RunComfy Trigger', () => {
	test('a finished job is emitted once, as Run Workflow outputs it, with its files', async () => {
		t.configure({ options: { download: true } });
		const requestId = await t.submit();
		expect(await t.settled(requestId, 1)).toBe(true);
		expect(t.emittedIds()).toEqual([requestId]);
		const [item] = t.hook.emitted;
		expect(item.json).toMatchObject({ requestId, status: 'succeeded' });
		expect(typeof item.json.deploymentId).toBe('string');
		expect(item.json.error).toBeUndefined();
		expect(item.binary?.data?.mimeType).toMatch(/^image\//);
		expect(t.hook.calls[0].answeredEarly).toBe(true);
		expect(t.results(requestId)).toBe(1);
	});

	test('the same delivery twice emits once, and the repeat reads nothing', async () => {
		const requestId = await t.submit({ webhook: { twice: true } });
		expect(await t.settled(requestId, 2)).toBe(true);
		expect(t.emittedIds()).toEqual([requestId]);
		expect(t.results(requestId)).toBe(1);
		expect(t.hook.staticData.emitted).toEqual([requestId]);
	});

	test('an in_progress event after the final one emits nothing more', async () => {
		const requestId = await t.submit({ webhook: { outOfOrder: true } });
		expect(await t.settled(requestId, 2)).toBe(true);
		expect(t.deliveries(requestId).map((delivery) => delivery.body.status)).toEqual([
			'succeeded',
			'in_progress',
		]);
		expect(t.emittedIds()).toEqual([requestId]);
	});

	test('a forged "succeeded" for a running job emits nothing and is not remembered', async () => {
		const requestId = await t.submit({ durationMs: 1500 });
		await t.emulator.serverless.forgeCallback(t.hook.url, requestId);
		expect(await t.settled(requestId, 1)).toBe(true);
		expect(t.hook.emitted).toHaveLength(0);
		expect(t.hook.staticData.emitted ?? []).toEqual([]);
		expect(t.results(requestId)).toBe(1);
		// The real end later is emitted.
		expect(await t.settled(requestId, 2)).toBe(true);
		expect(t.emittedIds()).toEqual([requestId]);
		expect(t.results(requestId)).toBe(2);
	});

	test('a callback naming an unknown job: no item, no crash, one look', async () => {
		const call = await t.hook.call({ request_id: 'no-such-job', deployment_id: 'no-such-dep' });
		expect(call.error).toBeUndefined();
		expect(call.result?.workflowData).toBeUndefined();
		expect(call.result?.noWebhookResponse).toBe(true);
		expect(t.results()).toBe(1);
	});

	test('a body whose ids could change the path is answered and read for nothing', async () => {
		const bodies = [
			{ request_id: '../x', deployment_id: 'd' },
			{ request_id: 'a?b', deployment_id: 'd' },
			{ request_id: 'a', deployment_id: 'd/e' },
			{ request_id: 'a b', deployment_id: 'd' },
			{ request_id: 'a#b', deployment_id: 'd' },
			{ request_id: 42, deployment_id: 'd' },
			{},
		];
		for (const body of bodies) {
			const call = await t.hook.call(body);
			expect(call.answeredEarly).toBe(true);
			expect(call.result?.workflowData).toBeUndefined();
		}
		expect(t.emulator.requests).toHaveLength(0);
	});
});
