/**
 * The three contenders as n8n workflows, each started by the harness's Start node with one item per
 * job ({prompt, imageUrl}):
 *
 * - `ours`:       Start → RunComfy FusionX (Generate Video)
 * - `handBuilt`:  Start → HTTP Request (submit) → Wait 1 s → HTTP Request (status) → If completed
 *                   ├ true  → HTTP Request (result)
 *                   └ false → back to Wait
 * - `oneByOne`:   Start → Loop Over Items (batch size 1) → the same submit → Wait → status → If loop
 *                   → result → back to Loop Over Items: one job at a time, as single-node peers do.
 */
import type { IConnections, IDataObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { FUSIONX_TYPE, START_TYPE, type Engine } from '../test/harness/engine';
import { MODEL_ID } from '../test/emulator/emulator';
import { BASE_TYPES } from './nodes-base';

export type Contender = 'ours' | 'handBuilt' | 'oneByOne';

export interface Api {
	baseUrl: string;
	token: string;
}

export interface WorkflowSpec {
	workflow: Workflow;
	/** The node whose output items are the delivered results (summed over all its runs). */
	resultNode: string;
}

/** Settings of the hand-built HTTP Request nodes (the fault benchmark's Retry On Fail variant). */
export interface HandBuiltOptions {
	retryOnFail?: boolean;
	/** The Wait node's interval (default POLL_SECONDS). */
	pollSeconds?: number;
	/** HTTP Request's Batching option on every request node: what a user adds after meeting 429s. */
	batch?: { size: number; intervalMs: number };
}

export const POLL_SECONDS = 1;

function startNode(items: IDataObject[]): INode {
	return {
		id: 'start',
		name: 'Start',
		type: START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items), binary: '[]' },
	};
}

let nextId = 0;

function node(
	name: string,
	type: { type: string; version: number },
	parameters: IDataObject,
	extra: Partial<INode> = {},
): INode {
	return {
		id: `n${++nextId}`,
		name,
		type: type.type,
		typeVersion: type.version,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		...extra,
	};
}

/** HTTP Request with the bearer token as a header parameter, as users set it up by hand. */
function http(
	api: Api,
	method: 'GET' | 'POST',
	url: string,
	body?: Array<{ name: string; value: string }>,
	batch?: HandBuiltOptions['batch'],
): IDataObject {
	const parameters: IDataObject = {
		method,
		url,
		authentication: 'none',
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${api.token}` }] },
		options: batch
			? { batching: { batch: { batchSize: batch.size, batchInterval: batch.intervalMs } } }
			: {},
	};
	if (body) {
		Object.assign(parameters, {
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: { parameters: body },
		});
	}
	return parameters;
}

function connect(connections: IConnections, from: string, to: string, output = 0): void {
	connections[from] ??= { main: [] };
	const outputs = connections[from].main;
	while (outputs.length <= output) outputs.push([]);
	outputs[output]!.push({ node: to, type: 'main', index: 0 });
}

/** submit → Wait → status → If → (result | Wait): the loop n8n users build from built-in nodes. */
function pollingLoop(api: Api, options: HandBuiltOptions) {
	const retry: Partial<INode> = options.retryOnFail
		? { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 }
		: {};
	const nodes = [
		node(
			'Submit',
			BASE_TYPES.httpRequest,
			http(
				api,
				'POST',
				`${api.baseUrl}/v1/models/${MODEL_ID}`,
				[
					{ name: '600_prompt', value: '={{ $json.prompt }}' },
					{ name: '608_image', value: '={{ $json.imageUrl }}' },
				],
				options.batch,
			),
		),
		node(
			'Wait',
			BASE_TYPES.wait,
			{ resume: 'timeInterval', amount: options.pollSeconds ?? POLL_SECONDS, unit: 'seconds' },
			{ webhookId: 'bench-wait' },
		),
		node(
			'Status',
			BASE_TYPES.httpRequest,
			http(api, 'GET', '={{ $json.status_url }}', undefined, options.batch),
			retry,
		),
		node('Completed?', BASE_TYPES.if, {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						id: 'completed',
						leftValue: '={{ $json.status }}',
						rightValue: 'completed',
						operator: { type: 'string', operation: 'equals' },
					},
				],
				combinator: 'and',
			},
			options: {},
		}),
		node(
			'Result',
			BASE_TYPES.httpRequest,
			http(api, 'GET', '={{ $json.result_url }}', undefined, options.batch),
			retry,
		),
	];
	const connections: IConnections = {};
	connect(connections, 'Submit', 'Wait');
	connect(connections, 'Wait', 'Status');
	connect(connections, 'Status', 'Completed?');
	connect(connections, 'Completed?', 'Result', 0);
	connect(connections, 'Completed?', 'Wait', 1);
	return { nodes, connections };
}

function workflow(engine: Engine, id: string, nodes: INode[], connections: IConnections): Workflow {
	return new Workflow({
		id,
		nodes,
		connections,
		active: false,
		nodeTypes: engine.nodeTypes,
		settings: { executionOrder: 'v1' },
	});
}

export function oursWorkflow(
	engine: Engine,
	items: IDataObject[],
	options: IDataObject,
	settings: Partial<INode> = {},
): WorkflowSpec {
	const fusionX = node(
		'RunComfy FusionX',
		{ type: FUSIONX_TYPE, version: 1 },
		{
			operation: 'generate',
			prompt: '={{ $json.prompt }}',
			imageUrl: '={{ $json.imageUrl }}',
			options: { pollInterval: POLL_SECONDS, ...options },
		},
		{ credentials: { runComfyApi: { id: '1', name: 'RunComfy account' } }, ...settings },
	);
	const connections: IConnections = {};
	connect(connections, 'Start', fusionX.name);
	return {
		workflow: workflow(engine, 'bench-ours', [startNode(items), fusionX], connections),
		resultNode: fusionX.name,
	};
}

export function handBuiltWorkflow(
	engine: Engine,
	api: Api,
	items: IDataObject[],
	options: HandBuiltOptions = {},
): WorkflowSpec {
	const loop = pollingLoop(api, options);
	connect(loop.connections, 'Start', 'Submit');
	return {
		workflow: workflow(
			engine,
			'bench-hand-built',
			[startNode(items), ...loop.nodes],
			loop.connections,
		),
		resultNode: 'Result',
	};
}

export function oneByOneWorkflow(
	engine: Engine,
	api: Api,
	items: IDataObject[],
	options: HandBuiltOptions = {},
): WorkflowSpec {
	const loop = pollingLoop(api, options);
	const each = node('Loop Over Items', BASE_TYPES.splitInBatches, { batchSize: 1, options: {} });
	connect(loop.connections, 'Start', each.name);
	connect(loop.connections, each.name, 'Submit', 1); // output 0 is "done", output 1 is "loop"
	connect(loop.connections, 'Result', each.name);
	return {
		workflow: workflow(
			engine,
			'bench-one-by-one',
			[startNode(items), each, ...loop.nodes],
			loop.connections,
		),
		resultNode: 'Result',
	};
}

export function buildWorkflow(
	contender: Contender,
	engine: Engine,
	api: Api,
	items: IDataObject[],
	options: { ours?: IDataObject; oursSettings?: Partial<INode>; handBuilt?: HandBuiltOptions } = {},
): WorkflowSpec {
	if (contender === 'ours')
		return oursWorkflow(engine, items, options.ours ?? {}, options.oursSettings);
	if (contender === 'handBuilt') return handBuiltWorkflow(engine, api, items, options.handBuilt);
	return oneByOneWorkflow(engine, api, items, options.handBuilt);
}
