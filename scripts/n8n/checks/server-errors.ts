/**
 * Errors in a webhook-triggered server run: Continue On Fail (regular output) and "Continue (using
 * error output)" on the same three items, and a failed job without either, whose saved execution
 * error must carry the RunComfy request id (the job was paid for; the id is how to find it).
 */
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { itemsOf } from './cli';
import { expectThreeOutcomes } from './execute';
import { callWebhook, finishedExecution, newExecution, type ServerSuite } from './server';

export async function errorChecks(suite: ServerSuite): Promise<void> {
	await suite.runner.check(
		'Continue On Fail',
		'[server] Webhook run: Continue On Fail and the error output, item by item',
		async (expect) => await continueOnFail(suite, expect),
	);
	await suite.runner.check(
		'Continue On Fail',
		"[server] Webhook run whose job fails: the saved execution's error carries the request id",
		async (expect) => await failedRun(suite, expect),
	);
}

function failedSubmitIds(suite: ServerSuite, since: number): string[] {
	return suite.emulator.requests
		.slice(since)
		.filter(
			(r) => r.route === 'submit' && String((r.body as Json)?.['600_prompt']).startsWith('[fail]'),
		)
		.map((r) => String(r.requestId));
}

async function continueOnFail(suite: ServerSuite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const id = await newExecution(
		suite,
		'rcSrvErrors0001',
		async () => await callWebhook(suite, 'rc-errors'),
	);
	const execution = await finishedExecution(suite, 'rcSrvErrors0001', id);
	expect(execution.status === 'success', `saved execution ${id} is ${show(execution.status)}`);
	expect(execution.mode === 'webhook', `execution mode ${show(execution.mode)}, want webhook`);
	const failedIds = failedSubmitIds(suite, since);
	expect(failedIds.length === 2, `want 2 failed jobs (one per node), got ${failedIds.length}`);
	const regular = itemsOf(execution, 'Continue').map((item) => item.json ?? {});
	expect(regular.length === 3, `Continue: want 3 items, got ${regular.length}`);
	expectThreeOutcomes(expect, regular, failedIds);

	expectErrorOutput(expect, execution, failedIds);
}

/**
 * "Continue (using error output)": the video on the success output, both failures on the error
 * output, on every line (the node gives them as `{ error: { message, description, requestId,
 * status } }`, which n8n 1.x routes too).
 */
function expectErrorOutput(expect: Expect, execution: Json, failedIds: string[]) {
	const good = itemsOf(execution, 'Error Output', 0);
	const bad = itemsOf(execution, 'Error Output', 1);
	expect(
		good.length === 1 && good[0]?.json?.status === 'completed',
		`Error Output, success branch: ${show(good.map((i) => i.json))}`,
	);
	expect(
		bad.length === 2,
		`Error Output, error branch: want 2 items, got ${show(bad.map((i) => i.json))}`,
	);
	expect(
		bad.map((item) => item.pairedItem?.item).join(',') === '1,2',
		`error branch pairedItem ${show(bad.map((item) => item.pairedItem))}`,
	);
	const items = [good[0]?.json ?? {}, bad[0]?.json ?? {}, bad[1]?.json ?? {}];
	expectThreeOutcomes(expect, items, failedIds);
	expect(
		itemsOf(execution, 'Failed').length === 2,
		'the node after the error output did not get both error items',
	);
}

async function failedRun(suite: ServerSuite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const id = await newExecution(
		suite,
		'rcSrvFail000001',
		async () => await callWebhook(suite, 'rc-fail'),
	);
	const execution = await finishedExecution(suite, 'rcSrvFail000001', id);
	expect(
		execution.status === 'error',
		`saved execution ${id} is ${show(execution.status)}, want error`,
	);
	const [requestId] = failedSubmitIds(suite, since);
	expect(requestId, 'the emulator saw no failing submit');
	const error = execution.data?.resultData?.error ?? {};
	expect(error.node?.name === 'Generate Video', `error.node ${show(error.node?.name)}`);
	expect(
		/out of memory/i.test(`${error.message} ${error.description}`),
		`the error does not carry RunComfy's reason: ${show(error)}`,
	);
	expect(
		String(error.description).includes(`Request ID: ${requestId}`),
		`error.description does not name the request id ${requestId}: ${show(error.description)}`,
	);
	expect(
		error.context?.requestId === requestId,
		`error.context.requestId ${show(error.context?.requestId)}`,
	);
}
