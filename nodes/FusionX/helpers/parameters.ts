import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkImageBytes, declaredTypeProblem } from './image';
import type { FieldValues } from './input';
import { buildApiInput, FIELDS } from './input';
import type { ItemResult } from './results';
import { failure } from './results';
import {
	checkBinaryPropertyName,
	checkFlag,
	checkNumber,
	checkRequestId,
	InputError,
	OPTION_LIMITS,
	valueOf,
} from './values';

/** Reading the node's parameters: options, each item's API input, request ids. */

export interface NodeOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	cancelOnTimeout: boolean;
	download: boolean;
	binaryPropertyName: string;
	maxConcurrency: number;
}

const OPTIONS_DESCRIPTION =
	'Nothing was submitted to RunComfy: correct the option under Options and run the node again.';

/** Operations that read an option: a hidden option's stale value must not stop the node. */
const READ_BY = {
	waiting: ['generate', 'waitForCompletion'],
	submitting: ['generate', 'submit'],
	resulting: ['generate', 'waitForCompletion', 'getResult'],
};

/** The node's options, checked once for all items; a bad one stops the node before any request. */
export function readOptions(ctx: IExecuteFunctions): NodeOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const operation = String(ctx.getNodeParameter('operation', 0));
	const reads = (group: keyof typeof READ_BY) => READ_BY[group].includes(operation);
	const number = (name: keyof typeof OPTION_LIMITS, fallback: number, read: boolean) =>
		read && options[name] !== undefined
			? valueOf(checkNumber(OPTION_LIMITS[name].label, options[name], OPTION_LIMITS[name]))
			: fallback;
	const flag = (name: string, label: string, fallback: boolean, read: boolean) =>
		read ? valueOf(checkFlag(label, options[name], fallback)) : fallback;
	// An AI agent gets URLs only: binary data would flood its context.
	const isTool = ctx.getNode().type.endsWith('Tool');
	try {
		const download = flag('download', 'Download Video', false, reads('resulting')) && !isTool;
		return {
			pollIntervalMs: number('pollInterval', 5, reads('waiting')) * 1000,
			timeoutMs: number('timeout', 900, reads('waiting')) * 1000,
			cancelOnTimeout: flag('cancelOnTimeout', 'Cancel on Timeout', true, reads('waiting')),
			download,
			binaryPropertyName:
				download && options.binaryPropertyName !== undefined
					? valueOf(checkBinaryPropertyName('Put Output in Field', options.binaryPropertyName))
					: 'data',
			maxConcurrency: number('maxConcurrency', 5, reads('submitting')),
		};
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			description: OPTIONS_DESCRIPTION,
		});
	}
}

const BINARY_FIELD = 'Input Binary Field';

/** The start frame from a binary field as a data: URI, with the type its bytes really have. */
async function imageFromBinary(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const property = valueOf(
		checkBinaryPropertyName(BINARY_FIELD, ctx.getNodeParameter('imageBinaryProperty', itemIndex)),
	);
	const source = { subject: `${BINARY_FIELD} "${property}"`, via: 'from binary' };
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const typeProblem = declaredTypeProblem(source, binary.mimeType);
	if (typeProblem) throw new InputError(typeProblem);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	const mimeType = valueOf(
		checkImageBytes(source, buffer.length, buffer.subarray(0, 16), binary.mimeType),
	);
	return `data:${mimeType};base64,${buffer.toString('base64')}`;
}

/** The API body for one item, validated; throws a NodeOperationError naming the UI field. */
export async function readApiInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		const get = (name: string) => ctx.getNodeParameter(name, itemIndex, undefined);
		const fromBinary = get('imageSource') === 'binary';
		const fields = {} as FieldValues;
		for (const name of Object.keys(FIELDS) as Array<keyof typeof FIELDS>) {
			fields[name] =
				name === 'imageUrl' && fromBinary ? await imageFromBinary(ctx, itemIndex) : get(name);
		}
		return buildApiInput(fields, get('additionalInputs'));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			itemIndex,
			description: 'Nothing was submitted to RunComfy for this item.',
		});
	}
}

/** Every item's API input, validated before anything is submitted; bad items as results. */
export async function readApiInputs(ctx: IExecuteFunctions) {
	const { valid, invalid } = await readEach(
		ctx,
		async (itemIndex) => await readApiInput(ctx, itemIndex),
	);
	return { inputs: valid.map(({ itemIndex, value }) => ({ itemIndex, input: value })), invalid };
}

/**
 * Reads every item before any request, so bad input fails before anything is paid for. Without
 * Continue On Fail the first bad item stops the node; with it, bad items become error items.
 */
export async function readEach<T>(
	ctx: IExecuteFunctions,
	read: (itemIndex: number) => Promise<T> | T,
): Promise<{ valid: Array<{ itemIndex: number; value: T }>; invalid: ItemResult[] }> {
	const valid: Array<{ itemIndex: number; value: T }> = [];
	const invalid: ItemResult[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			valid.push({ itemIndex, value: await read(itemIndex) });
		} catch (error) {
			invalid.push(failure(ctx, itemIndex, error));
		}
		if (invalid.length > 0 && !ctx.continueOnFail()) throw invalid[0].error!;
	}
	return { valid, invalid };
}

/** The item's Request ID, trimmed; refused before any request when it can't be one. */
export function readRequestId(ctx: IExecuteFunctions, itemIndex: number): string {
	const checked = checkRequestId(ctx.getNodeParameter('requestId', itemIndex, ''));
	if ('problem' in checked) {
		throw new NodeOperationError(ctx.getNode(), checked.problem, {
			itemIndex,
			description:
				'Pass the requestId that Submit Job or Generate Video returned, e.g. {{ $json.requestId }}. Nothing was sent to RunComfy for this item.',
		});
	}
	return checked.value;
}
