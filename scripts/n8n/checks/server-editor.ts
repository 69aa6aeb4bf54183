/**
 * What n8n's editor asks a server for while a user sets the nodes up, through the same REST calls:
 * the credential's Test button, the RunComfy node's Model list (search, pages) and the Inputs fields
 * the resource mapper shows for a chosen model. None of this runs a workflow, so `n8n execute`
 * cannot prove it.
 */
import { EDIT_ID, FLUX_ID, NO_SCHEMA_ID, MODELS } from '../../../test/emulator/catalog';
import { CREDENTIAL_ID, CREDENTIAL_NAME, CREDENTIAL_TYPE, type Json } from '../common';
import { show, type Expect } from '../runner';
import type { ServerSuite } from './server';

const RUNCOMFY_TYPE = 'n8n-nodes-runcomfy.runComfy';

export async function editorChecks(suite: ServerSuite): Promise<void> {
	const { runner } = suite;
	await runner.check(
		'server + Webhook',
		"editor: the credential's Test button, good and bad token",
		async (expect) => await credentialTest(suite, expect),
	);
	await runner.check(
		'RunComfy node',
		'editor: the Model list, searched, with category, price and page',
		async (expect) => await modelList(suite, expect),
	);
	await runner.check(
		'RunComfy node',
		'editor: the Inputs fields of a chosen model (resource mapper)',
		async (expect) => await inputFields(suite, expect),
	);
}

async function testCredential(suite: ServerSuite, data: Json): Promise<Json> {
	return await suite.rest.call('POST', '/credentials/test', {
		credentials: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data },
	});
}

async function credentialTest(suite: ServerSuite, expect: Expect): Promise<void> {
	const before = suite.emulator.requests.length;
	const good = await testCredential(suite, { apiToken: suite.emulator.token, baseUrl: suite.base });
	expect(good.status === 'OK', `a good token: ${show(good)}`);
	const bad = await testCredential(suite, { apiToken: 'not-a-token', baseUrl: suite.base });
	expect(bad.status === 'Error', `a bad token: ${show(bad)}`);
	expect(
		/rejected the API token/.test(String(bad.message)),
		`a bad token's message: ${show(bad.message)}`,
	);
	const paid = suite.emulator.requests.slice(before).filter((r) => r.route === 'submit');
	expect(paid.length === 0, `the test submitted ${paid.length} job(s)`);
}

/** The body the editor sends for a RunComfy node's dynamic parameters. */
export function dynamicParameters(
	path: string,
	methodName: string,
	parameters: Json,
	extra: Json = {},
): Json {
	return {
		nodeTypeAndVersion: { name: RUNCOMFY_TYPE, version: 1 },
		path,
		methodName,
		currentNodeParameters: parameters,
		credentials: { runComfyApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
		...extra,
	};
}

async function listModels(
	suite: ServerSuite,
	filter: string,
	paginationToken?: string,
): Promise<Json> {
	const model = { __rl: true, mode: 'list', value: '' };
	return await suite.rest.call(
		'POST',
		'/dynamic-node-parameters/resource-locator-results',
		dynamicParameters(
			'model',
			'searchModels',
			{ operation: 'run', model },
			{ filter, paginationToken },
		),
	);
}

async function modelList(suite: ServerSuite, expect: Expect): Promise<void> {
	const all = await listModels(suite, '');
	const results = (all.results ?? []) as Json[];
	expect(all.paginationToken === undefined, `a second page offered: ${show(all.paginationToken)}`);
	expect(
		results.length === Math.min(MODELS.length, 50),
		`${results.length} models listed of ${MODELS.length}: ${show(all)}`,
	);
	const flux = results.find((entry) => entry.value === FLUX_ID);
	expect(flux, `${FLUX_ID} is not in the list: ${show(results.map((r) => r.value))}`);
	// Since 11c0a61 the entry's name carries the category and the price (n8n shows no description).
	expect(
		/ · text-to-image · \$0\.01 per image$/.test(String(flux?.name)),
		`no category and price in FLUX's entry: ${show(flux)}`,
	);
	expect(
		String(flux?.url ?? '').startsWith('https://'),
		`no model page URL in FLUX's entry: ${show(flux)}`,
	);
	const searched = ((await listModels(suite, 'edit')).results ?? []) as Json[];
	expect(
		searched.some((entry) => entry.value === EDIT_ID) &&
			!searched.some((entry) => entry.value === FLUX_ID),
		`the search "edit" answered ${show(searched.map((r) => r.value))}`,
	);
}

async function mapperFields(suite: ServerSuite, modelId: string): Promise<Json> {
	const parameters = {
		operation: 'run',
		model: { __rl: true, mode: 'list', value: modelId },
		inputs: { mappingMode: 'defineBelow', value: null },
	};
	return await suite.rest.call(
		'POST',
		'/dynamic-node-parameters/resource-mapper-fields',
		dynamicParameters('inputs', 'getInputFields', parameters),
	);
}

async function inputFields(suite: ServerSuite, expect: Expect): Promise<void> {
	const flux = await mapperFields(suite, FLUX_ID);
	const fields = (flux.fields ?? []) as Json[];
	const schema = MODELS.find((model) => model.model_id === FLUX_ID)?.input_schema as Json;
	const names = Object.keys(schema?.properties ?? {});
	expect(
		names.length > 0 && names.every((name) => fields.some((field) => field.id === name)),
		`FLUX's fields ${show(fields.map((f) => f.id))}, its schema has ${show(names)}`,
	);
	const prompt = fields.find((field) => field.id === 'prompt');
	expect(prompt?.required === true && prompt?.type === 'string', `prompt: ${show(prompt)}`);
	const enumField = fields.find((field) => field.type === 'options');
	expect((enumField?.options ?? []).length > 1, `no enum field with options: ${show(fields)}`);
	const none = await mapperFields(suite, NO_SCHEMA_ID);
	expect(
		(none.fields ?? []).length === 0 && /Additional Inputs/.test(String(none.emptyFieldsNotice)),
		`a model without a schema: ${show(none)}`,
	);
	const unknown = await mapperFields(suite, 'nobody/no-such/model');
	expect(
		(unknown.fields ?? []).length === 0 &&
			String(unknown.emptyFieldsNotice).includes('RunComfy has no model "nobody/no-such/model"'),
		`an unknown model: ${show(unknown)}`,
	);
}
