import { ExactInteger } from './exactInteger';

/**
 * JSON text of a value as JSON.stringify writes it, except that an ExactInteger is written as its
 * bare digits: the request body's seed stays 18446744073709551615, not a rounded or quoted one.
 */

type Slot = 'array' | 'object';

function hasToJson(value: object): value is { toJSON: () => unknown } {
	return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** What JSON.stringify writes for one value; undefined where it leaves the value out. */
function write(value: unknown, seen: Set<object>, slot: Slot | undefined): string | undefined {
	if (value instanceof ExactInteger) return value.digits;
	if (value !== null && typeof value === 'object' && hasToJson(value)) value = value.toJSON();
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string':
			return JSON.stringify(value);
		case 'number':
			return Number.isFinite(value) ? String(value) : 'null';
		case 'boolean':
			return String(value);
		case 'bigint':
			return value.toString();
		case 'object':
			return writeContainer(value, seen);
		default:
			// undefined, functions, symbols: left out of objects, null in arrays (as JSON.stringify).
			return slot === 'array' ? 'null' : undefined;
	}
}

function writeContainer(value: object, seen: Set<object>): string {
	if (seen.has(value)) throw new TypeError('Converting circular structure to JSON');
	seen.add(value);
	let text: string;
	if (Array.isArray(value)) {
		text = `[${value.map((entry) => write(entry, seen, 'array')).join(',')}]`;
	} else {
		const parts: string[] = [];
		for (const [key, entry] of Object.entries(value)) {
			const written = write(entry, seen, 'object');
			if (written !== undefined) parts.push(`${JSON.stringify(key)}:${written}`);
		}
		text = `{${parts.join(',')}}`;
	}
	seen.delete(value);
	return text;
}

/** The JSON text to send; ExactInteger values as raw integers. */
export function jsonText(value: unknown): string {
	return write(value, new Set(), undefined) ?? 'null';
}
