/**
 * An integer kept as its digits: ComfyUI's INT inputs reach 2^64 − 1 (seeds), past what a JS
 * number holds exactly (2^53 − 1). `jsonText` writes it as a bare JSON integer.
 */
export class ExactInteger {
	/** Canonical digits: an optional "-", no leading zeros, never "-0". */
	readonly digits: string;

	constructor(digits: string) {
		const canonical = integerDigits(digits);
		if (canonical === undefined) throw new TypeError(`Not an integer: ${digits}`);
		this.digits = canonical;
	}

	toString(): string {
		return this.digits;
	}

	/** Plain JSON can't hold it exactly: shown as its digits (n8n's output, logs). */
	toJSON(): string {
		return this.digits;
	}
}

const INTEGER_TEXT = /^([+-]?)0*(\d+)$/;

/** The canonical digits of an integer written as text ("+007" → "7", "-0" → "0"), else undefined. */
export function integerDigits(text: string): string | undefined {
	const match = INTEGER_TEXT.exec(text.trim());
	if (!match) return undefined;
	const body = match[2];
	return match[1] === '-' && body !== '0' ? `-${body}` : body;
}

/** A plain number when it is exact as one, else an ExactInteger. */
export function integerValue(digits: string): number | ExactInteger {
	const number = Number(digits);
	return Number.isSafeInteger(number) ? number : new ExactInteger(digits);
}

/** The value as an exact integer (BigInt), if it is one: a safe whole number, digits or ExactInteger. */
export function bigIntOf(value: unknown): bigint | undefined {
	if (value instanceof ExactInteger) return BigInt(value.digits);
	if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
	return undefined;
}

/** Past what a JS number holds exactly. */
export function isBeyondSafe(value: unknown): boolean {
	const big = bigIntOf(value);
	return (
		big !== undefined &&
		(big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER))
	);
}
