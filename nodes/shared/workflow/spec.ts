import type { InputSpec } from '../catalog/schema';
import { ExactInteger, bigIntOf, isBeyondSafe } from './exactInteger';
import type { Raw } from './graph';
import { isRecord } from './graph';
import type { InputDefinition } from './objectInfo';

/**
 * A workflow input described as the catalog describes a model's input (InputSpec, so its checks
 * and field building apply), plus what ComfyUI adds: its type word, a FLOAT's step, a text's
 * multiline, a file input's upload kind, and exact bounds for an INT that reaches past 2^53.
 */
export interface WorkflowSpec extends InputSpec {
	/** ComfyUI's type word (INT, FLOAT, STRING, BOOLEAN, COMBO, a custom one); absent if guessed. */
	comfyType?: string;
	step?: number;
	multiline?: boolean;
	/** A file input (`image_upload: true` and the like): "image", "video", "audio", … */
	upload?: string;
	/**
	 * Set for an INT whose range or value passes what a JS number holds: offered as text, checked
	 * exactly against these bounds (canonical digits), sent as a raw JSON integer.
	 */
	exact?: { min?: string; max?: string };
}

type Option = string | number | boolean;

const isOption = (value: unknown): value is Option =>
	typeof value === 'string' ||
	typeof value === 'boolean' ||
	(typeof value === 'number' && Number.isFinite(value));

const finite = (value: unknown): number | undefined => {
	if (value instanceof ExactInteger) return Number(value.digits);
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/** `image_upload: true` → "image"; also an `upload: "video"` word [guess]. */
function uploadOf(config: Raw): string | undefined {
	for (const [key, value] of Object.entries(config)) {
		if (value === true && key.endsWith('_upload') && key.length > 7) return key.slice(0, -7);
	}
	return typeof config.upload === 'string' && config.upload.trim()
		? config.upload.trim()
		: undefined;
}

function base(key: string, title: string, fallback: unknown): WorkflowSpec {
	const spec: WorkflowSpec = {
		key,
		title,
		kind: 'unknown',
		types: [],
		// Nothing is required: what is not sent keeps the deployment's saved value.
		required: false,
		nullable: false,
		hasDefault: fallback !== undefined,
	};
	if (fallback !== undefined) spec.default = fallback;
	return spec;
}

function exactBounds(config: Raw, fallback: unknown): WorkflowSpec['exact'] {
	const [min, max] = [config.min, config.max];
	if (![min, max, fallback].some(isBeyondSafe)) return undefined;
	const digits = (value: unknown) => bigIntOf(value)?.toString();
	const exact: NonNullable<WorkflowSpec['exact']> = {};
	if (digits(min) !== undefined) exact.min = digits(min);
	if (digits(max) !== undefined) exact.max = digits(max);
	return exact;
}

function describeOptions(spec: WorkflowSpec, options: unknown[], config: Raw): WorkflowSpec {
	const upload = uploadOf(config);
	// A file input lists the files already on the server; a request gives a URL instead.
	if (upload) return { ...spec, kind: 'string', upload };
	const allowed = options.filter(isOption);
	return allowed.length > 0
		? { ...spec, kind: 'options', options: allowed }
		: { ...spec, kind: 'string' };
}

function describeNumber(spec: WorkflowSpec, integer: boolean, config: Raw): WorkflowSpec {
	const described: WorkflowSpec = { ...spec, kind: integer ? 'integer' : 'number' };
	const exact = integer ? exactBounds(config, spec.default) : undefined;
	if (exact) described.exact = exact;
	else {
		described.min = finite(config.min);
		described.max = finite(config.max);
	}
	const step = finite(config.step);
	if (step !== undefined && step > 0) described.step = step;
	return described;
}

/** The spec from object_info's definition, or undefined when its type is not a value's type. */
export function describedSpec(
	key: string,
	title: string,
	definition: InputDefinition,
	fallback: unknown,
): WorkflowSpec | undefined {
	const { type, config } = definition;
	const spec = base(key, title, fallback);
	if (Array.isArray(type)) return { ...describeOptions(spec, type, config), comfyType: 'COMBO' };
	const word = type.toUpperCase();
	const typed = { ...spec, comfyType: type, types: [type] };
	switch (word) {
		case 'INT':
			return describeNumber(typed, true, config);
		case 'FLOAT':
			return describeNumber(typed, false, config);
		case 'STRING':
			return { ...typed, kind: 'string', multiline: config.multiline === true };
		case 'BOOLEAN':
			return { ...typed, kind: 'boolean' };
		case 'COMBO':
			return describeOptions(typed, Array.isArray(config.options) ? config.options : [], config);
		default:
			return undefined;
	}
}

const SEED_NAME = /seed/i;

/**
 * The spec guessed from the workflow's own value (no object_info for it). A number may be a
 * FLOAT that happens to be whole (cfg 7), so it is a number; a seed or a number past 2^53 is a
 * 64-bit INT in ComfyUI, so it is an exact whole number of any size.
 */
export function guessedSpec(
	key: string,
	title: string,
	name: string,
	fallback: unknown,
): WorkflowSpec {
	const spec = base(key, title, fallback);
	const value = fallback;
	if (value instanceof ExactInteger || isBeyondSafe(value))
		return { ...spec, kind: 'integer', exact: {} };
	if (typeof value === 'number')
		return Number.isInteger(value) && SEED_NAME.test(name)
			? { ...spec, kind: 'integer', exact: {} }
			: { ...spec, kind: 'number' };
	if (typeof value === 'string') return { ...spec, kind: 'string' };
	if (typeof value === 'boolean') return { ...spec, kind: 'boolean' };
	if (Array.isArray(value)) return { ...spec, kind: 'json', jsonType: 'array' };
	if (isRecord(value)) return { ...spec, kind: 'json', jsonType: 'object' };
	return spec;
}
