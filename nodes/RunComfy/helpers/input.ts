import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ModelInfo } from '../../shared/catalog/models';
import { checkInputs, isEmpty } from '../../shared/catalog/validate';
import { readEach } from '../../shared/parameters';
import {
	checkBinaryPropertyName,
	InputError,
	RESERVED_KEYS,
	show,
	valueOf,
} from '../../shared/values';
import type { ModelCache } from './models';
import { readModelId } from './models';

/** Each item's model and input: the mapped inputs, binary inputs and Additional Inputs, checked. */

const MiB = 1024 * 1024;
export const MAX_FILE_BYTES = 6 * MiB;
export const MAX_REQUEST_BYTES = 64 * MiB;

const megabytes = (bytes: number) => (Math.ceil((bytes / MiB) * 10) / 10).toFixed(1);

function parseAdditional(raw: unknown): IDataObject {
	if (isEmpty(raw)) return {};
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			value = undefined;
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new InputError(
			'Additional Inputs must be a JSON object, e.g. {"lora": {"path": "my.safetensors"}}',
		);
	}
	const reserved = Object.keys(value).filter((key) => RESERVED_KEYS.has(key));
	if (reserved.length > 0)
		throw new InputError(`Additional Inputs can't use the key ${reserved.join(', ')}`);
	return value as IDataObject;
}

/** The resource mapper's values (or, when mapping automatically, the item's matching fields). */
function readMapped(ctx: IExecuteFunctions, itemIndex: number, model: ModelInfo): IDataObject {
	// Read whole: n8n's own check of `inputs.value` would name keys, not titles.
	const mapper = (ctx.getNodeParameter('inputs', itemIndex, {}) ?? {}) as IDataObject;
	const keys = new Set(model.schema.inputs.map((input) => input.key));
	if (mapper.mappingMode === 'autoMapInputData') {
		const json = ctx.getInputData()[itemIndex]?.json ?? {};
		return Object.fromEntries(Object.entries(json).filter(([key]) => keys.has(key))) as IDataObject;
	}
	const values = (mapper.value ?? {}) as IDataObject;
	const given = Object.entries(values).filter(([, value]) => !isEmpty(value));
	const unknown = given.map(([key]) => key).filter((key) => !keys.has(key));
	if (unknown.length > 0 && keys.size > 0) {
		throw new InputError(
			`Inputs has ${unknown.map((key) => `"${key}"`).join(', ')}, which model ${model.id} does not take: refresh the inputs list (the model may have changed)`,
		);
	}
	return Object.fromEntries(given) as IDataObject;
}

/** Binary Inputs: each named input gets the file as a data: URI. */
async function readBinaryInputs(ctx: IExecuteFunctions, itemIndex: number, model: ModelInfo) {
	const entries = ctx.getNodeParameter('binaryInputs.input', itemIndex, []) as IDataObject[];
	const known = new Map(model.schema.inputs.map((input) => [input.key, input.title]));
	const values: IDataObject = {};
	for (const entry of entries) {
		const name = String(entry.name ?? '').trim();
		if (!name || RESERVED_KEYS.has(name)) {
			throw new InputError(
				`Binary Inputs: Input Name must be the API name of an input, got ${show(entry.name)}`,
			);
		}
		if (known.size > 0 && !known.has(name)) {
			throw new InputError(
				`Binary Inputs: model ${model.id} has no input "${name}"; its inputs are ${[...known.keys()].join(', ')}`,
			);
		}
		values[name] = await binaryDataUri(
			ctx,
			itemIndex,
			entry.binaryProperty,
			known.get(name) ?? name,
		);
	}
	return values;
}

/** A file of the item as a data: URI, refused when empty or over 6 MB; `label` names the input. */
export async function binaryDataUri(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binaryProperty: unknown,
	label: string,
): Promise<string> {
	const property = valueOf(checkBinaryPropertyName('Input Binary Field', binaryProperty));
	const file = `The file for ${label} (binary field "${property}")`;
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (buffer.length === 0) throw new InputError(`${file} is empty (0 bytes)`);
	if (buffer.length > MAX_FILE_BYTES) {
		throw new InputError(
			`${file} is ${megabytes(buffer.length)} MB; files sent from binary may be at most 6 MB. Use a hosted URL instead.`,
		);
	}
	const mimeType = (binary.mimeType || 'application/octet-stream').split(';')[0].trim();
	return `data:${mimeType};base64,${buffer.toString('base64')}`;
}

/** One item's API input for `model`: every value checked against the schema when there is one. */
export async function buildInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	model: ModelInfo,
): Promise<IDataObject> {
	const additional = parseAdditional(ctx.getNodeParameter('additionalInputs', itemIndex, '{}'));
	const mapped = readMapped(ctx, itemIndex, model);
	const files = await readBinaryInputs(ctx, itemIndex, model);
	const clash = Object.keys(additional).filter((key) => key in mapped || key in files);
	if (clash.length > 0) {
		throw new InputError(
			`Additional Inputs sets ${clash.join(', ')}, which the inputs above set too: keep one`,
		);
	}
	const values: IDataObject = { ...additional, ...mapped, ...files };
	let input = values;
	if (model.schema.inputs.length > 0) {
		const checked = valueOf(checkInputs(model.schema.inputs, values));
		const known = new Set(model.schema.inputs.map((field) => field.key));
		const extra = Object.entries(additional).filter(([key]) => !known.has(key));
		input = { ...Object.fromEntries(extra), ...checked };
	}
	const bytes = Buffer.byteLength(JSON.stringify(input));
	if (bytes > MAX_REQUEST_BYTES) {
		throw new InputError(
			`The request for this item would be ${megabytes(bytes)} MB; RunComfy accepts at most 64 MB`,
		);
	}
	return input;
}

export interface ModelInput {
	itemIndex: number;
	model: ModelInfo;
	input: IDataObject;
}

/** Every item's model and input, read before anything is submitted; bad items as results. */
export async function readModelInputs(ctx: IExecuteFunctions, models: ModelCache) {
	const { valid, invalid } = await readEach(ctx, async (itemIndex) => {
		const model = await models.get(readModelId(ctx, itemIndex), itemIndex);
		try {
			return { model, input: await buildInput(ctx, itemIndex, model) };
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), error as Error, {
				itemIndex,
				description: 'Nothing was submitted to RunComfy for this item.',
			});
		}
	});
	return {
		inputs: valid.map(({ itemIndex, value }): ModelInput => ({ itemIndex, ...value })),
		invalid,
	};
}
