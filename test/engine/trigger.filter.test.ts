/** The Trigger's Emit filter, and what a failed job's item carries. */
import { setUpTrigger } from './trigger.helpers';

const t = setUpTrigger();

describe('RunComfy Trigger: Emit', () => {
	test('Succeeded Jobs (the default): a failed job is read once, remembered, not emitted', async () => {
		t.configure();
		const requestId = await t.submit({ outcome: 'failed', error: 'CUDA out of memory' });
		expect(await t.settled(requestId, 1)).toBe(true);
		expect(t.hook.emitted).toHaveLength(0);
		expect(t.hook.staticData.emitted).toEqual([requestId]);
		expect(t.results(requestId)).toBe(1);
	});

	test('Failed Jobs: a failed job carries its status and error text, never json.error', async () => {
		t.configure({ filter: 'failed' });
		const failed = await t.submit({ outcome: 'failed', error: 'CUDA out of memory' });
		const succeeded = await t.submit();
		expect(await t.settled(failed, 1)).toBe(true);
		expect(await t.settled(succeeded, 1)).toBe(true);
		expect(t.emittedIds()).toEqual([failed]);
		const { json } = t.hook.emitted[0];
		expect(json).toMatchObject({ requestId: failed, status: 'failed' });
		expect(String(json.errorMessage)).toContain('CUDA out of memory');
		expect(json.error).toBeUndefined();
	});

	test('All Ended Jobs: succeeded, failed and cancelled each emitted once', async () => {
		t.configure({ filter: 'all' });
		const ok = await t.submit({ webhook: { twice: true } });
		const failed = await t.submit({ outcome: 'failed', error: 'bad node' });
		const cancelled = await t.submit({ queueMs: 60_000 });
		expect(await t.settled(ok, 2)).toBe(true);
		expect(await t.settled(failed, 1)).toBe(true);
		await t.run({
			resource: 'job',
			operation: 'cancel',
			requestId: cancelled,
			jobDeploymentId: t.jobs()[2].deploymentId,
		});
		expect(await t.settled(cancelled, 1)).toBe(true);
		expect(new Set(t.emittedIds())).toEqual(new Set([ok, failed, cancelled]));
		expect(t.hook.emitted).toHaveLength(3);
		const ended = t.hook.emitted.find((item) => item.json.requestId === cancelled)!;
		expect(String(ended.json.status)).toMatch(/^cancel+ed$/);
		expect(ended.json.error).toBeUndefined();
		// One result read per delivery that named a job not yet emitted.
		expect(t.results()).toBe(3);
	});
});
