import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkImageBytes, declaredTypeProblem } from './image';
import { readEach } from '../../shared/parameters';
import { checkBinaryPropertyName, InputError, valueOf } from '../../shared/values';
import type { FieldValues } from './input';
import { buildApiInput, FIELDS } from './input';

/** Each item's FusionX input, read from the node's fields and validated before anything is paid. */

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
