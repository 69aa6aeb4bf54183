import { RESERVED_KEYS } from '../values';

/**
 * A catalog model's `input_schema` (JSON-Schema-like, with RunComfy's own `"float"`) read into
 * plain input descriptions. Pure and tolerant: whatever cannot be understood becomes an input of
 * kind `unknown`, passed on as given, never a crash.
 */

export type InputKind =
	| 'string'
	| 'integer'
	| 'number'
	| 'boolean'
	| 'options'
	| 'json'
	| 'unknown';

export interface InputSpec {
	/** The API key. */
	key: string;
	/** The name the user sees: the schema's title, else the key. */
	title: string;
	description?: string;
	kind: InputKind;
	/** The schema's own type words, for messages ("float", "image", …). */
	types: string[];
	/** `object` or `array` for a JSON input. */
	jsonType?: 'object' | 'array';
	required: boolean;
	nullable: boolean;
	/** Present only when the schema gives one (`null` included). */
	default?: unknown;
	hasDefault: boolean;
	min?: number;
	max?: number;
	exclusiveMin?: number;
	exclusiveMax?: number;
	options?: Array<string | number | boolean>;
}

export interface InputSchema {
	inputs: InputSpec[];
	/** Why the schema can't describe the inputs (none, not an object, no properties). */
	problem?: string;
}

const KIND_OF_TYPE: Record<string, InputKind> = {
	string: 'string',
	str: 'string',
	text: 'string',
	integer: 'integer',
	int: 'integer',
	number: 'number',
	float: 'number',
	double: 'number',
	boolean: 'boolean',
	bool: 'boolean',
	object: 'json',
	dict: 'json',
	array: 'json',
	list: 'json',
};

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const finite = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The type words of a property: `type` as a word or list, or those of `anyOf`/`oneOf`. */
function typeWords(property: Raw): string[] {
	const words: string[] = [];
	const add = (type: unknown) => {
		for (const word of Array.isArray(type) ? type : [type]) {
			if (typeof word === 'string' && word.trim()) words.push(word.trim().toLowerCase());
		}
	};
	add(property.type);
	for (const union of [property.anyOf, property.oneOf]) {
		if (Array.isArray(union)) for (const entry of union) if (isRecord(entry)) add(entry.type);
	}
	return [...new Set(words)];
}

function enumOf(property: Raw): InputSpec['options'] {
	const values = Array.isArray(property.enum) ? property.enum : undefined;
	const allowed = values?.filter(
		(value): value is string | number | boolean =>
			typeof value === 'string' ||
			typeof value === 'boolean' ||
			(typeof value === 'number' && Number.isFinite(value)),
	);
	return allowed && allowed.length > 0 ? allowed : undefined;
}

/** One property as an input; `required` comes from the schema's list. */
export function readInput(key: string, property: unknown, required: boolean): InputSpec {
	const raw = isRecord(property) ? property : {};
	const words = typeWords(raw);
	const types = words.filter((word) => word !== 'null');
	const kinds = [...new Set(types.map((type) => KIND_OF_TYPE[type] ?? 'unknown'))];
	const options = enumOf(raw);
	const kind: InputKind = options
		? 'options'
		: kinds.length === 1
			? kinds[0]
			: // integer and number together are a number; anything else mixed is not checked.
				kinds.length === 2 && kinds.includes('integer') && kinds.includes('number')
				? 'number'
				: 'unknown';
	const title = typeof raw.title === 'string' && raw.title.trim() ? raw.title.trim() : key;
	const spec: InputSpec = {
		key,
		title,
		kind,
		types,
		required,
		nullable: words.includes('null') || raw.nullable === true || raw.default === null,
		hasDefault: 'default' in raw,
		options,
	};
	if (spec.hasDefault) spec.default = raw.default;
	if (typeof raw.description === 'string' && raw.description.trim()) {
		spec.description = raw.description.trim();
	}
	if (kind === 'json')
		spec.jsonType = types.some((t) => t === 'array' || t === 'list') ? 'array' : 'object';
	spec.min = finite(raw.minimum);
	spec.max = finite(raw.maximum);
	spec.exclusiveMin = finite(raw.exclusiveMinimum);
	spec.exclusiveMax = finite(raw.exclusiveMaximum);
	return spec;
}

/** Every input of a model's `input_schema`, required ones first, each in schema order. */
export function readInputSchema(schema: unknown): InputSchema {
	if (schema === undefined || schema === null) {
		return { inputs: [], problem: 'the catalog gives no input schema for this model' };
	}
	if (!isRecord(schema) || !isRecord(schema.properties)) {
		return { inputs: [], problem: 'its input schema lists no inputs' };
	}
	const required = new Set(
		(Array.isArray(schema.required) ? schema.required : []).filter(
			(key): key is string => typeof key === 'string',
		),
	);
	const keys = Object.keys(schema.properties).filter((key) => key && !RESERVED_KEYS.has(key));
	if (keys.length === 0) return { inputs: [], problem: 'its input schema lists no inputs' };
	const inputs = keys.map((key) =>
		readInput(key, (schema.properties as Raw)[key], required.has(key)),
	);
	return { inputs: [...inputs.filter((i) => i.required), ...inputs.filter((i) => !i.required)] };
}
