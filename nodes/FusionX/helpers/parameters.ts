import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldValues } from './input';
import { buildApiInput, FIELDS, InputError, MAX_DATA_URI_IMAGE_BYTES } from './input';
import type { ItemResult } from './items';
import { failure } from './items';

/** Reading the node's parameters: options, each item's API input, request ids. */

export interface NodeOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	cancelOnTimeout: boolean;
	download: boolean;
	binaryPropertyName: string;
	maxConcurrency: number;
}

export function readOptions(ctx: IExecuteFunctions): NodeOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const seconds = (value: unknown, fallback: number) => {
		const number = Number(value ?? fallback);
		return (Number.isFinite(number) && number > 0 ? number : fallback) * 1000;
	};
	// An AI agent gets URLs only: binary data would flood its context.
	const isTool = ctx.getNode().type.endsWith('Tool');
	return {
		pollIntervalMs: seconds(options.pollInterval, 5),
		timeoutMs: seconds(options.timeout, 900),
		cancelOnTimeout: options.cancelOnTimeout !== false,
		download: options.download === true && !isTool,
		binaryPropertyName: String(options.binaryPropertyName || 'data'),
		maxConcurrency: Math.max(1, Math.floor(Number(options.maxConcurrency ?? 5)) || 5),
	};
}

async function imageFromBinary(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const property = ctx.getNodeParameter('imageBinaryProperty', itemIndex) as string;
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	if (!binary.mimeType?.startsWith('image/')) {
		throw new InputError(
			`Input Binary Field "${property}" holds ${binary.mimeType || 'a file of unknown type'}, not an image: use a PNG, JPEG or WebP start frame`,
		);
	}
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (buffer.length > MAX_DATA_URI_IMAGE_BYTES) {
		throw new InputError(
			`Input Binary Field "${property}" is ${(buffer.length / 1048576).toFixed(1)} MB; images sent from binary may be at most 6 MB. Use a smaller image or a hosted URL.`,
		);
	}
	return `data:${binary.mimeType};base64,${buffer.toString('base64')}`;
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

export function readRequestId(ctx: IExecuteFunctions, itemIndex: number): string {
	const requestId = String(ctx.getNodeParameter('requestId', itemIndex, '') ?? '').trim();
	if (!requestId) {
		throw new NodeOperationError(ctx.getNode(), 'Request ID is required', {
			itemIndex,
			description:
				'Pass the requestId that Submit Job or Generate Video returned, e.g. {{ $json.requestId }}.',
		});
	}
	return requestId;
}

