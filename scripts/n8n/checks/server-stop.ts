/**
 * The editor's Stop button on a server run of four jobs, started by a production webhook or by the
 * editor's "Execute workflow": every job the execution created is cancelled at RunComfy, the saved
 * execution is `canceled`, and nobody else's job is touched. Once with the four jobs waiting in
 * RunComfy's queue, once with the four submits still waiting for their answers.
 */
import type { Job, RecordedRequest } from '../../../test/emulator/emulator';
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { waitFor } from '../time';
import { callWebhook, finishedExecution, newExecution, type ServerSuite } from './server';

const WORKFLOW = 'rcSrvFourJobs01';
const PROMPT = '[stop-test]';
const JOBS = 4;

type Start = 'webhook' | 'manual';
type Moment = 'queued' | 'in flight';

export async function stopChecks(suite: ServerSuite): Promise<void> {
	for (const moment of ['queued', 'in flight'] as const) {
		for (const start of ['webhook', 'manual'] as const) {
			const how = start === 'webhook' ? 'production Webhook' : 'editor "Execute workflow"';
			const when = moment === 'queued' ? 'four jobs in the queue' : 'four submits in flight';
			await suite.runner.check(
				'server + Stop',
				`Stop (${how}, ${when}) cancels exactly the run's jobs; execution canceled`,
				async (expect) => await stopRun(suite, start, moment, expect),
			);
		}
	}
}

async function stopRun(
	suite: ServerSuite,
	start: Start,
	moment: Moment,
	expect: Expect,
): Promise<void> {
	const { emulator, rest } = suite;
	const bystander = await othersJob(suite);
	const since = emulator.requests.length;
	const previous = emulator.onSubmit;
	emulator.onSubmit = (body, index) =>
		String(body['600_prompt']).startsWith(PROMPT)
			? { queueMs: 10 * 60_000 }
			: previous?.(body, index);
	const release = moment === 'in flight' ? emulator.holdAnswers('submit') : undefined;
	try {
		const id = await newExecution(suite, WORKFLOW, async () =>
			start === 'webhook'
				? await callWebhook(suite, 'rc-four-jobs')
				: await rest.runManually(WORKFLOW, 'Manual Trigger'),
		);
		const jobs = await waitFor(`${JOBS} jobs ${moment}`, () => runJobs(suite, since, moment), {
			timeoutMs: 60_000,
			describe: () => requestsSince(suite, since),
		});
		await rest.stop(id);
		release?.();
		await expectCancelled(suite, expect, jobs, since);
		const execution = await finishedExecution(suite, WORKFLOW, id);
		expect(
			execution.status === 'canceled',
			`saved execution ${id} is ${show(execution.status)}, want canceled`,
		);
		expect(
			emulator.statusOf(bystander.id) === 'in_queue' && bystander.cancelAttempts === 0,
			`another user's job was touched: ${bystander.status}, ${bystander.cancelAttempts} cancel(s)`,
		);
	} finally {
		release?.();
		emulator.onSubmit = previous;
	}
}

/** A job someone else submitted, waiting in the same queue: Stop must leave it alone. */
async function othersJob(suite: ServerSuite): Promise<Job> {
	const { emulator } = suite;
	emulator.scriptNextJobs({ queueMs: 10 * 60_000 });
	const res = await fetch(
		`${emulator.baseUrl}/v1/models/community/wan-2-1/fusionx/image-to-video`,
		{
			method: 'POST',
			headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				'600_prompt': 'Someone else',
				'608_image': `${emulator.baseUrl}/images/start.png`,
			}),
		},
	);
	const { request_id: id } = (await res.json()) as Json;
	const job = emulator.jobs.get(String(id));
	if (!job) throw new Error(`could not submit the bystander job: ${res.status}`);
	return job;
}

/**
 * The run's jobs once all four exist: `queued` also wants every submit answered and the node
 * polling; `in flight` wants the jobs created while every answer is still held back.
 */
function runJobs(suite: ServerSuite, since: number, moment: Moment): Job[] | undefined {
	const submits = submitsSince(suite, since).filter((r) => r.requestId);
	if (submits.length < JOBS) return undefined;
	if (moment === 'queued') {
		if (submits.some((r) => r.status !== 200)) return undefined;
		const ids = new Set(submits.map((r) => r.requestId));
		const polled = suite.emulator.requests
			.slice(since)
			.some((r) => (r.route === 'result' || r.route === 'status') && ids.has(r.requestId));
		if (!polled) return undefined;
	} else if (submits.some((r) => r.status !== 0)) {
		return undefined;
	}
	return submits.map((r) => suite.emulator.jobs.get(String(r.requestId)) as Job);
}

async function expectCancelled(
	suite: ServerSuite,
	expect: Expect,
	jobs: Job[],
	since: number,
): Promise<void> {
	const waited = await waitFor(
		'every job of the run to be cancelled',
		() => (jobs.every((job) => job.status === 'cancelled') ? true : undefined),
		{
			timeoutMs: 30_000,
			describe: () => `${jobs.map((job) => job.status).join(', ')}; ${requestsSince(suite, since)}`,
		},
	).catch((error: Error) => error.message);
	expect(waited === true, String(waited));
	const ids = new Set(jobs.map((job) => job.id));
	const strays = suite.emulator.requests
		.slice(since)
		.filter((r) => r.route === 'cancel' && !ids.has(String(r.requestId)));
	expect(
		strays.length === 0,
		`cancels of jobs not in this run: ${show(strays.map((r) => r.requestId))}`,
	);
	const submits = submitsSince(suite, since).length;
	expect(submits === JOBS, `${submits} submits, want ${JOBS} (none after Stop)`);
}

function submitsSince(suite: ServerSuite, since: number): RecordedRequest[] {
	return suite.emulator.requests.slice(since).filter((r) => r.route === 'submit');
}

function requestsSince(suite: ServerSuite, since: number): string {
	const counts = new Map<string, number>();
	for (const r of suite.emulator.requests.slice(since)) {
		const key = `${r.route} ${r.status}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return `emulator saw: ${[...counts].map(([key, n]) => `${n}× ${key}`).join(', ') || 'nothing'}`;
}
