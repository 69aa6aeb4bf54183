/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import type { IDataObject } from 'n8n-workflow';

import { setUpEmulator } from '../harness/context';

const t = setUpEmulator({ queueMs: 300, durationMs: 300 });

async function submitOne(overrides: IDataObject = {}) {
	const result = await t.run({ ...t.generate(overrides), operation: 'submit' });
	expect(result.error).toBeUndefined();
	return result.items[0].json.requestId as string;
}

describe('operations', () => {
	test('submit returns at once with the request id and the URLs to follow it', async () => {
		const result = await t.run(
			{ ...t.generate({ seed: 7 }), operation: 'submit' },
			{ items: [{}, {}] },
		);
		expect(result.items).toHaveLength(2);
		const json = result.items[0].json;
		expect(json).toEqual({
			requestId: expect.any(String),
			status: 'in_queue',
			statusUrl: `${t.emulator.baseUrl}/v1/requests/${json.requestId}/status`,
			resultUrl: `${t.emulator.baseUrl}/v1/requests/${json.requestId}/result`,
			cancelUrl: `${t.emulator.baseUrl}/v1/requests/${json.requestId}/cancel`,
			seed: 7,
			checkAgainAt: expect.any(String),
		});
		expect(t.emulator.count('status') + t.emulator.count('result')).toBe(0);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('getStatus reports the status and the queue position', async () => {
		t.emulator.scriptNextJobs({ queueMs: 10_000 }, { queueMs: 10_000 });
		const first = await submitOne();
		const second = await submitOne();
		const result = await t.run(
			{ operation: 'getStatus', requestId: '={{ $json.id }}' },
			{
				items: [{ id: first }, { id: second }],
			},
		);
		expect(result.items[0].json).toMatchObject({
			requestId: first,
			status: 'in_queue',
			queuePosition: 0,
		});
		expect(result.items[1].json).toMatchObject({
			requestId: second,
			status: 'in_queue',
			queuePosition: 1,
		});
		expect(t.emulator.count('status')).toBe(2);
	});

	test('getResult answers the current status while running, the video once done', async () => {
		t.emulator.scriptNextJobs({ queueMs: 1500, durationMs: 100 });
		const requestId = await submitOne();
		const early = await t.run({ operation: 'getResult', requestId });
		expect(early.items[0].json).toMatchObject({ requestId, status: 'in_queue', videoUrl: null });
		await new Promise((resolve) => setTimeout(resolve, 1800));
		const done = await t.run({ operation: 'getResult', requestId });
		expect(done.items[0].json).toMatchObject({
			requestId,
			status: 'completed',
			videoUrl: expect.stringContaining(requestId),
		});
		expect(
			t.emulator.requests
				.filter((request) => request.route === 'result')
				.every((request) => request.query.include_cost === 'true'),
		).toBe(true);
	});

	test('waitForCompletion resumes jobs by request id, several at once', async () => {
		const ids = [await submitOne(), await submitOne(), await submitOne()];
		const result = await t.run(
			{
				operation: 'waitForCompletion',
				requestId: '={{ $json.id }}',
				options: { pollInterval: 1 },
			},
			{ items: ids.map((id) => ({ id })) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.requestId)).toEqual(ids);
		expect(
			result.items.every((item) => item.json.status === 'completed' && item.json.videoUrl),
		).toBe(true);
	});

	test('cancel reports cancelled for a queued job and not_cancellable for a running one', async () => {
		t.emulator.scriptNextJobs({ queueMs: 10_000 });
		const queued = await submitOne();
		const cancelled = await t.run({ operation: 'cancel', requestId: queued });
		expect(cancelled.items[0].json).toMatchObject({
			requestId: queued,
			outcome: 'cancelled',
			cancelled: true,
		});
		expect(t.emulator.statusOf(queued)).toBe('cancelled');

		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 5000 });
		const running = await submitOne();
		const refused = await t.run({ operation: 'cancel', requestId: running });
		expect(refused.items[0].json).toMatchObject({
			requestId: running,
			outcome: 'not_cancellable',
			cancelled: false,
			status: 'in_progress',
		});
		expect(t.emulator.statusOf(running)).toBe('in_progress');
	});

	test('waiting for a cancelled job ends with an error carrying its request id', async () => {
		t.emulator.scriptNextJobs({ queueMs: 10_000 });
		const requestId = await submitOne();
		await t.run({ operation: 'cancel', requestId });
		const result = await t.run({
			operation: 'waitForCompletion',
			requestId,
			options: { pollInterval: 1 },
		});
		expect(result.error?.message).toBe('The RunComfy job was cancelled');
		expect((result.error as { description?: string }).description).toContain(requestId);
	});
});
