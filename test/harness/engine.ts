/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * A small stand-in for n8n's unpublished NodeTestHarness: workflows run through n8n-core's real
 * WorkflowExecute with real node and credential types, real binary-data storage and real HTTP
 * (axios, through n8n's OutboundHttp) against the RunComfy emulator.
 */
import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { RunComfyApi } from '../../credentials/RunComfyApi.credentials';
import { FusionX } from '../../nodes/FusionX/FusionX.node';
import { RunComfy } from '../../nodes/RunComfy/RunComfy.node';
import { Container, Logger } from './core-deps';

export const FUSIONX_TYPE = 'n8n-nodes-runcomfy.fusionX';
export const RUNCOMFY_TYPE = 'n8n-nodes-runcomfy.runComfy';
export const START_TYPE = 'test.start';

/** The start node of test workflows: emits `items` (JSON), and binary files given as base64. */
class StartNode implements INodeType {
	description = {
		displayName: 'Start',
		name: 'start',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Start' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' },
			{ displayName: 'Binary', name: 'binary', type: 'json', default: '[]' },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
		const spec = {
			items: parse(this.getNode().parameters.items) as IDataObject[] | undefined,
			binary: parse(this.getNode().parameters.binary) as
				| Array<{ property: string; base64: string; mimeType: string; fileName: string } | null>
				| undefined,
		};
		const items = spec.items ?? [{}];
		const out: INodeExecutionData[] = [];
		for (const [index, json] of items.entries()) {
			const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
			const file = spec.binary?.[index];
			if (file) {
				item.binary = {
					[file.property]: await this.helpers.prepareBinaryData(
						Buffer.from(file.base64, 'base64'),
						file.fileName,
						file.mimeType,
					),
				};
			}
			out.push(item);
		}
		return [out];
	}
}

/** Stands in for n8n's Manual Trigger: starts the workflow with one empty item. */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		defaults: { name: 'When clicking ‘Execute workflow’' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string) {
		return this.types[type];
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(nodeType, version);
	}

	getKnownTypes() {
		return {};
	}
}

export class TestCredentialTypes implements ICredentialTypes {
	constructor(private readonly types: Record<string, ICredentialType>) {}

	recognizes(type: string) {
		return type in this.types;
	}

	getByName(type: string): ICredentialType {
		return this.types[type];
	}

	getSupportedNodes() {
		return [];
	}

	getParentTypes() {
		return [];
	}
}

/** Resolves `authenticate` the way n8n's CredentialsHelper does, expressions included. */
export class TestCredentialsHelper extends ICredentialsHelper {
	credentials: Record<string, ICredentialDataDecryptedObject> = {};

	constructor(private readonly credentialTypes: TestCredentialTypes) {
		super();
	}

	getParentTypes() {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.credentialTypes.getByName(typeName).authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		const resolved: IHttpRequestOptions = { ...requestOptions };
		for (const [target, values] of Object.entries(authenticate.properties) as Array<
			[string, IDataObject]
		>) {
			const bag = { ...((resolved as unknown as Record<string, IDataObject>)[target] ?? {}) };
			for (const [key, value] of Object.entries(values)) {
				bag[key] = workflow.expression.getSimpleParameterValue(node, value as string, 'internal', {
					$credentials: credentials,
				}) as string;
			}
			(resolved as unknown as Record<string, IDataObject>)[target] = bag;
		}
		return resolved;
	}

	isCredentialUsableByNode() {
		return true;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = this.credentials[type];
		if (!credentials) throw new Error(`No test credentials of type ${type}`);
		return credentials;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}
}

export type BinaryMode = 'default' | 'filesystem';

let binaryDir: string | undefined;

/** n8n 2.x keeps binaries on disk by default ('filesystem'); 'default' keeps them in memory. */
export async function useBinaryMode(mode: BinaryMode): Promise<void> {
	binaryDir ??= mkdtempSync(path.join(tmpdir(), 'runcomfy-binary-'));
	const config = {
		mode,
		availableModes: ['default', 'filesystem'],
		localStoragePath: binaryDir,
		signingSecret: 'test',
		dbMaxFileSize: 512,
	};
	const logger = Container.get(Logger);
	const errorReporter = {
		error: (error: unknown) => console.error(error),
		warn: () => {},
		info: () => {},
	};
	const service = new BinaryDataService(config as never, errorReporter as never, logger as never);
	if (mode === 'filesystem') await service.init();
	Container.set(BinaryDataService, service);
}

export function cleanUpBinaryData(): void {
	if (binaryDir) rmSync(binaryDir, { recursive: true, force: true });
	binaryDir = undefined;
}

export interface NodeSpec {
	name?: string;
	type?: string;
	parameters: IDataObject;
	settings?: Partial<Pick<INode, 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>>;
}

export interface RunOptions {
	/** Items the start node emits. */
	items?: IDataObject[];
	binary?: Array<{ property: string; base64: string; mimeType: string; fileName: string } | null>;
	credentials?: ICredentialDataDecryptedObject | null;
	mode?: WorkflowExecuteMode;
	/** Called once the run has started, with a function that stops it (as the Stop button does). */
	onStarted?: (cancel: () => void) => void;
}

export interface RunResult {
	run: IRun;
	/** The FusionX node's output items (first output), or [] when it failed. */
	items: INodeExecutionData[];
	/** Every output of the node (index 1 is the error output with "Continue (using error output)"). */
	outputs: INodeExecutionData[][];
	/** The workflow-level error, when the node failed. */
	error?: IRun['data']['resultData']['error'];
	hints: unknown[];
}

export class Engine {
	readonly credentialTypes: TestCredentialTypes;

	readonly credentialsHelper: TestCredentialsHelper;

	readonly nodeTypes: TestNodeTypes;

	constructor(
		nodeTypes: Record<string, INodeType | IVersionedNodeType> = {
			[FUSIONX_TYPE]: new FusionX(),
			[RUNCOMFY_TYPE]: new RunComfy(),
		},
		credentialTypes: Record<string, ICredentialType> = { runComfyApi: new RunComfyApi() },
	) {
		this.nodeTypes = new TestNodeTypes({
			[START_TYPE]: new StartNode(),
			[MANUAL_TRIGGER_TYPE]: new ManualTrigger(),
			...nodeTypes,
		});
		this.credentialTypes = new TestCredentialTypes(credentialTypes);
		this.credentialsHelper = new TestCredentialsHelper(this.credentialTypes);
	}

	additionalData(
		executionId: string,
		hooks?: ExecutionLifecycleHooks,
	): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentialsHelper,
			hooks,
			executionId,
			restApiUrl: 'http://localhost/rest',
			instanceBaseUrl: 'http://localhost/',
			formWaitingBaseUrl: 'http://localhost/form-waiting',
			webhookBaseUrl: 'http://localhost/webhook',
			webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost/webhook-test',
			currentNodeParameters: undefined,
			executionTimeoutTimestamp: undefined,
			userId: 'user',
			variables: {},
			setExecutionStatus: () => {},
			sendDataToUI: () => {},
			logAiEvent: () => {},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/**
	 * Tests a credential the way n8n's CredentialsTester does for request-based tests: the test
	 * request runs through RoutingNode, then the rules are checked against the answer.
	 */
	async testCredential(
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<{ status: 'OK' | 'Error'; message: string }> {
		const credentialType = this.credentialTypes.getByName(type);
		const test = credentialType.test!;
		this.credentialsHelper.credentials = { [type]: data };
		const nodeType = {
			description: {
				displayName: 'Temp',
				name: 'temp',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: ['main'],
				outputs: ['main'],
				credentials: [{ name: type, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: test.request },
						default: '',
					},
				],
			},
		} as unknown as INodeType;
		const node: INode = {
			id: 'temp',
			name: 'Temp-Node',
			type: 'temp',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			credentials: { [type]: { id: '1', name: 'test' } },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new TestNodeTypes({ temp: nodeType }),
		});
		const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
		const context = new ExecuteContext(
			workflow,
			node,
			this.additionalData('credential-test'),
			'internal',
			runExecutionData,
			0,
			[],
			{ main: [[{ json: {} }]] },
			{ node, data: {}, source: null },
			[],
		);
		let response: INodeExecutionData[][] | null | undefined;
		try {
			response = await new RoutingNode(context, nodeType, {
				id: '1',
				name: 'test',
				type,
				data,
			}).runNode();
		} catch (error) {
			// As n8n's CredentialsTester words it: the HTTP status, else the raw network code.
			const cause = (error as { cause?: { response?: { status?: number }; code?: string } }).cause;
			const status = cause?.response?.status;
			if (status) return { status: 'Error', message: `Received HTTP status code: ${status}` };
			if (cause?.code) return { status: 'Error', message: cause.code };
			return { status: 'Error', message: (error as Error).message };
		}
		for (const rule of test.rules ?? []) {
			if (rule.type !== 'responseSuccessBody') continue;
			const json = response?.[0]?.[0]?.json ?? {};
			if (json[rule.properties.key] === rule.properties.value)
				return { status: 'Error', message: rule.properties.message };
		}
		return { status: 'OK', message: 'Connection successful!' };
	}

	/** Runs Start → node (FusionX unless `spec.type` says otherwise) through WorkflowExecute. */
	async run(spec: NodeSpec, options: RunOptions = {}): Promise<RunResult> {
		const nodeName = spec.name ?? 'RunComfy FusionX';
		const start: INode = {
			id: 'start',
			name: 'Start',
			type: START_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				items: JSON.stringify(options.items ?? [{}]),
				binary: JSON.stringify(options.binary ?? []),
			},
		};
		const node: INode = {
			id: 'node',
			name: nodeName,
			type: spec.type ?? FUSIONX_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: spec.parameters as INode['parameters'],
			credentials: { runComfyApi: { id: '1', name: 'RunComfy account' } },
			...spec.settings,
		};
		if (options.credentials !== null) {
			this.credentialsHelper.credentials = options.credentials
				? { runComfyApi: options.credentials }
				: {};
		}
		const workflow = new Workflow({
			id: 'test-workflow',
			nodes: [start, node],
			connections: { Start: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
			active: false,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1' },
		});
		return await this.execute(workflow, nodeName, options);
	}

	/** Runs a workflow from `startNodeName`; the result's items are `nodeName`'s output. */
	async execute(
		workflow: Workflow,
		nodeName: string,
		options: RunOptions = {},
		startNodeName = 'Start',
	): Promise<RunResult> {
		const mode = options.mode ?? 'manual';
		const executionId = `exec-${Math.random().toString(36).slice(2)}`;
		const hooks = new ExecutionLifecycleHooks(mode, executionId, {
			id: workflow.id,
			name: 'test',
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
		} as never);
		let finished: (run: IRun) => void = () => {};
		const done = new Promise<IRun>((resolve) => (finished = resolve));
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished(fullRunData));
		const additionalData = this.additionalData(executionId, hooks);

		const startNode = workflow.getNode(startNodeName)!;
		const runExecutionData: IRunExecutionData = {
			startData: {},
			resultData: { runData: {} },
			executionData: {
				contextData: {},
				metadata: {},
				nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
				waitingExecution: {},
				waitingExecutionSource: {},
			},
		} as unknown as IRunExecutionData;
		const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
		const execution = workflowExecute.processRunExecutionData(workflow);
		options.onStarted?.(() => execution.cancel());
		await execution.catch(() => undefined);
		const run = await done;
		const taskData = run.data.resultData.runData[nodeName]?.[0];
		return {
			run,
			items: taskData?.data?.main?.[0] ?? [],
			outputs: (taskData?.data?.main ?? []).map((items) => items ?? []),
			error: run.data.resultData.error,
			hints: (taskData as { hints?: unknown[] } | undefined)?.hints ?? [],
		};
	}
}

/** FusionX `generate` parameters with the test image; override what a test needs. */
export function generateParams(overrides: IDataObject = {}): IDataObject {
	return {
		operation: 'generate',
		prompt: 'A slow push-in on a lighthouse at dusk',
		imageUrl: '',
		options: { pollInterval: 1 },
		...overrides,
	};
}
