/** Check Job: one look per item, routed to Completed or Still Running (with when to look again). */
import { setUpEmulator } from '../harness/context';
import { description, until } from '../harness/wait';

const t = setUpEmulator({ queueMs: 100, durationMs: 300 });

async function submit(count: number) {
	const result = await t.run(
		{ ...t.generate(), operation: 'submit' },
		{
			items: Array.from({ length: count }, () => ({})),
		},
	);
	return result.items.map((item) => String(item.json.requestId));
}

test('done jobs go to Completed with their video; the others to Still Running with checkAgainAt', async () => {
	t.emulator.scriptNextJobs(
		{ queueMs: 0, durationMs: 0 },
		{ queueMs: 600_000 },
		{ queueMs: 600_000 },
	);
	const ids = await submit(3);
	await until(() => t.emulator.statusOf(ids[0]) === 'completed');
	const before = Date.now();
	const result = await t.run(
		{ operation: 'checkJob', requestId: '={{ $json.id }}', options: { download: true } },
		{ items: ids.map((id) => ({ id })) },
	);
	const [completed, running] = result.outputs;
	expect(completed.map((item) => item.json.requestId)).toEqual([ids[0]]);
	expect(completed[0].json.videoUrl).toContain(ids[0]);
	expect(completed[0].binary?.data.mimeType).toBe('video/mp4');
	expect(running.map((item) => item.json)).toEqual([
		expect.objectContaining({ requestId: ids[1], status: 'in_queue', queuePosition: 0 }),
		expect.objectContaining({ requestId: ids[2], status: 'in_queue', queuePosition: 1 }),
	]);
	// At least 65 s ahead, so a Wait node parks the execution; later for jobs further back.
	const [first, second] = running.map((item) => Date.parse(String(item.json.checkAgainAt)));
	expect(first - before).toBeGreaterThanOrEqual(65_000);
	expect(second).toBeGreaterThan(first);
	expect(running.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
	expect(t.emulator.count('result')).toBe(3);
});

test('Submit Job says when to check first', async () => {
	const before = Date.now();
	const result = await t.run({ ...t.generate(), operation: 'submit' });
	expect(Date.parse(String(result.items[0].json.checkAgainAt)) - before).toBeGreaterThanOrEqual(
		65_000,
	);
});

test('a failed job is an error with its request id, not a Still Running item', async () => {
	t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 0, outcome: 'failed', error: 'OOM' });
	const [id] = await submit(1);
	await until(() => t.emulator.statusOf(id) === 'failed');
	const result = await t.run({ operation: 'checkJob', requestId: id });
	expect(result.error?.message).toBe('The RunComfy job failed: OOM');
	expect(description(result.error)).toContain(id);
});
