/**
 * A Serverless submit checked as RunComfy documents it: overrides name nodes and inputs of the
 * deployed workflow (never a link), values fit ComfyUI's object_info (INT/FLOAT ranges, COMBO
 * options, media as URL or data: URI); or an inline workflow; or a LoRA deployment's flat body.
 * Every problem is one pydantic-style detail `{loc, msg, type}`.
 */
import { pathKey } from './lossless';
import { inputSpec, NODE_DEFS, type InputSpec } from './objectInfo';
import { LORA_FIELDS, type LoraField, type Workflow } from './workflows';

export interface Detail {
	loc: Array<string | number>;
	msg: string;
	type: string;
}

type Problem = { msg: string; type: string } | undefined;

export const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

const isLink = (v: unknown) =>
	Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';

/** A media input: an http(s) URL or a base64 `data:` URI. */
export function mediaProblem(value: unknown): Problem {
	const bad = { msg: 'Media input must be an http(s) URL or a data: URI', type: 'media' };
	if (typeof value !== 'string') return bad;
	if (/^data:[^,]*;base64,[A-Za-z0-9+/]+={0,2}$/i.test(value)) return undefined;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : bad;
	} catch {
		return bad;
	}
}

function oneOf(options: unknown[], value: unknown): Problem {
	if (options.includes(value)) return undefined;
	return {
		msg: `Value not in list: expected one of ${JSON.stringify(options)}`,
		type: 'literal_error',
	};
}

function range(value: bigint | number, opts: Record<string, unknown>, big: boolean): Problem {
	const asBig = (v: unknown) => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
	const below = big
		? opts.min !== undefined && (value as bigint) < asBig(opts.min)
		: typeof opts.min === 'number' && (value as number) < opts.min;
	if (below)
		return { msg: `Value ${value} smaller than min of ${opts.min}`, type: 'greater_than_equal' };
	const above = big
		? opts.max !== undefined && (value as bigint) > asBig(opts.max)
		: (typeof opts.max === 'number' || typeof opts.max === 'bigint') &&
			(value as number) > opts.max;
	if (above)
		return { msg: `Value ${value} bigger than max of ${opts.max}`, type: 'less_than_equal' };
	return undefined;
}

function intProblem(value: unknown, big: boolean, opts: Record<string, unknown>): Problem {
	if (big && typeof value === 'string') return range(BigInt(value), opts, true);
	if (typeof value !== 'number' || !Number.isInteger(value)) {
		return { msg: 'Input should be a valid integer', type: 'int_type' };
	}
	return range(BigInt(value), opts, true);
}

function floatProblem(value: unknown, big: boolean, opts: Record<string, unknown>): Problem {
	const n = big && typeof value === 'string' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) {
		return { msg: 'Input should be a valid number', type: 'float_type' };
	}
	return range(n, opts, false);
}

/** One value against its object_info spec; `big`: it is an integer kept as a digit string. */
export function valueProblem(spec: InputSpec | undefined, value: unknown, big: boolean): Problem {
	if (!spec) return undefined; // a type object_info does not describe: anything goes
	const [type, opts = {}] = spec;
	if (opts.image_upload) return mediaProblem(value);
	if (Array.isArray(type)) return oneOf(type, value);
	switch (type) {
		case 'COMBO':
			return oneOf(Array.isArray(opts.options) ? opts.options : [], value);
		case 'INT':
			return intProblem(value, big, opts);
		case 'FLOAT':
			return floatProblem(value, big, opts);
		case 'STRING':
			return typeof value === 'string'
				? undefined
				: { msg: 'Input should be a valid string', type: 'string_type' };
		case 'BOOLEAN':
			return typeof value === 'boolean'
				? undefined
				: { msg: 'Input should be a valid boolean', type: 'bool_type' };
		default:
			return undefined;
	}
}

/** `overrides` against the deployed workflow; returns the details and the graph they make. */
function checkOverrides(
	overrides: unknown,
	saved: Workflow,
	bigIntegers: Set<string>,
): { details: Detail[]; workflow: Workflow } {
	const workflow = structuredClone(saved);
	if (!isObject(overrides)) {
		const loc = ['body', 'overrides'];
		return {
			details: [{ loc, msg: 'Input should be a valid dictionary', type: 'dict_type' }],
			workflow,
		};
	}
	const details: Detail[] = [];
	for (const [id, entry] of Object.entries(overrides)) {
		const node = workflow[id];
		const loc = ['body', 'overrides', id];
		if (!node) {
			details.push({
				loc,
				msg: `Node '${id}' does not exist in the workflow`,
				type: 'unknown_node',
			});
			continue;
		}
		if (!isObject(entry) || !isObject(entry.inputs)) {
			details.push({
				loc: [...loc, 'inputs'],
				msg: 'Input should be a valid dictionary',
				type: 'dict_type',
			});
			continue;
		}
		for (const [name, value] of Object.entries(entry.inputs)) {
			const problem = overrideProblem(id, node, name, value, bigIntegers);
			if (problem) details.push({ loc: [...loc, 'inputs', name], ...problem });
			else node.inputs[name] = value;
		}
	}
	return { details, workflow };
}

function overrideProblem(
	id: string,
	node: Workflow[string],
	name: string,
	value: unknown,
	bigIntegers: Set<string>,
): Problem {
	if (!(name in node.inputs)) {
		return {
			msg: `Node '${id}' (${node.class_type}) has no input '${name}'`,
			type: 'unknown_input',
		};
	}
	if (isLink(node.inputs[name])) {
		const msg = `Input '${name}' of node '${id}' is a link to another node and cannot be overridden`;
		return { msg, type: 'link_input' };
	}
	const big = bigIntegers.has(pathKey(['overrides', id, 'inputs', name]));
	return valueProblem(inputSpec(node.class_type, name), value, big);
}

/** An inline `workflow_api_json`: nodes with a known class_type and fitting values. */
function checkInline(graph: unknown, bigIntegers: Set<string>): Detail[] {
	const loc = ['body', 'workflow_api_json'];
	if (!isObject(graph) || Object.keys(graph).length === 0) {
		return [{ loc, msg: 'Input should be a non-empty dictionary of nodes', type: 'dict_type' }];
	}
	const details: Detail[] = [];
	for (const [id, node] of Object.entries(graph)) {
		if (!isObject(node) || typeof node.class_type !== 'string' || !isObject(node.inputs)) {
			details.push({
				loc: [...loc, id],
				msg: 'A node needs a class_type and inputs',
				type: 'node_type',
			});
			continue;
		}
		const classType = node.class_type;
		if (!(classType in NODE_DEFS)) {
			const msg = `Unknown node type '${classType}'`;
			details.push({ loc: [...loc, id, 'class_type'], msg, type: 'unknown_class' });
			continue;
		}
		for (const [name, value] of Object.entries(node.inputs)) {
			if (isLink(value)) continue;
			const spec = inputSpec(classType, name);
			const big = bigIntegers.has(pathKey(['workflow_api_json', id, 'inputs', name]));
			// Inline, a media input may also name a file the server has (one of the options).
			const known = spec?.[1]?.image_upload && Array.isArray(spec[0]) && spec[0].includes(value);
			const problem = known ? undefined : valueProblem(spec, value, big);
			if (problem) details.push({ loc: [...loc, id, 'inputs', name], ...problem });
		}
	}
	return details;
}

/** A ComfyUI deployment's submit body (webhook fields already taken out). */
export function checkComfySubmit(
	body: Record<string, unknown>,
	saved: Workflow,
	bigIntegers: Set<string>,
): { details: Detail[]; workflow?: Workflow } {
	const hasOverrides = 'overrides' in body;
	const hasInline = 'workflow_api_json' in body;
	const details: Detail[] = [];
	if ('extra_data' in body && !isObject(body.extra_data)) {
		const msg = 'Input should be a valid dictionary';
		details.push({ loc: ['body', 'extra_data'], msg, type: 'dict_type' });
	}
	if (hasOverrides && hasInline) {
		const msg = "Give either 'overrides' or 'workflow_api_json', not both";
		return { details: [...details, { loc: ['body'], msg, type: 'value_error' }] };
	}
	if (!hasOverrides && !hasInline) {
		const msg = "Either 'overrides' or 'workflow_api_json' is required";
		return { details: [...details, { loc: ['body'], msg, type: 'missing' }] };
	}
	if (hasInline) {
		const inline = checkInline(body.workflow_api_json, bigIntegers);
		return { details: [...details, ...inline], workflow: body.workflow_api_json as Workflow };
	}
	const checked = checkOverrides(body.overrides, saved, bigIntegers);
	return { details: [...details, ...checked.details], workflow: checked.workflow };
}

function loraProblem(field: LoraField, value: unknown, big: boolean): Problem {
	const opts = { min: field.min, max: field.max };
	if (field.type === 'media') return mediaProblem(value);
	if (field.type === 'integer') return intProblem(value, big, opts);
	if (field.type === 'float') return floatProblem(value, big, opts);
	return typeof value === 'string' && value !== ''
		? undefined
		: { msg: 'Input should be a non-empty string', type: 'string_type' };
}

/** A LoRA deployment's flat body: its own schema (LORA_FIELDS); unknown keys are ignored. */
export function checkLoraSubmit(body: Record<string, unknown>, bigIntegers: Set<string>): Detail[] {
	const details: Detail[] = [];
	for (const [key, field] of Object.entries(LORA_FIELDS)) {
		if (!(key in body)) {
			if (field.required)
				details.push({ loc: ['body', key], msg: 'Field required', type: 'missing' });
			continue;
		}
		const problem = loraProblem(field, body[key], bigIntegers.has(pathKey([key])));
		if (problem) details.push({ loc: ['body', key], ...problem });
	}
	return details;
}
