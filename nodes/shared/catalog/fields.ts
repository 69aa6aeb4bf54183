import type { FieldType, ResourceMapperField } from 'n8n-workflow';

import type { InputSpec } from './schema';

/**
 * A model's inputs as n8n resource-mapper fields. What a field can't say (ranges, nullability,
 * the schema's own type words) goes into its name's hint: "(0–20, default 2.5)". Pure.
 */

const FIELD_TYPE: Record<InputSpec['kind'], FieldType> = {
	string: 'string',
	integer: 'number',
	number: 'number',
	boolean: 'boolean',
	options: 'options',
	json: 'object',
	unknown: 'string',
};

function rangeText(input: InputSpec): string | undefined {
	const low = input.min ?? input.exclusiveMin;
	const high = input.max ?? input.exclusiveMax;
	if (low !== undefined && high !== undefined) return `${low}–${high}`;
	if (low !== undefined) return `≥ ${low}`;
	if (high !== undefined) return `≤ ${high}`;
	return undefined;
}

/** What the field label adds: the range, "whole number", "JSON", the unknown type word. */
export function fieldNote(input: InputSpec): string {
	const parts: string[] = [];
	const range = rangeText(input);
	// Short: n8n cuts a mapper label past about 30 characters. A range of a whole number says
	// enough; a value outside it or with decimals is refused with the full rule.
	if (range) parts.push(range);
	else if (input.kind === 'integer') parts.push('whole number');
	if (input.kind === 'json') parts.push(input.jsonType === 'array' ? 'JSON list' : 'JSON');
	if (input.kind === 'unknown' && input.types.length > 0) parts.push(input.types.join(' or '));
	return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

type Default = ResourceMapperField['defaultValue'];

function defaultOf(input: InputSpec): Default {
	const value = input.default;
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'object') return JSON.stringify(value);
	return value as Default;
}

export function toMapperField(input: InputSpec): ResourceMapperField {
	const field: ResourceMapperField = {
		id: input.key,
		displayName: `${input.title}${fieldNote(input)}`,
		required: input.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: input.kind === 'json' && input.jsonType === 'array' ? 'array' : FIELD_TYPE[input.kind],
	};
	if (input.options) {
		field.options = input.options.map((value) => ({ name: String(value), value }));
	}
	const fallback = defaultOf(input);
	if (fallback !== undefined) field.defaultValue = fallback;
	return field;
}

export function toMapperFields(inputs: InputSpec[]): ResourceMapperField[] {
	return inputs.map(toMapperField);
}
