/* eslint-disable no-console */
/**
 * The billing and secrecy invariants, across every combination of n8n's node settings that
 * re-runs or continues a node, under seeded random faults on every route. Checked from the
 * emulator's log after each run, not from what the node says about itself:
 * - one job per item at most, across all tries; a submit whose answer was lost is never resent;
 * - every job is in the output by its request id, or was cancelled, or (answer lost) its item
 *   says a job may have been created;
 * - the token appears nowhere in the output or the errors.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { RecordedRequest } from '../emulator/emulator';
import { mulberry32, RunComfyEmulator } from '../emulator/emulator';
import type { RunResult } from '../harness/engine';
import { Engine } from '../harness/engine';
import { until } from '../harness/wait';

type Behaviour = 'ok' | 'invalid' | 'failed' | 'empty' | 'lost';
const BEHAVIOURS: Behaviour[] = ['ok', 'ok', 'invalid', 'failed', 'empty', 'lost'];
const OPERATIONS = ['generate', 'submit'] as const;
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
const SEEDS = [1, 2, 3, 4, 5, 6];
const ITEMS = 4;
const LANES = 4;

interface Case {
	operation: (typeof OPERATIONS)[number];
	settings: Partial<INode>;
	seed: number;
}

const cases: Case[] = OPERATIONS.flatMap((operation) =>
	RETRIES.flatMap((retry) =>
		ON_ERROR.flatMap((onError) =>
			SEEDS.map((seed) => ({ operation, settings: { ...retry, onError }, seed })),
		),
	),
);

const lanes = Array.from({ length: LANES }, () => ({
	emulator: new RunComfyEmulator({ queueMs: 0, durationMs: 200, fetchImages: false }),
	engine: new Engine(),
}));
beforeAll(async () => await Promise.all(lanes.map(async (lane) => await lane.emulator.start())));
afterAll(async () => await Promise.all(lanes.map(async (lane) => await lane.emulator.stop())));

test(`billing invariants hold in ${cases.length} combinations (operations × Retry On Fail × On Error × seeds)`, async () => {
	const queue = [...cases];
	const broken: string[] = [];
	await Promise.all(
		lanes.map(async (lane) => {
			for (let next = queue.shift(); next; next = queue.shift()) {
				broken.push(...(await runCase(lane, next)));
			}
		}),
	);
	console.log(`matrix: ${cases.length} runs, ${broken.length} broken invariants`);
	expect(broken).toEqual([]);
}, 600_000);

async function runCase(lane: (typeof lanes)[number], c: Case): Promise<string[]> {
	const { emulator, engine } = lane;
	emulator.reset();
	const random = mulberry32(c.seed);
	const behaviours = Array.from(
		{ length: ITEMS },
		() => BEHAVIOURS[Math.floor(random() * BEHAVIOURS.length)],
	);
	script(emulator, behaviours, c.seed);
	const result = await engine.run(
		{
			parameters: {
				operation: c.operation,
				prompt: '={{ $json.p }}',
				imageUrl: `${emulator.baseUrl}/images/start.png`,
				steps: '={{ $json.steps }}',
				options: { pollInterval: 1, maxConcurrency: 2 },
			},
			settings: c.settings,
		},
		{
			credentials: { apiToken: emulator.token, baseUrl: emulator.baseUrl },
			items: behaviours.map((behaviour, index) => ({
				p: `item ${index}`,
				steps: behaviour === 'invalid' ? 50 : 10,
			})),
		},
	);
	// Cancels after a Stop or an early end are sent without waiting: let them land.
	await until(() => emulator.requests.every((request) => request.status !== 0), 10_000);
	const label = `${c.operation} ${JSON.stringify(c.settings)} seed ${c.seed} [${behaviours.join(',')}]`;
	return checkInvariants(emulator, result).map((problem) => `${label}: ${problem}`);
}

/** Each item's fate is scripted by its prompt; faults are random but seeded. */
function script(emulator: RunComfyEmulator, behaviours: Behaviour[], seed: number) {
	emulator.onSubmit = (body) => {
		const index = Number(String(body['600_prompt']).replace('item ', ''));
		if (behaviours[index] === 'failed') return { outcome: 'failed', error: 'scripted failure' };
		if (behaviours[index] === 'empty') return { output: {} };
		return {};
	};
	behaviours.forEach((behaviour, index) => {
		if (behaviour !== 'lost') return;
		emulator.addFault({
			route: 'submit',
			action: 'acceptThenReset',
			match: (record) => (record.body as IDataObject)?.['600_prompt'] === `item ${index}`,
		});
	});
	emulator.setRandomFaults({
		seed,
		rate: 0.15,
		routes: ['submit', 'result', 'cancel'],
		kinds: ['503', '429', 'reset'],
		retryAfterSeconds: 0,
	});
}

function checkInvariants(emulator: RunComfyEmulator, result: RunResult): string[] {
	const problems: string[] = [];
	const shown = JSON.stringify({
		outputs: result.outputs,
		error: result.error
			? {
					message: result.error.message,
					description: (result.error as { description?: string }).description,
				}
			: null,
	});
	const accepted = emulator.requests.filter(
		(request): request is RecordedRequest & { requestId: string } =>
			request.route === 'submit' && request.requestId !== undefined,
	);
	const byPrompt = new Map<string, typeof accepted>();
	for (const request of accepted) {
		const prompt = String((request.body as IDataObject)['600_prompt']);
		byPrompt.set(prompt, [...(byPrompt.get(prompt) ?? []), request]);
	}
	for (const [prompt, requests] of byPrompt) {
		if (requests.length > 1) problems.push(`${prompt} got ${requests.length} jobs`);
	}
	for (const request of accepted) {
		const job = emulator.jobs.get(request.requestId)!;
		const lost = request.status === 'reset' || request.status === 'hang';
		const prompt = String((request.body as IDataObject)['600_prompt']);
		const item = prompt.replace('item ', '');
		if (shown.includes(request.requestId) || job.status === 'cancelled') continue;
		if (
			lost &&
			(shown.includes(`item ${item}: a job may have been created`) ||
				itemSaysMayExist(result, Number(item)))
		)
			continue;
		problems.push(`job ${request.requestId} of ${prompt} is neither in the output nor cancelled`);
	}
	for (const [prompt, requests] of byPrompt) {
		const sent = emulator.requests.filter(
			(request) =>
				request.route === 'submit' && (request.body as IDataObject)?.['600_prompt'] === prompt,
		);
		if (requests.some((request) => request.status === 'reset') && sent.length > 1) {
			problems.push(`${prompt}: a submit that may have created a job was sent again`);
		}
	}
	if (shown.includes(emulator.token)) problems.push('the token appears in the output');
	return problems;
}

function itemSaysMayExist(result: RunResult, itemIndex: number): boolean {
	return result.outputs.some((items) =>
		items.some(
			(item) =>
				(item.pairedItem as { item?: number } | undefined)?.item === itemIndex &&
				JSON.stringify(item.json).includes('a job may have been created'),
		),
	);
}
