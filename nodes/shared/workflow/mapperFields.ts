import type { ResourceMapperField } from 'n8n-workflow';

import { toMapperField } from '../catalog/fields';
import { isUsableUrl } from '../output/media';
import { ExactInteger } from './exactInteger';
import { isDataUri } from './fileValue';
import type { WorkflowInput } from './inputs';
import { jsonText } from './jsonText';

/**
 * Workflow inputs as n8n resource-mapper fields, built as the catalog's are. An exact (64-bit)
 * whole number and a file input are text fields: n8n would turn a number field into a rounded JS
 * number, and a file is given by URL. In a list with exposed inputs, the others start hidden
 * (n8n's "Add field" offers them): the author's inputs come first, the rest stay at hand.
 */

type Default = ResourceMapperField['defaultValue'];

function defaultOf(input: WorkflowInput): Default {
	const value = input.spec.default;
	if (value === undefined || value === null) return undefined;
	if (value instanceof ExactInteger) return value.digits;
	if (typeof value === 'object') return jsonText(value);
	// A file input's saved value names a file on the server: only a URL can be sent back.
	if (input.spec.upload && !(isUsableUrl(value) || isDataUri(value))) return undefined;
	return value as Default;
}

export function toWorkflowField(input: WorkflowInput, hideUnexposed = false): ResourceMapperField {
	const field = toMapperField(input.spec);
	field.displayName = input.displayName;
	if (input.spec.exact || input.spec.upload) field.type = 'string';
	let fallback = defaultOf(input);
	// A text field's default is text: a 64-bit seed's saved value too.
	if (field.type === 'string' && typeof fallback === 'number') fallback = String(fallback);
	if (fallback === undefined) delete field.defaultValue;
	else field.defaultValue = fallback;
	if (hideUnexposed && !input.exposed) field.removed = true;
	return field;
}

export function toWorkflowFields(inputs: WorkflowInput[]): ResourceMapperField[] {
	const hide = inputs.some((input) => input.exposed) && inputs.some((input) => !input.exposed);
	return inputs.map((input) => toWorkflowField(input, hide));
}
