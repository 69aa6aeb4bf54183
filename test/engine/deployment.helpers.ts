/** Shared set-up of the RunComfy node's Deployment engine tests (the Serverless API). */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type {
	EmulatorOptions,
	RecordedRequest,
	RecordedRoute,
	RunComfyEmulator,
} from '../emulator/emulator';
import { objectInfoText } from '../emulator/objectInfo';
import { setUpEmulator } from '../harness/context';
import type { RunOptions } from '../harness/engine';
import { RUNCOMFY_TYPE } from '../harness/engine';
import { loadOptionsContext } from '../harness/loadOptions';
import { description } from '../harness/wait';

/**
 * One emulator for the file. The credential points the Base URL and the Account API URL at it:
 * the Serverless API (deployments, their jobs, object_info, the balance) lives on the latter.
 */
export function setUpDeployments(
	options: EmulatorOptions = { queueMs: 100, durationMs: 200, coldStartMs: 0 },
) {
	const t = setUpEmulator(options);
	const credentials = () => ({
		apiToken: t.emulator.token,
		baseUrl: t.emulator.baseUrl,
		accountApiUrl: t.emulator.baseUrl,
	});
	const run = async (
		parameters: IDataObject,
		runOptions: RunOptions & { settings?: IDataObject } = {},
	) =>
		await t.engine.run(
			{ type: RUNCOMFY_TYPE, name: 'RunComfy', parameters, settings: runOptions.settings },
			{ credentials: credentials(), ...runOptions },
		);
	/** The editor's context for the Inputs resource mapper or the Deployment list. */
	const loadContext = (parameters: IDataObject, path = 'parameters.workflowInputs') =>
		loadOptionsContext(t.engine, parameters, credentials(), { path });
	const routes = (route: RecordedRoute): RecordedRequest[] =>
		t.emulator.requests.filter((request) => request.route === route);
	/** Deployment jobs, in submit order. */
	const jobs = () => [...t.emulator.serverless.jobs.values()];
	return { ...t, credentials, run, loadContext, routes, jobs };
}

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
export const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id });

/** The Inputs resource mapper's value with fields defined below. */
export function mapped(value: IDataObject | null): IDataObject {
	return {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: [],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

/** Run Workflow on `deployment` with mapped `values`; a fast poll interval. */
export function workflowParams(
	deployment: string,
	values: IDataObject | null = {},
	extra: IDataObject = {},
): IDataObject {
	return {
		resource: 'deployment',
		operation: 'runWorkflow',
		deployment: byId(deployment),
		inputMode: 'fields',
		workflowInputs: mapped(values),
		...extra,
		options: { pollInterval: 1, ...((extra.options as IDataObject) ?? {}) },
	};
}

/** A Job resource operation on a deployment's job. */
export function jobParams(
	operation: string,
	requestId: string,
	deploymentId: string,
	extra: IDataObject = {},
): IDataObject {
	return {
		resource: 'job',
		operation,
		requestId,
		jobDeploymentId: deploymentId,
		...extra,
		options: { pollInterval: 1, ...((extra.options as IDataObject) ?? {}) },
	};
}

/** An error's message and description together, for "names X" checks. */
export function errorText(error: unknown): string {
	return `${(error as Error | undefined)?.message ?? ''} ${description(error)}`;
}

/** The json of an output item. */
export const jsonOf = (item: INodeExecutionData | undefined): IDataObject => item?.json ?? {};

/**
 * The deployment's object_info with 2^64 − 1 as bare digits, as RunComfy serves it. The emulator
 * writes its bigint limits through JSON.stringify, and n8n-workflow (loaded in every engine test)
 * defines BigInt.prototype.toJSON, so in this process the emulator would serve
 * "max": "18446744073709551615" (a string). Served as a fault answer: the request is still logged
 * under the objectInfo route.
 */
export function serveExactObjectInfo(
	emulator: RunComfyEmulator,
	deploymentId: string,
	times = 1000,
): void {
	const workflow = emulator.serverless.deployment(deploymentId)?.workflow ?? {};
	const proto = BigInt.prototype as unknown as { toJSON?: unknown };
	const saved = Object.getOwnPropertyDescriptor(proto, 'toJSON');
	delete proto.toJSON;
	let text: string;
	try {
		text = objectInfoText(workflow);
	} finally {
		if (saved) Object.defineProperty(proto, 'toJSON', saved);
	}
	emulator.addFault({
		route: 'objectInfo',
		status: 200,
		body: text,
		times,
		match: (record) => record.deploymentId === deploymentId,
	});
}
