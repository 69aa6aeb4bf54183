/**
 * The promises users buy the node for, each broken once by an adversarial review: the token goes
 * nowhere else, secrets are never echoed, Stop leaves no orphaned job, and an item is a success
 * only with a video.
 */
import type { INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { RunComfyEmulator } from '../emulator/emulator';
import { setUpEmulator } from '../harness/context';
import { FUSIONX_TYPE, START_TYPE } from '../harness/engine';
import { recordLogs } from '../harness/logs';
import { description, until } from '../harness/wait';

const t = setUpEmulator({ queueMs: 100, durationMs: 300 });
const foreign = new RunComfyEmulator();
beforeAll(async () => await foreign.start());
beforeEach(() => foreign.reset());
afterAll(async () => await foreign.stop());

describe('the token never follows a redirect', () => {
	test.each(['submit', 'result'] as const)(
		'a redirect on %s is an error; nothing reaches the other host',
		async (route) => {
			for (const status of [302, 307]) {
				t.emulator.addFault({
					route,
					status,
					body: {},
					headers: { Location: `${foreign.baseUrl}/v1/requests/x/result` },
					times: 10,
				});
			}
			const result = await t.run(t.generate());
			expect(result.error?.message).toMatch(
				/^RunComfy answered with a redirect: redirected to 127\.0\.0\.1:\d+/,
			);
			expect(description(result.error)).toMatch(/never follows a redirect/);
			expect(foreign.requests).toHaveLength(0);
			if (route === 'submit') expect(t.emulator.jobs.size).toBe(0);
		},
	);
});

describe('secrets are never echoed', () => {
	const secret = 's3cret-pa55word';

	test('a Base URL with user:password is refused before any request and never printed', async () => {
		const baseUrl = t.emulator.baseUrl.replace('http://', `http://user:${secret}@`);
		for (const operation of ['generate', 'submit', 'getStatus']) {
			const result = await t.run(
				{ ...t.generate(), operation, requestId: 'abc' },
				{ credentials: { apiToken: t.emulator.token, baseUrl } },
			);
			expect(result.error?.message).toBe(
				'The Base URL in the RunComfy API credential must not contain a user name or password',
			);
			expect(JSON.stringify(result.error)).not.toContain(secret);
		}
		expect(t.emulator.requests).toHaveLength(0);
	});

	test.each([`?key=${secret}`, `#${secret}`])(
		'a Base URL with a query or fragment (%s) is refused before any request',
		async (suffix) => {
			const result = await t.run(t.generate(), {
				credentials: { apiToken: t.emulator.token, baseUrl: `${t.emulator.baseUrl}${suffix}` },
			});
			expect(result.error?.message).toBe(
				'The Base URL in the RunComfy API credential must not contain a query (?…) or a fragment (#…)',
			);
			expect(JSON.stringify(result.error)).not.toContain(secret);
			expect(t.emulator.requests).toHaveLength(0);
		},
	);

	test('a token RunComfy echoes back is redacted from errors, output and logs', async () => {
		const lines = await recordLogs(async () => {
			t.emulator.addFault({
				route: 'submit',
				status: 422,
				body: {
					error_code: 422001,
					error_message: `token ${t.emulator.token} is not allowed here`,
				},
			});
			const failed = await t.run(t.generate());
			expect(failed.error?.message).toBe(
				'RunComfy rejected the input: token [redacted] is not allowed here',
			);
			expect(JSON.stringify(failed.error)).not.toContain(t.emulator.token);
			t.emulator.scriptNextJobs({ resultExtra: { note: `Bearer ${t.emulator.token}` } });
			const delivered = await t.run(t.generate());
			expect(JSON.stringify(delivered.items)).not.toContain(t.emulator.token);
		});
		expect(lines.join('\n')).not.toContain(t.emulator.token);
	});
});

describe('an item is a success only with a usable video', () => {
	test.each([
		['null', null],
		['{}', {}],
		['no videos', { videos: [] }],
		['an empty video', { video: '' }],
		['a file: URL', { video: 'file:///etc/passwd' }],
		['an ftp: URL', { video: 'ftp://example.com/v.mp4' }],
		['a relative URL', { video: '/files/v.mp4' }],
		['a URL with a newline', { video: 'https://example.com/a\n.mp4' }],
	])('completed with output %s fails with its request id, at once', async (_name, output) => {
		t.emulator.scriptNextJobs({ output });
		const result = await t.run(t.generate({ options: { download: true } }));
		const requestId = [...t.emulator.jobs.keys()][0];
		expect(result.error?.message).toBe('The job finished but its output holds no video URL');
		expect(description(result.error)).toContain(requestId);
		expect(t.emulator.count('file')).toBe(0);
		expect(t.emulator.count('result')).toBe(1);
	});

	test('an answer saying "failed" is a failure even when its output holds a video', async () => {
		t.emulator.scriptNextJobs({
			outcome: 'failed',
			error: 'bad',
			output: { video: 'https://example.com/v.mp4' },
		});
		const result = await t.run(t.generate());
		expect(result.error?.message).toBe('The RunComfy job failed: bad');
	});

	test('a completed job whose answer carries an error field is not run again by Retry On Fail', async () => {
		t.emulator.scriptNextJobs({ resultExtra: { error: 'warning: upscaler skipped' } });
		const result = await t.run(t.generate(), {
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.error).toBeUndefined();
		expect(t.submitted()).toHaveLength(1);
		expect(t.emulator.count('result')).toBe(1);
	});
});

describe('a download that is not the video fails saying so, and keeps the video URL', () => {
	const run = async (video: object, timeout = 60) => {
		t.emulator.scriptNextJobs({ video });
		const result = await t.run(t.generate({ options: { download: true, timeout } }));
		const requestId = [...t.emulator.jobs.keys()][0];
		expect(description(result.error)).toContain(`${t.emulator.baseUrl}/files/${requestId}.mp4`);
		expect(description(result.error)).toContain(requestId);
		return result;
	};

	test('an HTML page served as the video', async () => {
		const result = await run({ body: '<html>login</html>', contentType: 'text/html' });
		expect(result.error?.message).toBe(
			'Downloading the video failed (it served text/html, not a video)',
		);
	});

	test('a download cut mid-stream, every time', async () => {
		const result = await run({ cutAfterBytes: 1000 });
		expect(result.error?.message).toMatch(/^The video download was cut off/);
	});

	test('a host that trickles forever is given up at the Timeout', async () => {
		const result = await run({ trickle: true }, 3);
		expect(result.error?.message).toBe(
			'The video download did not finish within the timeout of 3 s',
		);
	});
});

test('a download cut once is fetched again and delivered whole', async () => {
	t.emulator.scriptNextJobs({ video: { cutAfterBytes: 1000, cutTimes: 1 } });
	const result = await t.run(t.generate({ options: { download: true } }));
	expect(result.error).toBeUndefined();
	expect(result.items[0].binary?.data.bytes).toBe(65536);
	expect(t.emulator.count('file')).toBe(2);
});

describe('Stop leaves no job orphaned', () => {
	test('submits in flight at the Stop finish, and their jobs are cancelled; no further submit', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 60_000 });
		const release = t.emulator.holdAnswers('submit');
		const result = await t.run(t.generate({ options: { maxConcurrency: 2 } }), {
			items: [{}, {}, {}, {}, {}, {}],
			onStarted: (cancel) =>
				void until(() => t.emulator.jobs.size === 2).then(() => {
					cancel();
					release();
				}),
		});
		expect(result.run.status).toBe('canceled');
		expect(await until(() => t.emulator.count('cancel') === 2)).toBe(true);
		expect(t.emulator.jobs.size).toBe(2);
		expect([...t.emulator.jobs.values()].map((job) => job.status)).toEqual([
			'cancelled',
			'cancelled',
		]);
	});

	test('a Stop between two tries of Retry On Fail cancels the jobs left for the next try', async () => {
		t.emulator.onSubmit = (body) =>
			body['600_prompt'] === 'fail' ? { outcome: 'failed', error: 'boom' } : { queueMs: 60_000 };
		const lines: string[] = [];
		let status: string | undefined;
		await recordLogs(async () => {
			const result = await t.run(t.generate({ prompt: '={{ $json.p }}' }), {
				items: [{ p: 'fail' }, { p: 'held 1' }, { p: 'held 2' }],
				settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 5000 },
				// Try 1 has ended (item 0's job failed): the node has handed its jobs to the next try.
				onStarted: (cancel) =>
					void until(() => lines.some((line) => line.includes('left for Retry On Fail'))).then(
						cancel,
					),
			});
			status = result.run.status;
		}, lines);
		expect(status).toBe('canceled');
		expect(t.submitted()).toHaveLength(3);
		expect(await until(() => t.emulator.count('cancel') === 2)).toBe(true);
		const held = [...t.emulator.jobs.values()].filter((job) => job.input['600_prompt'] !== 'fail');
		expect(held.map((job) => job.status)).toEqual(['cancelled', 'cancelled']);
	});

	test('the last try of Retry On Fail failing before it takes the jobs over cancels them', async () => {
		t.emulator.onSubmit = (body) =>
			body['600_prompt'] === 'fail' ? { outcome: 'failed', error: 'boom' } : { queueMs: 60_000 };
		// The balance can be read once: the second try fails at Check Balance First, before its memory.
		let reads = 0;
		t.emulator.addFault({
			route: 'balance',
			status: 403,
			body: { error_code: 403001, error_message: 'Permission denied' },
			times: Infinity,
			match: () => ++reads > 1,
		});
		const result = await t.run(
			t.generate({ prompt: '={{ $json.p }}', options: { checkBalance: true } }),
			{
				items: [{ p: 'fail' }, { p: 'held' }],
				credentials: { ...t.credentials(), accountApiUrl: t.emulator.baseUrl },
				settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
			},
		);
		expect(result.error?.message).toMatch(/Could not read the RunComfy balance/);
		expect(t.submitted()).toHaveLength(2);
		const held = [...t.emulator.jobs.values()].find((job) => job.input['600_prompt'] === 'held')!;
		expect(held.status).toBe('cancelled');
	});

	test('a Stop during a later node leaves alone the jobs this node already reported', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 60_000 });
		// The later node waits on a job from elsewhere, not on the one this execution reported.
		const foreign = await t.run({ ...t.generate(), operation: 'submit' });
		const foreignId = String(foreign.items[0].json.requestId);
		const result = await t.engine.execute(twoNodes(`={{ "${foreignId}" }}`), 'Wait', {
			credentials: t.credentials(),
			onStarted: (cancel) => void until(() => t.emulator.count('result') >= 3).then(cancel),
		});
		expect(result.run.status).toBe('canceled');
		expect([...t.emulator.jobs.values()].map((job) => [job.cancelAttempts, job.status])).toEqual([
			[0, 'in_queue'],
			[0, 'in_queue'],
		]);
	});

	test('a Stop during Wait for Completion leaves alone a job this execution only looked up', async () => {
		t.emulator.onSubmit = () => ({ queueMs: 60_000 });
		const foreign = await t.run({ ...t.generate(), operation: 'submit' });
		const foreignId = String(foreign.items[0].json.requestId);
		// Get Status outputs the request id too; the job is still not this execution's.
		const lookUp = { operation: 'getStatus', requestId: `={{ "${foreignId}" }}` };
		const result = await t.engine.execute(twoNodes('={{ $json.requestId }}', lookUp), 'Wait', {
			credentials: t.credentials(),
			onStarted: (cancel) => void until(() => t.emulator.count('result') >= 2).then(cancel),
		});
		expect(result.run.status).toBe('canceled');
		expect(t.emulator.count('cancel')).toBe(0);
		expect(t.emulator.statusOf(foreignId)).toBe('in_queue');
	});

	test('a Stop while Wait for Completion waits on a job of this execution cancels it', async () => {
		// n8n 2.x saves a stopped execution without its run data: the job would be named nowhere.
		t.emulator.onSubmit = () => ({ queueMs: 60_000 });
		const result = await t.engine.execute(twoNodes('={{ $json.requestId }}'), 'Wait', {
			credentials: t.credentials(),
			onStarted: (cancel) => void until(() => t.emulator.count('result') >= 3).then(cancel),
		});
		expect(result.run.status).toBe('canceled');
		expect(await until(() => t.emulator.count('cancel') === 1)).toBe(true);
		expect([...t.emulator.jobs.values()].map((job) => job.status)).toEqual(['cancelled']);
	});
});

/** Start → Generate (times out, leaves its job queued, Continue On Fail) → Wait for Completion. */
function twoNodes(
	waitFor: string,
	first: INode['parameters'] = {
		...t.generate({ options: { timeout: 1, cancelOnTimeout: false } }),
	} as INode['parameters'],
): Workflow {
	const credentials = { runComfyApi: { id: '1', name: 'RunComfy account' } };
	const node = (
		name: string,
		x: number,
		parameters: INode['parameters'],
		extra: Partial<INode> = {},
	): INode => ({
		id: name,
		name,
		type: FUSIONX_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials,
		...extra,
	});
	t.engine.credentialsHelper.credentials = { runComfyApi: t.credentials() };
	return new Workflow({
		id: 'two-nodes',
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: START_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: '[{}]', binary: '[]' },
			},
			node('Generate', 200, first, { onError: 'continueRegularOutput' }),
			node('Wait', 400, {
				operation: 'waitForCompletion',
				requestId: waitFor,
				options: { pollInterval: 1 },
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Generate', type: 'main', index: 0 }]] },
			Generate: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes: t.engine.nodeTypes,
		settings: { executionOrder: 'v1' },
	});
}
