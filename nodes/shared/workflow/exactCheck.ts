import type { Checked } from '../values';
import { ExactInteger, integerDigits, integerValue } from './exactInteger';
import { shown } from './shown';
import type { WorkflowSpec } from './spec';

/**
 * A whole number of any size (a 64-bit seed), checked exactly: digits with an optional minus,
 * within the exact bounds. Sent as a plain number when one holds it exactly, else as ExactInteger.
 */

function rangeText(exact: NonNullable<WorkflowSpec['exact']>): string {
	if (exact.min !== undefined && exact.max !== undefined) {
		return ` between ${exact.min} and ${exact.max}`;
	}
	if (exact.min !== undefined) return ` (at least ${exact.min})`;
	if (exact.max !== undefined) return ` (at most ${exact.max})`;
	return '';
}

function digitsOf(raw: unknown): string | 'unsafe' | undefined {
	if (raw instanceof ExactInteger) return raw.digits;
	if (typeof raw === 'number') {
		if (!Number.isInteger(raw)) return undefined;
		return Number.isSafeInteger(raw) ? String(raw) : 'unsafe';
	}
	return typeof raw === 'string' ? integerDigits(raw) : undefined;
}

export function checkExactInteger(
	spec: WorkflowSpec,
	raw: unknown,
): Checked<number | ExactInteger> {
	const exact = spec.exact ?? {};
	const range = rangeText(exact);
	const digits = digitsOf(raw);
	if (digits === 'unsafe') {
		return {
			problem: `${spec.title} got ${shown(raw)}, a number too large to be exact in JavaScript: give it as text, e.g. "18446744073709551615"`,
		};
	}
	if (digits === undefined) {
		return { problem: `${spec.title} must be a whole number${range}, got ${shown(raw)}` };
	}
	const value = BigInt(digits);
	const below = exact.min !== undefined && value < BigInt(exact.min);
	const above = exact.max !== undefined && value > BigInt(exact.max);
	if (below || above) {
		const bounds = range.startsWith(' (') ? ` ${range.slice(2, -1)}` : range;
		return { problem: `${spec.title} must be${bounds}, got ${shown(raw)}` };
	}
	return { value: integerValue(digits) };
}
