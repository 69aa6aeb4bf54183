/**
 * Checks of single values that may come from an expression: numbers, names of binary fields,
 * request ids. Pure: each returns the value to use or the message for the user, which names the
 * field as the UI shows it and the value as the user gave it.
 */

export class InputError extends Error {}

export type Checked<T> = { value: T } | { problem: string };

/** The value or an InputError with its message. */
export function valueOf<T>(checked: Checked<T>): T {
	if ('problem' in checked) throw new InputError(checked.problem);
	return checked.value;
}

/** A value as the user gave it: `NaN`, `Infinity`, `"many"`, `{}`, `an object`… */
export function show(value: unknown): string {
	if (typeof value === 'string') {
		return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
	}
	if (value === undefined) return 'nothing';
	if (typeof value === 'function') return 'a function';
	if (typeof value === 'object' && value !== null) {
		let json: string | undefined;
		try {
			json = JSON.stringify(value);
		} catch {
			json = undefined;
		}
		if (json !== undefined && json.length <= 60) return json;
		return Array.isArray(value) ? 'an array' : 'an object';
	}
	return String(value); // numbers as typed in JS (NaN, Infinity, 1e+21), booleans, null
}

export interface NumberRule {
	integer?: boolean;
	min?: number;
	max?: number;
	/** Exclusive lower bound, for "greater than 0". */
	above?: number;
	/** The only allowed values, e.g. 81 or 141 frames. */
	oneOf?: readonly number[];
	/** Keep the range out of the "must be a number" messages (Seed's range is technical). */
	quietRange?: boolean;
	/** Said after the range, e.g. "; -1 picks a random seed". */
	note?: string;
}

/** Decimal numbers only: a sheet's "8" is fine, "0x10" or "" is not. */
const NUMERIC_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

function rangeText(rule: NumberRule): string {
	if (rule.oneOf)
		return ` ${rule.oneOf.slice(0, -1).join(', ')} or ${rule.oneOf[rule.oneOf.length - 1]}`;
	if (rule.min !== undefined && rule.max !== undefined) {
		return ` between ${rule.min} and ${rule.max}`;
	}
	if (rule.above !== undefined) return ` greater than ${rule.above}`;
	return '';
}

/** Numbers and numeric text (a sheet or an expression often yields "8"). */
export function checkNumber(label: string, raw: unknown, rule: NumberRule): Checked<number> {
	const value = typeof raw === 'string' && NUMERIC_TEXT.test(raw) ? Number(raw) : raw;
	const range = rangeText(rule);
	const typeRange = rule.quietRange || rule.oneOf ? '' : range;
	const got = `, got ${show(raw)}`;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		return {
			problem: `${label} must be ${rule.integer ? 'an integer' : 'a number'}${typeRange}${got}`,
		};
	}
	if (rule.integer && !Number.isInteger(value)) {
		return { problem: `${label} must be a whole number${typeRange}${got}` };
	}
	const outside =
		(rule.oneOf !== undefined && !rule.oneOf.includes(value)) ||
		(rule.min !== undefined && value < rule.min) ||
		(rule.max !== undefined && value > rule.max) ||
		(rule.above !== undefined && value <= rule.above);
	if (outside) return { problem: `${label} must be${range}${rule.note ?? ''}${got}` };
	return { value };
}

/** The options' limits; the UI's typeOptions read them too. */
export const OPTION_LIMITS = {
	pollInterval: { label: 'Poll Interval (Seconds)', min: 1, max: 600 },
	// The UI asks for at least 1 s; an expression may give any positive number.
	timeout: { label: 'Timeout (Seconds)', above: 0 },
	maxConcurrency: { label: 'Max Concurrent Submits', integer: true, min: 1, max: 50 },
	maxJobs: { label: 'Max Jobs per Execution', integer: true, min: 1, max: 100_000 },
	maxSpend: { label: 'Max Estimated Spend (USD)', min: 0, max: 1_000_000 },
	// 0 turns the budget off (an account with a higher limit, a proxy that paces by itself).
	maxRequestsPerSecond: { label: 'Max Requests per Second', min: 0, max: 1000 },
} as const;

/** `true`/`false`, also as text from an expression; anything else is refused, not guessed. */
export function checkFlag(label: string, raw: unknown, fallback: boolean): Checked<boolean> {
	if (raw === undefined) return { value: fallback };
	if (raw === true || raw === 'true') return { value: true };
	if (raw === false || raw === 'false') return { value: false };
	return { problem: `${label} must be true or false, got ${show(raw)}` };
}

/** Names an object key can't safely take: n8n's binary data is a plain object. */
export const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const BINARY_NAME = /^[A-Za-z0-9_.-]+$/;

/** A binary field name ("Input Binary Field", "Put Output in Field"). */
export function checkBinaryPropertyName(label: string, raw: unknown): Checked<string> {
	if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
		return { problem: `${label} must be the name of a binary field, got ${show(raw)}` };
	}
	const name = String(raw).trim();
	if (name === '')
		return { problem: `${label} is empty: give the binary field a name, e.g. "data"` };
	if (RESERVED_KEYS.has(name)) {
		return { problem: `${label} can't be "${name}": pick another name, e.g. "data"` };
	}
	if (!BINARY_NAME.test(name)) {
		return {
			problem: `${label} may only contain letters, digits, "_", "-" and ".", got ${show(name)}`,
		};
	}
	return { value: name };
}

export const MAX_REQUEST_ID_LENGTH = 200;

/**
 * A request id goes into a URL path: `.`, `..`, `/`, `?`, `#`, `%` would reach another path
 * (`POST /v1/cancel`). RunComfy's id format is not documented, so nothing else is required.
 */
export function checkRequestId(raw: unknown): Checked<string> {
	const label = 'Request ID';
	if (typeof raw === 'number' && !Number.isFinite(raw)) {
		return { problem: `${label} must be text, got ${show(raw)}` };
	}
	if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
		const kind = Array.isArray(raw)
			? 'an array'
			: typeof raw === 'object'
				? 'an object'
				: show(raw);
		return { problem: `${label} must be text, got ${kind}` };
	}
	const id = String(raw ?? '').trim();
	if (id === '') return { problem: `${label} is required` };
	if (id.length > MAX_REQUEST_ID_LENGTH) {
		return {
			problem: `${label} is ${id.length} characters long; a RunComfy request ID has at most ${MAX_REQUEST_ID_LENGTH}`,
		};
	}
	if (/^https?:/i.test(id)) {
		return { problem: `${label} must be the request ID itself, not a URL, got ${show(id)}` };
	}
	if (id === '.' || id === '..' || /[/\\?#%]/.test(id)) {
		return {
			problem: `${label} can't be "." or ".." or contain /, \\, ?, # or %, got ${show(id)}`,
		};
	}
	if (/[\s\p{Cc}\p{Cf}]/u.test(id)) {
		return {
			problem: `${label} can't contain spaces, line breaks or control characters, got ${show(id)}`,
		};
	}
	return { value: id };
}
