/** The Trigger's description as n8n reads it, its bounded memory, and repeats that overlap. */
import { RunComfyTrigger } from '../../nodes/RunComfyTrigger/RunComfyTrigger.node';
import { MEMORY_SIZE, remember, seen } from '../../nodes/RunComfyTrigger/memory';
import { until } from '../harness/wait';
import { setUpTrigger } from './trigger.helpers';

const t = setUpTrigger();
beforeEach(() => t.configure());

describe('RunComfy Trigger: description', () => {
	test('a webhook trigger: no input, one POST webhook answered on receipt', () => {
		const { description } = new RunComfyTrigger();
		expect(description).toMatchObject({
			name: 'runComfyTrigger',
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: 'runComfyApi', required: true }],
		});
		expect(description.webhooks).toEqual([
			expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived' }),
		]);
		const filter = description.properties.find((property) => property.name === 'filter');
		expect(filter?.default).toBe('succeeded');
	});
});

describe('RunComfy Trigger: memory', () => {
	test('keeps the last MEMORY_SIZE emitted request ids', () => {
		const data = {};
		for (let index = 0; index <= MEMORY_SIZE; index++) remember(data, `job-${index}`);
		expect(seen(data, 'job-0')).toBe(false);
		expect(seen(data, 'job-1')).toBe(true);
		expect(seen(data, `job-${MEMORY_SIZE}`)).toBe(true);
	});

	test('two deliveries of one ended job at the same moment emit it once', async () => {
		const requestId = await t.submit({ queueMs: 0, durationMs: 0 });
		expect(await t.settled(requestId, 1)).toBe(true);
		t.configure();
		const body = { request_id: requestId, deployment_id: t.jobs()[0].deploymentId };
		await Promise.all([t.hook.call(body), t.hook.call(body)]);
		expect(await until(() => t.hook.idle)).toBe(true);
		expect(t.emittedIds()).toEqual([requestId]);
	});
});
