import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkInputs, isEmpty } from '../../shared/catalog/validate';
import { readEach } from '../../shared/parameters';
import { InputError, valueOf } from '../../shared/values';
import { mergeAdditionalOverrides } from '../../shared/workflow/additionalOverrides';
import { parseExactJson } from '../../shared/workflow/exactJson';
import { fieldIdOf } from '../../shared/workflow/fieldId';
import { buildOverrides } from '../../shared/workflow/overrides';
import { checkWorkflowJson } from '../../shared/workflow/workflowJson';
import type { DeploymentCache, DeploymentInfo } from './deployments';
import { readDeploymentId } from './deployments';
import { binaryDataUri } from './input';

/** Each item's deployment and submit body: checked before anything is paid for. */

export type InputMode = 'fields' | 'workflowJson' | 'flat';

export interface WorkflowJobInput {
	itemIndex: number;
	deployment: DeploymentInfo;
	input: IDataObject;
	/** The submit's query: RunComfy's `webhook` when a Callback URL is given. */
	query?: IDataObject;
}

/** Callback URL: any http(s) URL; its own query (n8n's ?signature=…) survives URL-encoding. */
export function callbackQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const raw = String(ctx.getNodeParameter('callbackUrl', itemIndex, '') ?? '').trim();
	if (raw === '') return undefined;
	let url: URL | undefined;
	try {
		url = new URL(raw);
	} catch {
		url = undefined;
	}
	if (!url || !['http:', 'https:'].includes(url.protocol)) {
		throw new InputError(`Callback URL must be an http(s) URL, got "${raw.slice(0, 200)}"`);
	}
	return { webhook: raw, webhook_intermediate_status: 'false' };
}

function parseObject(raw: unknown, label: string, example: string): IDataObject {
	if (isEmpty(raw)) return {};
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = parseExactJson(raw);
		} catch {
			value = undefined;
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new InputError(`${label} must be a JSON object, e.g. ${example}`);
	}
	return value as IDataObject;
}

function mapperOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('workflowInputs', itemIndex, {}) ?? {}) as IDataObject;
}

function isAutoMapped(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return mapperOf(ctx, itemIndex).mappingMode === 'autoMapInputData';
}

/** The mapper's values: the fields below, or the item's own keys when mapping automatically. */
function mappedValues(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	if (isAutoMapped(ctx, itemIndex)) return ctx.getInputData()[itemIndex]?.json ?? {};
	return (mapperOf(ctx, itemIndex).value ?? {}) as IDataObject;
}

/** Binary Inputs: each node input named gets the item's file as a data: URI. */
async function binaryValues(
	ctx: IExecuteFunctions,
	itemIndex: number,
	workflow: NonNullable<DeploymentInfo['workflow']>,
): Promise<IDataObject> {
	const known = new Set(workflow.inputs.map((input) => input.id));
	const entries = ctx.getNodeParameter(
		'workflowBinaryInputs.input',
		itemIndex,
		[],
	) as IDataObject[];
	const values: IDataObject = {};
	for (const entry of entries) {
		const nodeId = String(entry.nodeId ?? '').trim();
		const name = String(entry.inputName ?? '').trim();
		if (!nodeId || !name) {
			throw new InputError('Binary Inputs: give the Node ID and the Input Name of each file');
		}
		const label = `input "${name}" of node ${nodeId}`;
		if (!known.has(fieldIdOf(nodeId, name))) {
			throw new InputError(
				`Binary Inputs: the workflow has no ${label} that takes a file or value; check the Node ID and Input Name (Get Deployment lists them)`,
			);
		}
		values[fieldIdOf(nodeId, name)] = await binaryDataUri(
			ctx,
			itemIndex,
			entry.binaryProperty,
			label,
		);
	}
	return values;
}

async function overridesBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	deployment: DeploymentInfo,
): Promise<IDataObject> {
	const workflow = deployment.workflow;
	if (!workflow && deployment.flatSchema) {
		// A LoRA deployment whose record has a schema: its fields, checked as a model's are.
		return valueOf(
			checkInputs(deployment.flatSchema.inputs, mappedFlat(ctx, itemIndex, deployment)),
		);
	}
	if (!workflow) {
		throw new InputError(
			`Deployment ${deployment.id} has no ComfyUI workflow (a Serverless LoRA deployment): set Send to "Flat Inputs (JSON)" and give its inputs there`,
		);
	}
	const auto = isAutoMapped(ctx, itemIndex);
	const fields = mappedValues(ctx, itemIndex);
	// Mapping automatically, the item's other keys are not inputs; typed fields must all be known.
	const values = {
		...(auto ? filterKnown(fields, workflow) : fields),
		...(await binaryValues(ctx, itemIndex, workflow)),
	};
	// Every input of the workflow may be mapped (the switch only changes what the editor lists).
	const mapped = valueOf(buildOverrides(workflow.inputs, values));
	const extra = ctx.getNodeParameter('additionalOverrides', itemIndex, '{}');
	return valueOf(mergeAdditionalOverrides(workflow, mapped, extra)) as unknown as IDataObject;
}

/** A LoRA deployment's mapped values: only its schema's keys. */
function mappedFlat(
	ctx: IExecuteFunctions,
	itemIndex: number,
	deployment: DeploymentInfo,
): IDataObject {
	const keys = new Set(deployment.flatSchema!.inputs.map((input) => input.key));
	const values = mappedValues(ctx, itemIndex);
	return Object.fromEntries(
		Object.entries(values).filter(([key]) => keys.has(key) && !isEmpty(values[key])),
	);
}

/** When mapping automatically, the item's other keys are not inputs. */
function filterKnown(values: IDataObject, workflow: DeploymentInfo['workflow']): IDataObject {
	const mapper = new Set(workflow!.inputs.map((input) => input.id));
	return Object.fromEntries(Object.entries(values).filter(([key]) => mapper.has(key)));
}

/** One item's submit body, as the chosen Send mode builds it. */
export async function buildWorkflowBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	deployment: DeploymentInfo,
): Promise<IDataObject> {
	const mode = ctx.getNodeParameter('inputMode', itemIndex, 'fields') as InputMode;
	if (mode === 'workflowJson') {
		const raw = ctx.getNodeParameter('workflowJson', itemIndex, '');
		const graph = valueOf(checkWorkflowJson(typeof raw === 'string' ? safeParse(raw) : raw));
		return { workflow_api_json: graph as unknown as IDataObject };
	}
	if (mode === 'flat') {
		const example = '{"prompt": "a red fox", "width": 1024}';
		const flat = parseObject(
			ctx.getNodeParameter('flatInputs', itemIndex, '{}'),
			'Flat Inputs',
			example,
		);
		if (Object.keys(flat).length === 0)
			throw new InputError(`Flat Inputs is empty: give the deployment's inputs, e.g. ${example}`);
		return flat;
	}
	return await overridesBody(ctx, itemIndex, deployment);
}

function safeParse(text: string): unknown {
	try {
		return parseExactJson(text);
	} catch {
		return text;
	}
}

/** Every item's deployment and body, read before anything is submitted; bad items as results. */
export async function readWorkflowInputs(ctx: IExecuteFunctions, cache: DeploymentCache) {
	const { valid, invalid } = await readEach(ctx, async (itemIndex) => {
		const deployment = await cache.get(readDeploymentId(ctx, itemIndex));
		try {
			const input = await buildWorkflowBody(ctx, itemIndex, deployment);
			return { deployment, input, query: callbackQuery(ctx, itemIndex) };
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), error as Error, {
				itemIndex,
				description: 'Nothing was submitted to RunComfy for this item.',
			});
		}
	});
	return {
		inputs: valid.map(({ itemIndex, value }): WorkflowJobInput => ({ itemIndex, ...value })),
		invalid,
	};
}
