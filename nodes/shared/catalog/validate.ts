import type { IDataObject } from 'n8n-workflow';

import type { Checked, NumberRule } from '../values';
import { checkNumber, show } from '../values';
import type { InputSpec } from './schema';

/**
 * Values checked against a model's inputs before anything is paid: each message names the input
 * as the user sees it (its title) and says what is allowed. Numeric and boolean text (a sheet's
 * "8", "true") is accepted and sent as a number or boolean. Pure.
 */

/** Nothing given: the input is left out, so RunComfy uses its default. */
export function isEmpty(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

function listText(values: ReadonlyArray<string | number | boolean>): string {
	const shown = values.map((value) => (typeof value === 'string' ? `"${value}"` : String(value)));
	return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

function numberRule(input: InputSpec): NumberRule {
	const both = input.min !== undefined && input.max !== undefined;
	const rule: NumberRule = { integer: input.kind === 'integer' };
	if (both) Object.assign(rule, { min: input.min, max: input.max });
	if (input.exclusiveMin !== undefined) rule.above = input.exclusiveMin;
	return rule;
}

function checkNumeric(input: InputSpec, raw: unknown): Checked<number> {
	const { min, max, exclusiveMax, title } = input;
	const single =
		min !== undefined && max === undefined
			? `at least ${min}`
			: max !== undefined && min === undefined
				? `at most ${max}`
				: '';
	const checked = checkNumber(title, raw, numberRule(input));
	if ('problem' in checked) {
		// checkNumber states a range only with both bounds; a single one is said here.
		return {
			problem: single ? checked.problem.replace(/, got /, ` (${single}), got `) : checked.problem,
		};
	}
	const value = checked.value;
	const outside = (min !== undefined && value < min) || (max !== undefined && value > max);
	if (single && outside) return { problem: `${title} must be ${single}, got ${show(raw)}` };
	if (exclusiveMax !== undefined && value >= exclusiveMax) {
		return { problem: `${title} must be less than ${exclusiveMax}, got ${show(raw)}` };
	}
	return checked;
}

function checkOption(input: InputSpec, raw: unknown): Checked<string | number | boolean> {
	const options = input.options ?? [];
	const exact = options.find((option) => option === raw);
	if (exact !== undefined) return { value: exact };
	// "81" from a sheet for the option 81; "PNG" for "png".
	const text =
		typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : undefined;
	const loose =
		text === undefined
			? undefined
			: (options.find((option) => String(option) === text) ??
				options.find((option) => String(option).toLowerCase() === text.toLowerCase()));
	if (loose !== undefined) return { value: loose };
	return { problem: `${input.title} must be one of ${listText(options)}, got ${show(raw)}` };
}

function checkBoolean(input: InputSpec, raw: unknown): Checked<boolean> {
	if (raw === true || raw === false) return { value: raw };
	const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
	if (text === 'true') return { value: true };
	if (text === 'false') return { value: false };
	return { problem: `${input.title} must be true or false, got ${show(raw)}` };
}

function checkJson(input: InputSpec, raw: unknown): Checked<unknown> {
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			return {
				problem: `${input.title} must be JSON (${input.jsonType === 'array' ? 'a list like [1, 2]' : 'an object like {"key": "value"}'}), got ${show(raw)}`,
			};
		}
	}
	const isArray = Array.isArray(value);
	const ok =
		input.jsonType === 'array' ? isArray : typeof value === 'object' && value !== null && !isArray;
	if (!ok) {
		return {
			problem: `${input.title} must be ${input.jsonType === 'array' ? 'a list (JSON array)' : 'a JSON object'}, got ${show(raw)}`,
		};
	}
	return { value };
}

function checkString(input: InputSpec, raw: unknown): Checked<string> {
	if (typeof raw === 'string') return { value: raw };
	if (typeof raw === 'number' && Number.isFinite(raw)) return { value: String(raw) };
	return { problem: `${input.title} must be text, got ${show(raw)}` };
}

/** One value that is not empty, checked against its input; the value to send, or the problem. */
export function checkValue(input: InputSpec, raw: unknown): Checked<unknown> {
	switch (input.kind) {
		case 'string':
			return checkString(input, raw);
		case 'integer':
		case 'number':
			return checkNumeric(input, raw);
		case 'boolean':
			return checkBoolean(input, raw);
		case 'options':
			return checkOption(input, raw);
		case 'json':
			return checkJson(input, raw);
		default:
			return { value: raw };
	}
}

function requiredText(input: InputSpec): string {
	const what =
		input.kind === 'options'
			? `: pick one of ${listText(input.options ?? [])}`
			: input.description
				? `: ${input.description.slice(0, 120)}`
				: '';
	return `${input.title} is required${what}`;
}

/**
 * The values to send for `inputs`: empty ones are left out (RunComfy's default applies); a
 * required input must be given. All problems are reported together.
 */
export function checkInputs(inputs: InputSpec[], values: IDataObject): Checked<IDataObject> {
	const body: IDataObject = {};
	const problems: string[] = [];
	for (const input of inputs) {
		const raw = values[input.key];
		// The resource mapper leaves untouched inputs empty: they are not sent.
		if (isEmpty(raw)) {
			if (input.required) problems.push(requiredText(input));
			continue;
		}
		const checked = checkValue(input, raw);
		if ('problem' in checked) problems.push(checked.problem);
		else body[input.key] = checked.value as IDataObject[string];
	}
	return problems.length > 0 ? { problem: problems.join('; ') } : { value: body };
}
