import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { InputSchema } from '../../shared/catalog/schema';
import { readInputSchema } from '../../shared/catalog/schema';
import type { RunComfyClient } from '../../shared/transport';
import { pathSegment } from '../../shared/transport';
import type { Deployment } from '../../shared/workflow/inputs';
import { readDeployment } from '../../shared/workflow/inputs';
import { parseExactJson } from '../../shared/workflow/exactJson';

/** A Serverless deployment's record and, read once per run, its inputs. */

export interface DeploymentInfo {
	id: string;
	record: IDataObject;
	/** A ComfyUI deployment's inputs; undefined for a Serverless LoRA deployment (no workflow). */
	workflow?: Deployment;
	/** object_info could not be read: types were taken from the workflow's values. */
	objectInfoMissing: boolean;
	/** A Serverless LoRA deployment's flat inputs, when its record carries a schema (a guess). */
	flatSchema?: InputSchema;
}

/** The schema a LoRA deployment's record may carry, under the catalog's or a similar key. */
function flatSchemaOf(record: IDataObject): InputSchema | undefined {
	const raw =
		record.input_schema ?? record.inputSchema ?? (record.payload as IDataObject)?.input_schema;
	if (raw === undefined || raw === null) return undefined;
	const schema = readInputSchema(raw);
	return schema.inputs.length > 0 ? schema : undefined;
}

/** The list answer's entries: a bare array, or `{deployments: […]}` (tolerated). */
export function deploymentEntries(answer: unknown): IDataObject[] {
	const list = Array.isArray(answer)
		? answer
		: ((answer as IDataObject | null)?.deployments ?? (answer as IDataObject | null)?.data);
	return (Array.isArray(list) ? list : []).filter(
		(entry): entry is IDataObject => typeof entry === 'object' && entry !== null,
	);
}

/** The record as output: what a user reads about a deployment, in the API's own values. */
export function deploymentJson(record: IDataObject): IDataObject {
	return {
		deploymentId: record.id ?? null,
		name: record.name ?? null,
		status: record.status ?? null,
		enabled: record.is_enabled ?? null,
		hardware: record.hardware ?? null,
		minInstances: record.min_instances ?? null,
		maxInstances: record.max_instances ?? null,
		queueSize: record.queue_size ?? null,
		keepWarmSeconds: record.keep_warm_duration_in_seconds ?? null,
		workflowId: record.workflow_id ?? null,
		workflowVersion: record.workflow_version ?? null,
		createdAt: record.created_at ?? null,
		updatedAt: record.updated_at ?? null,
	};
}

/** One line for lists: name, status, hardware, enabled. */
export function deploymentLabel(record: IDataObject): string {
	const hardware = Array.isArray(record.hardware) ? record.hardware.join(', ') : record.hardware;
	const enabled = record.is_enabled === false ? 'disabled' : undefined;
	return [record.name ?? record.id, record.status, hardware, enabled].filter(Boolean).join(' · ');
}

async function readObjectInfo(client: RunComfyClient, url: unknown): Promise<unknown> {
	if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return undefined;
	try {
		return parseExactJson(await client.objectInfoText(url));
	} catch {
		// Types then come from the workflow's own values, and the editor says so.
		return undefined;
	}
}

/** The deployment with its payload (`includes=payload`) and object_info. */
export async function fetchDeployment(
	client: RunComfyClient,
	deploymentId: string,
): Promise<DeploymentInfo> {
	const record = (await client.deployments('GET', `/${pathSegment(deploymentId)}`, {
		qs: { includes: 'payload' },
	})) as IDataObject;
	const payload = record.payload as IDataObject | undefined;
	const graph = payload?.workflow_api_json;
	if (!payload || typeof graph !== 'object' || graph === null) {
		const flatSchema = flatSchemaOf(record);
		return {
			id: deploymentId,
			record,
			objectInfoMissing: false,
			...(flatSchema && { flatSchema }),
		};
	}
	const objectInfo = await readObjectInfo(client, payload.object_info_url);
	return {
		id: deploymentId,
		record,
		workflow: readDeployment(payload, objectInfo),
		objectInfoMissing: objectInfo === undefined,
	};
}

/** The Deployment field's value (From List or By ID), trimmed and checked. */
export function deploymentIdOf(raw: unknown): string {
	const value = typeof raw === 'object' && raw !== null ? (raw as IDataObject).value : raw;
	return typeof value === 'string' ? value.trim() : '';
}

export function readDeploymentId(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	itemIndex?: number,
): string {
	const raw =
		itemIndex === undefined
			? (ctx as ILoadOptionsFunctions).getNodeParameter('deployment', '')
			: (ctx as IExecuteFunctions).getNodeParameter('deployment', itemIndex, '');
	const id = deploymentIdOf(raw);
	if (/[/?#\\\s]/.test(id)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Deployment must be a deployment ID, without /, ?, #, \\ or spaces, got "${id}"`,
			{ itemIndex },
		);
	}
	if (id === '') {
		throw new NodeOperationError(ctx.getNode(), 'Deployment is required: pick one from the list', {
			itemIndex,
		});
	}
	return id;
}

/** Each deployment read once per run, whatever the number of items that use it. */
export class DeploymentCache {
	private readonly entries = new Map<string, Promise<DeploymentInfo>>();

	constructor(private readonly client: RunComfyClient) {}

	async get(deploymentId: string): Promise<DeploymentInfo> {
		let entry = this.entries.get(deploymentId);
		if (!entry) {
			entry = fetchDeployment(this.client, deploymentId);
			this.entries.set(deploymentId, entry);
		}
		return await entry;
	}
}
