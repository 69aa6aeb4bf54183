/* eslint-disable no-console */
/**
 * 50 jobs with random faults on every call. Afterwards the emulator's log is the witness: at most
 * one job per item, and every job that exists is accounted for in the output by its request id.
 */
import { setUpEmulator } from '../harness/context';

const t = setUpEmulator({ queueMs: 200, durationMs: 1500 });

test('50 jobs under random 503s, 429s with Retry-After and resets on every call', async () => {
	t.emulator.setRandomFaults({
		seed: 7,
		rate: 0.15,
		routes: ['submit', 'status', 'result', 'cancel', 'file'],
		kinds: ['503', '429', 'reset'],
		retryAfterSeconds: 1,
	});
	t.emulator.onSubmit = (_body, index) => ({ durationMs: 1000 + ((index * 37) % 1000) });
	const items = Array.from({ length: 50 }, (_, index) => ({ p: `shot ${index}` }));
	const result = await t.run(
		t.generate({ prompt: '={{ $json.p }}', options: { pollInterval: 1, maxConcurrency: 10 } }),
		{
			items,
			settings: { onError: 'continueRegularOutput' },
		},
	);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(50);

	// At most one job per item: a submit is never repeated once the server may have taken it.
	const jobsPerPrompt = new Map<string, number>();
	for (const job of t.emulator.jobs.values()) {
		const prompt = (job.input as Record<string, string>)['600_prompt'];
		jobsPerPrompt.set(prompt, (jobsPerPrompt.get(prompt) ?? 0) + 1);
	}
	expect([...jobsPerPrompt.values()].every((count) => count === 1)).toBe(true);

	// Every job that exists is in the output under its request id, delivered or reported.
	const reported = new Map(
		result.items.map((item) => [item.json.requestId as string | undefined, item.json]),
	);
	for (const id of t.emulator.jobs.keys()) expect(reported.has(id)).toBe(true);

	// Items without a job are failed submits that say whether a job may exist.
	const delivered = result.items.filter((item) => item.json.videoUrl);
	const withoutJob = result.items.filter((item) => !item.json.requestId);
	for (const item of withoutJob) expect(String(item.json.error)).toMatch(/RunComfy|reach/);
	expect(
		delivered.length +
			withoutJob.length +
			result.items.filter((item) => item.json.requestId && !item.json.videoUrl).length,
	).toBe(50);
	// Passing faults on status look-ups never lose a job that finished.
	expect(delivered.length).toBe(t.emulator.jobs.size);
	console.log(
		`soak: ${delivered.length} delivered, ${withoutJob.length} failed submits, ${t.emulator.requests.length} requests`,
	);
}, 120_000);
