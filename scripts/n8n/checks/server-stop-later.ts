/**
 * Stop at the two moments where no running node owns a run's queued jobs, in a server run: between
 * two tries of Retry On Fail (the node returned, n8n waits before the next try), and while Wait for
 * Completion waits on the jobs a Submit Job of the same execution created (n8n 2.x saves a stopped
 * execution without run data, so nothing else would name them). Either way the queued jobs are
 * cancelled.
 */
import type { Job } from '../../../test/emulator/emulator';
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { waitFor } from '../time';
import { callWebhook, finishedExecution, newExecution, type ServerSuite } from './server';

export async function stopLaterChecks(suite: ServerSuite): Promise<void> {
	await suite.runner.check(
		'server + Stop',
		'Stop between two tries of Retry On Fail: the jobs left for the next try are cancelled',
		async (expect) => await stopBetweenTries(suite, expect),
	);
	await suite.runner.check(
		'server + Stop',
		'Stop during Wait for Completion after Submit Job: the jobs of the execution are cancelled',
		async (expect) => await stopDuringWait(suite, expect),
	);
}

/** The jobs whose prompt starts with `tag`, submitted since `since`. */
function jobsTagged(suite: ServerSuite, since: number, tag: string): Job[] {
	return suite.emulator.requests
		.slice(since)
		.filter(
			(r) =>
				r.route === 'submit' &&
				r.requestId &&
				String((r.body as Json)?.['600_prompt']).startsWith(tag),
		)
		.map((r) => suite.emulator.jobs.get(String(r.requestId)) as Job);
}

async function withScript<T>(suite: ServerSuite, body: () => Promise<T>): Promise<T> {
	const { emulator } = suite;
	const previous = emulator.onSubmit;
	emulator.onSubmit = (input, index) => {
		const prompt = String(input['600_prompt']);
		if (prompt.startsWith('[sr-fail]'))
			return { outcome: 'failed', error: 'CUDA out of memory (emulated)' };
		if (prompt.startsWith('[sr-hold]') || prompt.startsWith('[sw-hold]'))
			return { queueMs: 10 * 60_000 };
		return previous?.(input, index);
	};
	try {
		return await body();
	} finally {
		emulator.onSubmit = previous;
	}
}

async function expectStopped(
	suite: ServerSuite,
	expect: Expect,
	workflow: string,
	id: string,
	held: Job[],
	submits: number,
	tag: string,
	since: number,
) {
	const cancelled = await waitFor(
		'the held jobs to be cancelled',
		() => (held.every((job) => job.status === 'cancelled') ? true : undefined),
		{ timeoutMs: 30_000, describe: () => held.map((job) => job.status).join(', ') },
	).catch((error: Error) => error.message);
	expect(cancelled === true, String(cancelled));
	const execution = await finishedExecution(suite, workflow, id);
	expect(execution.status === 'canceled', `saved execution ${id} is ${show(execution.status)}`);
	const all = jobsTagged(suite, since, tag);
	expect(all.length === submits, `${all.length} submits, want ${submits} (none after the Stop)`);
}

async function stopBetweenTries(suite: ServerSuite, expect: Expect): Promise<void> {
	await withScript(suite, async () => {
		const since = suite.emulator.requests.length;
		const logFrom = suite.server.log().length;
		const id = await newExecution(
			suite,
			'rcSrvStopRetry1',
			async () => await callWebhook(suite, 'rc-stop-retry'),
		);
		// The node logs the jobs it leaves for the next try as it returns; n8n then waits 5 s.
		await waitFor(
			'the first try to end',
			() =>
				suite.server.log().slice(logFrom).includes("left for Retry On Fail's next try")
					? true
					: undefined,
			{
				timeoutMs: 60_000,
			},
		);
		await suite.rest.stop(id);
		const held = jobsTagged(suite, since, '[sr-hold]');
		expect(held.length === 2, `${held.length} held jobs, want 2`);
		await expectStopped(suite, expect, 'rcSrvStopRetry1', id, held, 3, '[sr', since);
	});
}

async function stopDuringWait(suite: ServerSuite, expect: Expect): Promise<void> {
	await withScript(suite, async () => {
		const since = suite.emulator.requests.length;
		const id = await newExecution(
			suite,
			'rcSrvStopWait01',
			async () => await callWebhook(suite, 'rc-stop-wait'),
		);
		// Submit Job has returned and Wait for Completion looks at both jobs.
		const held = await waitFor(
			'Wait for Completion to look at both jobs',
			() => {
				const jobs = jobsTagged(suite, since, '[sw-hold]');
				const looked = jobs.filter((job) =>
					suite.emulator.requests
						.slice(since)
						.some((r) => (r.route === 'result' || r.route === 'status') && r.requestId === job.id),
				);
				return jobs.length === 2 && looked.length === 2 ? jobs : undefined;
			},
			{ timeoutMs: 60_000 },
		);
		await suite.rest.stop(id);
		await expectStopped(suite, expect, 'rcSrvStopWait01', id, held, 2, '[sw-hold]', since);
	});
}
