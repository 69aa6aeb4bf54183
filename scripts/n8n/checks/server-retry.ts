/**
 * Retry On Fail (3 tries) with each On Error setting, in a webhook-triggered server run, three rows
 * of which the first one's job fails at RunComfy. n8n re-runs a node that throws, and also one whose
 * first output item carries `json.error` (Continue On Fail): every try must reuse the jobs the first
 * one created, so each node pays exactly one job per row, whatever n8n does.
 */
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { itemsOf } from './cli';
import { callWebhook, finishedExecution, newExecution, type ServerSuite } from './server';

const WORKFLOW = 'rcSrvRetry00001';
const ROWS = 3;
/** Each node tags its prompts, so the emulator's log tells whose job is whose. */
const NODES = [
	{ name: 'Retry + Continue', tag: '#rc' },
	{ name: 'Retry + Error Output', tag: '#reo' },
	{ name: 'Retry Only', tag: '#r' },
];

export async function retryCheck(suite: ServerSuite): Promise<void> {
	await suite.runner.check(
		'Continue On Fail',
		'[server] Retry On Fail × each On Error setting, a failed job on row 0: one job per row, reused by every try',
		async (expect) => await retries(suite, expect),
	);
}

/** The jobs a node created in this run, by row (from the prompt), and how often each was looked at. */
function jobsOf(suite: ServerSuite, since: number, tag: string) {
	const log = suite.emulator.requests.slice(since);
	const submits = log.filter(
		(r) => r.route === 'submit' && String((r.body as Json)?.['600_prompt']).endsWith(` ${tag}`),
	);
	return submits.map((submit) => {
		const prompt = String((submit.body as Json)['600_prompt']);
		const looks = log.filter(
			(r) => r.requestId === submit.requestId && (r.route === 'status' || r.route === 'result'),
		).length;
		return {
			row: Number(/Row (\d)/.exec(prompt)?.[1]),
			requestId: String(submit.requestId),
			looks,
		};
	});
}

async function retries(suite: ServerSuite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const id = await newExecution(suite, WORKFLOW, async () => await callWebhook(suite, 'rc-retry'));
	const execution = await finishedExecution(suite, WORKFLOW, id, 120_000);
	for (const { name, tag } of NODES) {
		const jobs = jobsOf(suite, since, tag);
		expect(
			jobs.length === ROWS && new Set(jobs.map((job) => job.row)).size === ROWS,
			`${name}: ${jobs.length} jobs for ${ROWS} rows: ${show(jobs)}`,
		);
		// Proof that n8n did re-run the node: the jobs were looked at again by later tries.
		const good = jobs.find((job) => job.row === 1);
		expect(
			(good?.looks ?? 0) >= 2,
			`${name}: row 1's job looked at ${good?.looks} time(s), so no retry ran`,
		);
	}
	const failedId = jobsOf(suite, since, '#rc').find((job) => job.row === 0)?.requestId;
	const continued = itemsOf(execution, 'Retry + Continue').map((item) => item.json ?? {});
	expect(
		continued.length === ROWS &&
			continued[0].requestId === failedId &&
			/out of memory/i.test(String(continued[0].error)),
		`Retry + Continue, row 0: ${show(continued[0])}`,
	);
	expect(
		continued.slice(1).every((json: Json) => json.status === 'completed' && json.videoUrl),
		`Retry + Continue, rows 1–2: ${show(continued.slice(1))}`,
	);
	const error = execution.data?.resultData?.error ?? {};
	const onlyFailed = jobsOf(suite, since, '#r').find((job) => job.row === 0)?.requestId;
	expect(
		execution.status === 'error',
		`saved execution ${id} is ${show(execution.status)}, want error`,
	);
	expect(
		error.node?.name === 'Retry Only' &&
			String(error.description).includes(`Request ID: ${onlyFailed}`),
		`Retry Only's error does not name its failed job ${onlyFailed}: ${show(error)}`,
	);
}
