/**
 * The Deployment resource in a server: the editor's REST calls while a user sets the node up (the
 * Deployment list, `searchDeployments`; the Inputs fields, `getWorkflowInputs`, exposed and with
 * All Workflow Inputs), and a production-webhook run of Run Workflow with three items, read back
 * from the saved execution and counted in the emulator's log (one job per item).
 */
import {
	DEPLOYMENT_DISABLED,
	DEPLOYMENT_FOREIGN,
	DEPLOYMENT_LORA,
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
} from '../../../test/emulator/emulator';
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { itemsOf } from './cli';
import { DEPLOYMENTS, fileUrl, routesSince } from './deployments';
import { dynamicParameters } from './server-editor';
import { callWebhook, finishedExecution, newExecution, type ServerSuite } from './server';

const BATCH_WORKFLOW = 'rcSrvDeploy0001';
const BATCH_ROWS = 3;

export async function deploymentServerChecks(suite: ServerSuite): Promise<void> {
	const { runner } = suite;
	await runner.check(
		DEPLOYMENTS,
		'editor: the Deployment list (searchDeployments), searched',
		async (expect) => await deploymentList(suite, expect),
	);
	await runner.check(
		DEPLOYMENTS,
		'editor: the Inputs fields of a deployment (getWorkflowInputs), exposed and All Workflow Inputs',
		async (expect) => await inputFields(suite, expect),
	);
	await runner.check(
		DEPLOYMENTS,
		`[server] Webhook run: Run Workflow with ${BATCH_ROWS} items, one job per item`,
		async (expect) => await webhookBatch(suite, expect),
	);
}

async function listDeployments(suite: ServerSuite, filter: string): Promise<Json> {
	const deployment = { __rl: true, mode: 'list', value: '' };
	return await suite.rest.call(
		'POST',
		'/dynamic-node-parameters/resource-locator-results',
		dynamicParameters(
			'deployment',
			'searchDeployments',
			{ resource: 'deployment', operation: 'runWorkflow', deployment },
			{ filter },
		),
	);
}

async function deploymentList(suite: ServerSuite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const all = ((await listDeployments(suite, '')).results ?? []) as Json[];
	const values = all.map((entry) => entry.value);
	const want = [DEPLOYMENT_T2I, DEPLOYMENT_VIDEO, DEPLOYMENT_LORA, DEPLOYMENT_DISABLED];
	expect(show(values) === show(want), `the list ${show(all)}, want ${show(want)}`);
	expect(!values.includes(DEPLOYMENT_FOREIGN), "another account's deployment is listed");
	// name · status · hardware (status depends on the jobs run before: standby or running)
	const names: Array<[string, RegExp]> = [
		[DEPLOYMENT_T2I, /^SDXL Text to Image · (standby|running) · AMPERE_48$/],
		[DEPLOYMENT_VIDEO, /^Wan FusionX Image to Video · (standby|running) · ADA_80_PLUS$/],
		[DEPLOYMENT_LORA, /^My Flux LoRA · running · AMPERE_48$/],
		[DEPLOYMENT_DISABLED, /^Paused Text to Image · standby · AMPERE_48 · disabled$/],
	];
	for (const [id, pattern] of names) {
		const entry = all.find((e) => e.value === id);
		expect(pattern.test(String(entry?.name)), `${id}: ${show(entry?.name)}, want ${pattern}`);
	}
	const searched = ((await listDeployments(suite, 'VIDEO')).results ?? []) as Json[];
	expect(
		show(searched.map((e) => e.value)) === show([DEPLOYMENT_VIDEO]),
		`the search "VIDEO" answered ${show(searched)}`,
	);
	const reads = routesSince(suite, since, 'deployments');
	expect(
		reads.length === 2 &&
			reads.every(
				(r) =>
					r.method === 'GET' &&
					r.path === '/prod/v2/deployments' &&
					r.authorization === `Bearer ${suite.emulator.token}`,
			),
		`the list calls ${show(reads.map((r) => `${r.method} ${r.path} ${r.authorization ? 'auth' : 'no auth'}`))}`,
	);
	const other = suite.emulator.requests.slice(since).filter((r) => r.route !== 'deployments');
	expect(other.length === 0, `the list also sent ${show(other.map((r) => r.path))}`);
}

async function mapperFields(
	suite: ServerSuite,
	deploymentId: string,
	allWorkflowInputs = false,
): Promise<Json> {
	const parameters = {
		resource: 'deployment',
		operation: 'runWorkflow',
		deployment: { __rl: true, mode: 'list', value: deploymentId },
		inputMode: 'fields',
		allWorkflowInputs,
		workflowInputs: { mappingMode: 'defineBelow', value: null },
	};
	return await suite.rest.call(
		'POST',
		'/dynamic-node-parameters/resource-mapper-fields',
		dynamicParameters('workflowInputs', 'getWorkflowInputs', parameters),
	);
}

const EXPOSED: Array<[string, string, string]> = [
	['3.seed', 'KSampler › seed (node 3) (whole number)', 'string'],
	['3.steps', 'KSampler › steps (node 3) (1–10000)', 'number'],
	['5.width', 'Empty Latent Image › width (node 5)', 'number'],
	['5.height', 'Empty Latent Image › height (node 5)', 'number'],
	['6.text', 'Positive Prompt › text (node 6)', 'string'],
];
const MORE = [
	'3.cfg',
	'3.sampler_name',
	'3.scheduler',
	'3.denoise',
	'4.ckpt_name',
	'5.batch_size',
	'7.text',
	'9.filename_prefix',
];

async function inputFields(suite: ServerSuite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const exposed = await mapperFields(suite, DEPLOYMENT_T2I);
	const fields = (exposed.fields ?? []) as Json[];
	const rows = fields.map((f) => [f.id, f.displayName, f.type]);
	expect(show(rows) === show(EXPOSED), `exposed fields ${show(rows)}, want ${show(EXPOSED)}`);
	expect(
		fields.every((f) => f.required === false && !f.removed),
		`exposed fields required or hidden: ${show(fields)}`,
	);
	expect(
		exposed.emptyFieldsNotice === undefined,
		`a notice with the fields: ${show(exposed.emptyFieldsNotice)}`,
	);
	const text = fields.find((f) => f.id === '6.text');
	expect(text?.defaultValue === 'a photo of a cat', `6.text default ${show(text?.defaultValue)}`);
	// The deployment with its payload, and its object_info, both with the token.
	const reads = routesSince(suite, since, 'deployments');
	expect(
		reads.length === 1 &&
			reads[0].path === `/prod/v2/deployments/${DEPLOYMENT_T2I}` &&
			reads[0].query.includes === 'payload',
		`the deployment read ${show(reads.map((r) => [r.path, r.query]))}`,
	);
	const info = routesSince(suite, since, 'objectInfo');
	expect(
		info.length === 1 && info[0].authorization === `Bearer ${suite.emulator.token}`,
		`object_info reads ${show(info.map((r) => [r.path, r.authorization ? 'auth' : 'no auth']))}`,
	);

	const every = ((await mapperFields(suite, DEPLOYMENT_T2I, true)).fields ?? []) as Json[];
	const ids = every.map((f) => f.id);
	const wantIds = [...EXPOSED.map(([id]) => id), ...MORE];
	expect(show(ids) === show(wantIds), `All Workflow Inputs: ${show(ids)}, want ${show(wantIds)}`);
	expect(
		every.slice(0, EXPOSED.length).every((f) => !f.removed) &&
			every.slice(EXPOSED.length).every((f) => f.removed === true),
		`All Workflow Inputs: the unexposed ones must start hidden: ${show(every.map((f) => [f.id, f.removed]))}`,
	);
	const sampler = every.find((f) => f.id === '3.sampler_name');
	expect(
		sampler?.type === 'options' &&
			sampler.defaultValue === 'euler' &&
			((sampler.options ?? []) as Json[]).length === 5,
		`3.sampler_name ${show(sampler)}`,
	);
	expect(
		!ids.some((id) => ['3.model', '3.positive', '8.samples', '9.images'].includes(id)),
		`links listed as inputs: ${show(ids)}`,
	);

	const video = ((await mapperFields(suite, DEPLOYMENT_VIDEO)).fields ?? []) as Json[];
	const pingpong = video.find((f) => f.id === '38:42.pingpong');
	expect(
		pingpong?.type === 'boolean' &&
			pingpong.displayName === 'Video Combine › pingpong (node 38:42)',
		`the video deployment's 38:42.pingpong ${show(pingpong)} (fields ${show(video.map((f) => f.id))})`,
	);
	const lora = await mapperFields(suite, DEPLOYMENT_LORA);
	expect(
		(lora.fields ?? []).length === 0 && /Flat Inputs \(JSON\)/.test(String(lora.emptyFieldsNotice)),
		`the LoRA deployment: ${show(lora)}`,
	);
	const unknown = await mapperFields(suite, 'no-such-deployment');
	expect(
		(unknown.fields ?? []).length === 0 &&
			String(unknown.emptyFieldsNotice).includes(
				'RunComfy knows no deployment no-such-deployment of this account',
			),
		`an unknown deployment: ${show(unknown)}`,
	);
	const paid = routesSince(suite, since, 'deploymentSubmit').length;
	expect(paid === 0, `the editor's calls submitted ${paid} job(s)`);
}

/** The prompt text of a deployment job (its override of node 6). */
function promptOf(suite: ServerSuite, requestId: string): string {
	const job = suite.emulator.serverless.jobs.get(requestId);
	return String((job?.input as Json | undefined)?.overrides?.['6']?.inputs?.text ?? '');
}

async function webhookBatch(suite: ServerSuite, expect: Expect): Promise<void> {
	const since = suite.emulator.requests.length;
	const id = await newExecution(
		suite,
		BATCH_WORKFLOW,
		async () => await callWebhook(suite, 'rc-deploy-batch'),
	);
	const execution = await finishedExecution(suite, BATCH_WORKFLOW, id, 120_000);
	expect(execution.status === 'success', `saved execution ${id} is ${show(execution.status)}`);
	expect(execution.mode === 'webhook', `execution mode ${show(execution.mode)}, want webhook`);
	const submits = routesSince(suite, since, 'deploymentSubmit').filter((r) =>
		promptOf(suite, String(r.requestId)).startsWith('[dp-srv]'),
	);
	expect(
		submits.length === BATCH_ROWS,
		`want ${BATCH_ROWS} jobs (one per item), the emulator saw ${submits.length}`,
	);
	const prompts = new Set(submits.map((r) => promptOf(suite, String(r.requestId))));
	expect(prompts.size === submits.length, `${submits.length} jobs for ${prompts.size} prompts`);
	const items = itemsOf(execution, 'Run Workflow');
	expect(items.length === BATCH_ROWS, `Run Workflow: ${items.length} items, want ${BATCH_ROWS}`);
	expect(
		items.map((item) => item.pairedItem?.item).join(',') === '0,1,2',
		`pairedItem ${show(items.map((item) => item.pairedItem))}`,
	);
	items.forEach((item, row) => {
		const json = item.json ?? {};
		const requestId = String(json.requestId);
		expect(
			submits.some((r) => r.requestId === requestId),
			`item ${row}: requestId ${requestId} is not one of the run's jobs`,
		);
		expect(
			promptOf(suite, requestId) === `[dp-srv] Row ${row}: a lighthouse at night`,
			`item ${row}: its job's prompt is ${show(promptOf(suite, requestId))}`,
		);
		expect(json.status === 'succeeded', `item ${row}: status ${show(json.status)}`);
		expect(
			json.imageUrl === fileUrl(suite.base, requestId, 'ComfyUI_00001_.png'),
			`item ${row}: imageUrl ${show(json.imageUrl)}`,
		);
		expect(json.deploymentId === DEPLOYMENT_T2I, `item ${row}: ${show(json.deploymentId)}`);
	});
	const reads = routesSince(suite, since, 'deployments').length;
	expect(reads === 1, `the deployment was read ${reads} times for ${BATCH_ROWS} items, want once`);
}
