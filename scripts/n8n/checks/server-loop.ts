/**
 * Max Jobs per Execution in a loop, the way big sheets are fed in n8n: Loop Over Items runs the
 * node once per batch, so the limit must count the jobs of its earlier runs. Five rows, batches of
 * two, a limit of four: two batches run, the third is refused before it pays.
 */
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { callWebhook, finishedExecution, newExecution, type ServerSuite } from './server';

const WORKFLOW = 'rcSrvLoop000001';

export async function loopCheck(suite: ServerSuite): Promise<void> {
	await suite.runner.check(
		'server + Webhook',
		'[server] Max Jobs per Execution 4 across Loop Over Items (5 rows, batches of 2): the third batch refused, 4 jobs',
		async (expect) => await loop(suite, expect),
	);
}

async function loop(suite: ServerSuite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const id = await newExecution(suite, WORKFLOW, async () => await callWebhook(suite, 'rc-loop'));
	const execution = await finishedExecution(suite, WORKFLOW, id, 120_000);
	const submits = suite.emulator.requests
		.slice(since)
		.filter(
			(r) => r.route === 'submit' && String((r.body as Json)?.['600_prompt']).startsWith('[loop]'),
		);
	expect(submits.length === 4, `want 4 jobs (two batches), the emulator saw ${submits.length}`);
	expect(
		execution.status === 'error',
		`saved execution ${id} is ${show(execution.status)}, want error`,
	);
	const error = execution.data?.resultData?.error ?? {};
	expect(
		error.message ===
			'This run would bring this node to 5 paid jobs in this execution (4 in its earlier runs, 1 now), more than Max Jobs per Execution (4)',
		`the error: ${show(error.message)}`,
	);
	const runs = execution.data?.resultData?.runData?.['Generate Video'] ?? [];
	expect(runs.length === 3, `Generate Video ran ${runs.length} time(s), want 3 (the last refused)`);
}
