import { setUpEmulator } from '../harness/context';
import { until } from '../harness/wait';

const t = setUpEmulator({ queueMs: 100, durationMs: 400 });

const description = (error: unknown) =>
	String((error as { description?: string })?.description ?? '');
const jobIds = () => [...t.emulator.jobs.keys()];
const callsFor = (route: 'status' | 'result' | 'cancel', requestId: string) =>
	t.emulator.requests.filter(
		(request) => request.route === route && request.requestId === requestId,
	);

describe('many items at once', () => {
	test('every job is submitted before the first one finishes, and all are waited for together', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 50, durationMs: 3000 });
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { pollInterval: 1, maxConcurrency: 5 } }),
			{
				items: Array.from({ length: 12 }, (_, index) => ({ p: `scene ${index}` })),
			},
		);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => (item.json.input as Record<string, string>)['600_prompt']),
		).toEqual(Array.from({ length: 12 }, (_, index) => `scene ${index}`));
		const lastSubmit = Math.max(...t.submitted().map((request) => request.at));
		const firstFinish = Math.min(...[...t.emulator.jobs.values()].map((job) => job.finishedAt));
		expect(lastSubmit).toBeLessThan(firstFinish);
		expect(t.emulator.jobs.size).toBe(12);
	});

	test('one request per job per interval, the first one interval after the submit, and only the result call', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 0, durationMs: 1000 });
		const result = await t.run(t.generate({ options: { pollInterval: 1 } }), {
			items: [{}, {}, {}],
		});
		expect(result.error).toBeUndefined();
		expect(t.emulator.count('status')).toBe(0);
		for (const id of jobIds()) {
			const polls = callsFor('result', id).map((request) => request.at);
			const submittedAt = t.submitted().find((request) => request.requestId === id)!.at;
			expect(polls[0] - submittedAt).toBeGreaterThanOrEqual(240);
			for (let index = 1; index < polls.length; index++) {
				expect(polls[index] - polls[index - 1]).toBeGreaterThanOrEqual(240);
			}
			expect(polls.length).toBeLessThanOrEqual(6);
		}
	});
});

describe('passing failures of status look-ups are survived', () => {
	test.each([
		['503', { status: 503 }],
		['500', { status: 500 }],
		[
			'429 without Retry-After',
			{ status: 429, body: { error_code: 429001, error_message: 'Too many requests' } },
		],
		['a reset connection', { action: 'reset' as const }],
	])('result answering %s three times in a row', async (_name, fault) => {
		t.emulator.addFault({ route: 'result', times: 3, ...fault });
		const result = await t.run(t.generate());
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(t.emulator.jobs.size).toBe(1);
	});

	test('Retry-After on a result answer is honoured', async () => {
		t.emulator.addFault({ route: 'result', status: 429, headers: { 'Retry-After': '2' } });
		const result = await t.run(t.generate());
		expect(result.error).toBeUndefined();
		const [first, second] = callsFor('result', jobIds()[0]).map((request) => request.at);
		expect(second - first).toBeGreaterThanOrEqual(1900);
	});

	test('Retry-After on a successful answer is honoured too', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 300 });
		t.emulator.addFault({
			route: 'result',
			status: 200,
			body: { status: 'in_progress' },
			headers: { 'Retry-After': '2' },
		});
		const result = await t.run(t.generate());
		expect(result.error).toBeUndefined();
		const [first, second] = callsFor('result', jobIds()[0]).map((request) => request.at);
		expect(second - first).toBeGreaterThanOrEqual(1900);
	});

	test('Retry-After given as an HTTP date is honoured', async () => {
		const date = new Date(Date.now() + 2500).toUTCString();
		t.emulator.addFault({ route: 'result', status: 503, headers: { 'Retry-After': date } });
		const result = await t.run(t.generate());
		expect(result.error).toBeUndefined();
		const [first, second] = callsFor('result', jobIds()[0]).map((request) => request.at);
		expect(second - first).toBeGreaterThanOrEqual(1000);
	});

	test('status and cancel look-ups retry on 429 and 5xx', async () => {
		const submitted = await t.run({ ...t.generate(), operation: 'submit' });
		const requestId = submitted.items[0].json.requestId as string;
		t.emulator.addFault({ route: 'status', status: 429, headers: { 'Retry-After': '0' } });
		t.emulator.addFault({ route: 'status', status: 502 });
		const status = await t.run({ operation: 'getStatus', requestId });
		expect(status.items[0].json.status).toEqual(expect.any(String));
		expect(callsFor('status', requestId)).toHaveLength(3);
		t.emulator.addFault({ route: 'cancel', status: 503 });
		const cancelled = await t.run({ operation: 'cancel', requestId });
		expect(cancelled.items[0].json.outcome).toEqual(expect.any(String));
		expect(callsFor('cancel', requestId)).toHaveLength(2);
	});

	test('gives up after several failures in a row, saying why and how to resume', async () => {
		t.emulator.addFault({
			route: 'result',
			status: 503,
			headers: { 'Retry-After': '1' },
			times: Infinity,
		});
		const result = await t.run(t.generate({ options: { pollInterval: 1 } }));
		const requestId = jobIds()[0];
		expect(result.error?.message).toMatch(/server error/);
		expect(description(result.error)).toMatch(/Gave up after 10 failed status checks in a row/);
		expect(description(result.error)).toContain(requestId);
		expect(description(result.error)).toMatch(/Wait for Completion/);
		expect(callsFor('result', requestId)).toHaveLength(10);
	}, 60_000);
});

describe('never billing twice', () => {
	test('a submit whose answer is lost after the server took it is not sent again', async () => {
		t.emulator.addFault({ route: 'submit', action: 'acceptThenReset' });
		const result = await t.run(t.generate());
		expect(t.submitted()).toHaveLength(1);
		expect(t.emulator.jobs.size).toBe(1);
		expect(result.error?.message).toMatch(/Could not reach RunComfy/);
		expect(description(result.error)).toMatch(/a job may have been created/);
	});

	test('with Continue On Fail, the lost submit is one error item and the others get videos', async () => {
		t.emulator.addFault({ route: 'submit', action: 'acceptThenReset' });
		const result = await t.run(t.generate({ options: { maxConcurrency: 1 } }), {
			items: [{}, {}, {}],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(t.submitted()).toHaveLength(3);
		expect(result.items[0].json.error).toMatch(/Could not reach RunComfy/);
		expect(result.items[1].json.videoUrl).toEqual(expect.any(String));
		expect(result.items[2].json.videoUrl).toEqual(expect.any(String));
	});

	test("Retry On Fail reuses each item's job, however it ended: nothing is paid twice", async () => {
		t.emulator.scriptNextJobs({}, { outcome: 'failed', error: 'boom' }, {});
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { maxConcurrency: 1 } }),
			{
				items: [{ p: 'a' }, { p: 'b' }, { p: 'c' }],
				settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
			},
		);
		expect(result.error?.message).toBe('The RunComfy job failed: boom');
		const prompts = t
			.submitted()
			.map((request) => (request.body as Record<string, string>)['600_prompt']);
		expect(prompts).toEqual(['a', 'b', 'c']);
		// Every job is named in the error, the failed one and the two delivered ones.
		for (const id of t.emulator.jobs.keys()) expect(description(result.error)).toContain(id);
	});
});

describe('timeouts', () => {
	test('a job that never ends fails with its request id; a running job cannot be cancelled', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, outcome: 'never' });
		const result = await t.run(t.generate({ options: { pollInterval: 1, timeout: 1 } }));
		const requestId = jobIds()[0];
		expect(result.error?.message).toBe(
			'The job did not finish within the timeout of 1 s (last status: in_progress)',
		);
		expect(description(result.error)).toMatch(/could not be cancelled.*Wait for Completion/);
		expect(description(result.error)).toContain(requestId);
		expect(callsFor('cancel', requestId)).toHaveLength(1);
	});

	test('a job still queued at the timeout is cancelled', async () => {
		t.emulator.scriptNextJobs({ queueMs: 60_000 });
		const result = await t.run(t.generate({ options: { pollInterval: 1, timeout: 1 } }));
		expect(description(result.error)).toMatch(/still queued, so it was cancelled/);
		expect(t.emulator.statusOf(jobIds()[0])).toBe('cancelled');
	});

	test('with Cancel on Timeout off nothing is cancelled', async () => {
		t.emulator.scriptNextJobs({ queueMs: 60_000 });
		const result = await t.run(
			t.generate({ options: { pollInterval: 1, timeout: 1, cancelOnTimeout: false } }),
		);
		expect(description(result.error)).toMatch(/may still be running.*Wait for Completion/);
		expect(t.emulator.count('cancel')).toBe(0);
	});
});

describe('stopping the execution', () => {
	test('waiting stops at once and queued jobs are cancelled on the server', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 60_000 });
		const result = await t.run(t.generate({ options: { pollInterval: 30 } }), {
			items: [{}, {}],
			onStarted: (cancel) => void until(() => t.emulator.jobs.size === 2).then(cancel),
		});
		// Polls every 30 s: the run ended on the Stop, not on a poll, with both jobs still queued.
		expect(result.run.status).toBe('canceled');
		expect(t.emulator.count('result')).toBe(0);
		expect(await until(() => t.emulator.count('cancel') === 2)).toBe(true);
		expect(jobIds().map((id) => t.emulator.statusOf(id))).toEqual(['cancelled', 'cancelled']);
	});
});

describe('one failing item among many', () => {
	test('Continue On Fail: 19 videos and one error item with its request id and status', async () => {
		t.emulator.onSubmit = (body) =>
			(body as Record<string, string>)['600_prompt'] === 'scene 7'
				? { outcome: 'failed', error: 'NSFW' }
				: {};
		const result = await t.run(t.generate({ prompt: '={{ $json.p }}' }), {
			items: Array.from({ length: 20 }, (_, index) => ({ p: `scene ${index}` })),
			settings: { onError: 'continueRegularOutput' },
		});
		expect(result.items).toHaveLength(20);
		const failed = result.items[7].json;
		expect(failed).toMatchObject({
			error: 'The RunComfy job failed: NSFW',
			status: 'failed',
			requestId: expect.any(String),
		});
		expect(result.items.filter((item) => item.json.videoUrl)).toHaveLength(19);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 20 }, (_, item) => ({ item })),
		);
	});

	test('without Continue On Fail the error accounts for every job, and queued ones are cancelled', async () => {
		t.emulator.onSubmit = (_body, index) =>
			index === 0 ? { queueMs: 0, durationMs: 100, outcome: 'failed' } : { queueMs: 60_000 };
		const result = await t.run(t.generate({ options: { maxConcurrency: 1 } }), {
			items: [{}, {}, {}],
		});
		expect(result.error?.message).toBe('The RunComfy job failed: Generation failed');
		for (const id of jobIds()) expect(description(result.error)).toContain(id);
		expect(description(result.error)).toMatch(
			/Jobs created in this run: item 0: .*item 1: .*item 2: /,
		);
		expect(
			jobIds()
				.slice(1)
				.map((id) => t.emulator.statusOf(id)),
		).toEqual(['cancelled', 'cancelled']);
	});
});

describe('what a second look found', () => {
	test('Retry On Fail never resends a submit that may have reached RunComfy', async () => {
		t.emulator.addFault({ route: 'submit', action: 'acceptThenReset' });
		const result = await t.run(t.generate(), {
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});
		expect(t.submitted()).toHaveLength(1);
		expect(t.emulator.jobs.size).toBe(1);
		expect(result.error?.message).toMatch(/may have created a job|Could not reach/);
		expect(description(result.error)).toMatch(/check your RunComfy dashboard/);
	});

	test('Retry On Fail leaves queued jobs to the next try, which reuses them; the last try cancels them', async () => {
		t.emulator.scriptNextJobs(
			{ queueMs: 60_000 },
			{ queueMs: 0, durationMs: 0, outcome: 'failed', error: 'bad frame' },
		);
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { maxConcurrency: 1 } }),
			{
				items: [{ p: 'a' }, { p: 'b' }],
				settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
			},
		);
		expect(result.error?.message).toBe('The RunComfy job failed: bad frame');
		expect(t.submitted()).toHaveLength(2);
		const [queued] = [...t.emulator.jobs.values()];
		expect(queued.status).toBe('cancelled');
		expect(queued.cancelAttempts).toBe(1);
	});

	test('"Continue (using error output)" sends failed items to the error output with their request id', async () => {
		t.emulator.onSubmit = (body) =>
			(body as Record<string, string>)['600_prompt'] === 'bad'
				? { outcome: 'failed', error: 'NSFW' }
				: {};
		const result = await t.run(t.generate({ prompt: '={{ $json.p }}' }), {
			items: [{ p: 'good' }, { p: 'bad' }],
			settings: { onError: 'continueErrorOutput' },
		});
		const [success, errors] = result.outputs;
		expect(success).toHaveLength(1);
		expect(success[0].json.videoUrl).toEqual(expect.any(String));
		expect(errors).toHaveLength(1);
		// One `error` object: n8n 1.x routes `{ error }` to the error output, not `{ error, details }`.
		// (n8n adds the input item's fields to an error item: `p` here.)
		expect(errors[0].json).toEqual({
			p: 'bad',
			error: {
				message: 'The RunComfy job failed: NSFW',
				description: expect.stringContaining('Request ID: '),
				requestId: expect.any(String),
				status: 'failed',
			},
		});
	});

	test('Wait for Completion leaves the other jobs alone when one request id is wrong', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 60_000 });
		const submitted = await t.run({ ...t.generate(), operation: 'submit' }, { items: [{}, {}] });
		const ids = submitted.items.map((item) => item.json.requestId as string);
		const result = await t.run(
			{
				operation: 'waitForCompletion',
				requestId: '={{ $json.id }}',
				options: { pollInterval: 1 },
			},
			{ items: [{ id: ids[0] }, { id: 'typo-id' }, { id: ids[1] }] },
		);
		expect(result.error?.message).toMatch(/does not know this request id/);
		expect(t.emulator.count('cancel')).toBe(0);
		expect(ids.map((id) => t.emulator.statusOf(id))).toEqual(['in_queue', 'in_queue']);
	});

	test('at the timeout a job gets one last look, so one that just finished is delivered', async () => {
		t.emulator.scriptNextJobs({ queueMs: 0, durationMs: 600 });
		const result = await t.run(t.generate({ options: { pollInterval: 30, timeout: 1 } }));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(t.emulator.count('result')).toBe(1);
	});

	test('a Base URL with a wrong path is named as such', async () => {
		const credentials = { ...t.credentials(), baseUrl: `${t.emulator.baseUrl}/v1` };
		expect(await t.engine.testCredential('runComfyApi', credentials)).toEqual({
			status: 'Error',
			message:
				'The Base URL does not answer like the RunComfy Model API: use https://model-api.runcomfy.net',
		});
		const result = await t.run(t.generate(), { credentials });
		expect(result.error?.message).toBe('RunComfy answered 404 Not Found for this URL');
		expect(description(result.error)).toMatch(/Base URL/);
	});

	test('look-up errors list the request ids looked up, not "created"', async () => {
		const submitted = await t.run({ ...t.generate(), operation: 'submit' });
		const id = submitted.items[0].json.requestId as string;
		const result = await t.run(
			{ operation: 'getStatus', requestId: '={{ $json.id }}' },
			{ items: [{ id }, { id: 'nope' }] },
		);
		expect(description(result.error)).toContain(`Request IDs in this run: item 0: ${id}`);
		expect(description(result.error)).not.toMatch(/created/);
	});
});
