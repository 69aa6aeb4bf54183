/** Guards on spending: a cap on jobs, a dry run that sends nothing, the balance running out. */
import type { IDataObject } from 'n8n-workflow';

import { setUpEmulator } from '../harness/context';
import { description } from '../harness/wait';

const t = setUpEmulator({ queueMs: 50, durationMs: 100 });
const items = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ p: `scene ${index}` }));

test('Max Jobs per Execution refuses a larger run before anything is sent', async () => {
	for (const operation of ['generate', 'submit']) {
		const result = await t.run(
			{ ...t.generate({ prompt: '={{ $json.p }}', options: { maxJobs: 2 } }), operation },
			{ items: items(3) },
		);
		expect(result.error?.message).toBe(
			'This run would submit 3 paid jobs, more than Max Jobs per Execution (2)',
		);
		expect(description(result.error)).toMatch(
			/^Nothing was submitted\. .*raise Max Jobs per Execution/,
		);
	}
	expect(t.emulator.requests).toHaveLength(0);
});

test("a dry run sends nothing, and its payloads are exactly the real run's", async () => {
	const parameters = t.generate({ prompt: '={{ $json.p }}', seed: 42, steps: '={{ 8 }}' });
	const dry = await t.run({ ...parameters, operation: 'dryRun' }, { items: items(2) });
	expect(t.emulator.requests).toHaveLength(0);
	expect(dry.items[0].json).toMatchObject({
		dryRun: true,
		message: expect.stringMatching(/^Nothing was sent to RunComfy/),
		request: { method: 'POST', path: '/v1/models/community/wan-2-1/fusionx/image-to-video' },
	});
	const real = await t.run(parameters, { items: items(2) });
	expect(real.error).toBeUndefined();
	const sent = t.submitted().map((request) => JSON.stringify(request.body));
	expect(dry.items.map((item) => JSON.stringify(item.json.payload))).toEqual(sent);
});

test('a dry run refuses bad items as a real run would, naming the field', async () => {
	const result = await t.run({ ...t.generate({ steps: 50 }), operation: 'dryRun' });
	expect(result.error?.message).toBe('Steps must be between 6 and 20, got 50');
	expect(t.emulator.requests).toHaveLength(0);
});

test('out of balance mid-batch: later items are not submitted, every item says what happened', async () => {
	let submits = 0;
	t.emulator.addFault({
		route: 'submit',
		status: 400,
		body: { error_code: 400002, error_message: 'Insufficient balance' },
		times: Infinity,
		match: () => ++submits > 2,
	});
	const result = await t.run(
		t.generate({ prompt: '={{ $json.p }}', options: { maxConcurrency: 1 } }),
		{
			items: items(5),
			settings: { onError: 'continueRegularOutput' },
		},
	);
	expect(t.submitted()).toHaveLength(3);
	const json = result.items.map((item) => item.json as IDataObject);
	expect(json.slice(0, 2).every((item) => typeof item.videoUrl === 'string')).toBe(true);
	expect(json[2].error).toBe(
		'Your RunComfy balance is too low to run this job: Insufficient balance',
	);
	for (const item of json.slice(3))
		expect(String(item.description)).toMatch(/Not submitted: RunComfy reported the balance spent/);
});

test('what the run cost, as an execution hint', async () => {
	t.emulator.scriptNextJobs({ cost: 0.25 }, { cost: 0.5 });
	const result = await t.run(t.generate({ prompt: '={{ $json.p }}' }), { items: items(2) });
	expect(result.items.map((item) => item.json.cost)).toEqual([0.25, 0.5]);
	expect(JSON.stringify(result.hints)).toContain('2 RunComfy jobs, $0.75 reported for 2');
});
