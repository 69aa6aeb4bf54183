/** Guards on spending: a cap on jobs, a dry run that sends nothing, the balance running out. */
import type { IDataObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { T2V_ID as VIDEO_MODEL } from '../emulator/catalogModels';
import { setUpEmulator } from '../harness/context';
import { FUSIONX_TYPE, RUNCOMFY_TYPE, START_TYPE } from '../harness/engine';
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

/**
 * The node run twice in one execution, as in a loop: n8n (v1 order) runs a node once per parent,
 * here a batch of 3 items, then one of 2.
 */
async function twoBatches(maxJobs: number) {
	const batch = (name: string, count: number, y: number): INode => ({
		id: name,
		name,
		type: START_TYPE,
		typeVersion: 1,
		position: [200, y],
		parameters: { items: JSON.stringify(items(count).map((item) => ({ p: `${name} ${item.p}` }))) },
	});
	const start: INode = { ...batch('Start', 1, 0), position: [0, 0] };
	const node: INode = {
		id: 'node',
		name: 'FusionX',
		type: FUSIONX_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: t.generate({
			prompt: '={{ $json.p }}',
			options: { maxJobs },
		}) as INode['parameters'],
		credentials: { runComfyApi: { id: '1', name: 'RunComfy account' } },
	};
	const to = (target: string) => ({ main: [[{ node: target, type: 'main' as const, index: 0 }]] });
	const workflow = new Workflow({
		id: 'two-batches',
		nodes: [start, batch('First', 3, -100), batch('Second', 2, 100), node],
		connections: {
			Start: {
				main: [
					[
						{ node: 'First', type: 'main', index: 0 },
						{ node: 'Second', type: 'main', index: 0 },
					],
				],
			},
			First: to('FusionX'),
			Second: to('FusionX'),
		},
		active: false,
		nodeTypes: t.engine.nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	t.engine.credentialsHelper.credentials = { runComfyApi: t.credentials() };
	const result = await t.engine.execute(workflow, 'FusionX');
	return { ...result, runs: result.run.data.resultData.runData.FusionX ?? [] };
}

test("Max Jobs per Execution counts the jobs of the node's earlier runs in the execution (a loop)", async () => {
	const refused = await twoBatches(4);
	expect(refused.error?.message).toBe(
		'This run would bring this node to 5 paid jobs in this execution (3 in its earlier runs, 2 now), more than Max Jobs per Execution (4)',
	);
	expect(t.submitted()).toHaveLength(3);
	expect(
		t
			.submitted()
			.every((request) => String((request.body as IDataObject)['600_prompt']).startsWith('First')),
	).toBe(true);

	t.emulator.reset();
	const allowed = await twoBatches(5);
	expect(allowed.error).toBeUndefined();
	expect(allowed.runs.map((run) => run.data?.main?.[0]?.length)).toEqual([3, 2]);
	expect(t.submitted()).toHaveLength(5);
});

test("a dry run sends nothing, and its payloads are exactly the real run's", async () => {
	const parameters = t.generate({ prompt: '={{ $json.p }}', seed: 42, steps: '={{ 8 }}' });
	const dry = await t.run({ ...parameters, operation: 'dryRun' }, { items: items(2) });
	// Only the catalog is read, for the price: nothing paid is sent.
	expect(t.emulator.requests.map((request) => request.route)).toEqual(['catalog']);
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
	expect(JSON.stringify(result.hints)).toContain('2 RunComfy jobs, $0.75 reported in all');
});

describe('Max Estimated Spend', () => {
	test("refuses before any submit when items × the catalog's price passes it", async () => {
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { maxSpend: 0.3 } }),
			{
				items: items(3),
			},
		);
		expect(result.error?.message).toBe(
			'This run is estimated at $0.36 (3 jobs), more than Max Estimated Spend ($0.30)',
		);
		expect(description(result.error)).toMatch(/^Nothing was submitted\. Raise Max Estimated Spend/);
		expect(t.submitted()).toHaveLength(0);
	});

	test('runs when the estimate is within it', async () => {
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { maxSpend: 0.36 } }),
			{
				items: items(3),
			},
		);
		expect(result.error).toBeUndefined();
		expect(t.submitted()).toHaveLength(3);
	});

	test('a model priced per second gives no estimate: refused only because a limit is set', async () => {
		const limited = await t.engine.run(
			{
				type: RUNCOMFY_TYPE,
				parameters: {
					operation: 'submit',
					model: { mode: 'id', value: VIDEO_MODEL },
					inputs: { mappingMode: 'defineBelow', value: { prompt: 'a fox' } },
					options: { maxSpend: 5 },
				},
			},
			{ credentials: t.credentials() },
		);
		expect(limited.error?.message).toBe(
			"This run's cost cannot be estimated, and Max Estimated Spend ($5.00) is set",
		);
		expect(description(limited.error)).toContain(`${VIDEO_MODEL} (per second)`);
		expect(t.submitted()).toHaveLength(0);
	});
});

test('a dry run shows the price and the estimate', async () => {
	const dry = await t.run(
		{ ...t.generate({ prompt: '={{ $json.p }}' }), operation: 'dryRun' },
		{
			items: items(2),
		},
	);
	expect(dry.items[0].json).toMatchObject({
		price: 0.12,
		priceUnit: 'request',
		estimate: { jobs: 2, totalUsd: 0.24 },
	});
	expect(t.submitted()).toHaveLength(0);
});

describe('Check Balance First', () => {
	const withAccount = () => ({ ...t.credentials(), accountApiUrl: t.emulator.baseUrl });

	test('refuses a run whose estimate passes the balance, before any submit', async () => {
		t.emulator.balanceUsd = 0.3;
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { checkBalance: true } }),
			{ items: items(3), credentials: withAccount() },
		);
		expect(result.error?.message).toBe(
			'This run is estimated at $0.36 (3 jobs), more than your RunComfy balance ($0.30)',
		);
		expect(description(result.error)).toMatch(/^Nothing was submitted\. Top up/);
		expect(t.emulator.requests.map((request) => request.route).sort()).toEqual([
			'balance',
			'catalog',
		]);
	});

	test('runs when the balance covers the estimate; the balance is read with the token', async () => {
		t.emulator.balanceUsd = 1;
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { checkBalance: true } }),
			{ items: items(2), credentials: withAccount() },
		);
		expect(result.error).toBeUndefined();
		const read = t.emulator.requests.find((request) => request.route === 'balance');
		expect(read?.authorization).toBe(`Bearer ${t.emulator.token}`);
		expect(t.emulator.balanceUsd).toBeCloseTo(0.76);
	});

	test('an Account API URL with a query is refused before any request', async () => {
		const result = await t.run(t.generate({ options: { checkBalance: true } }), {
			credentials: { ...t.credentials(), accountApiUrl: `${t.emulator.baseUrl}?k=1` },
		});
		expect(result.error?.message).toMatch(
			/^Could not read the RunComfy balance: The Account API URL/,
		);
		expect(t.submitted()).toHaveLength(0);
	});

	test('the emulator refuses a submit the balance cannot pay with 400002', async () => {
		t.emulator.balanceUsd = 0.2;
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { maxConcurrency: 1 } }),
			{
				items: items(3),
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(t.submitted()).toHaveLength(2);
		expect(result.items.map((item) => Boolean(item.json.videoUrl))).toEqual([true, false, false]);
		expect(String(result.items[2].json.description)).toMatch(/Not submitted/);
	});
});
