/**
 * JSON that keeps big integers exact. ComfyUI seeds go to 2^64-1: JSON.parse would round them.
 * `parseLossless` returns integers beyond ±(2^53-1) as their exact digit strings and names where
 * they were (so a validator can tell them from JSON strings); `stringifyLossless` writes `bigint`
 * values as bare digits.
 */

export interface LosslessParse {
	value: unknown;
	/** The paths (JSON.stringify of the key array) of integers kept as digit strings. */
	bigIntegers: Set<string>;
}

export const pathKey = (path: Array<string | number>): string => JSON.stringify(path);

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// A JSON string: no raw control characters (U+0000–U+001F), escapes as JSON allows.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Parser {
	pos = 0;
	readonly bigIntegers = new Set<string>();

	constructor(private readonly text: string) {}

	fail(): never {
		throw new SyntaxError(`Unexpected token at position ${this.pos}`);
	}

	skip(): void {
		WHITESPACE.lastIndex = this.pos;
		WHITESPACE.exec(this.text);
		this.pos = WHITESPACE.lastIndex;
	}

	match(pattern: RegExp): RegExpExecArray | undefined {
		pattern.lastIndex = this.pos;
		const found = pattern.exec(this.text);
		if (!found) return undefined;
		this.pos = pattern.lastIndex;
		return found;
	}

	value(path: Array<string | number>): unknown {
		this.skip();
		const c = this.text[this.pos];
		if (c === '{') return this.object(path);
		if (c === '[') return this.array(path);
		if (c === '"') return this.string();
		for (const [word, value] of [
			['true', true],
			['false', false],
			['null', null],
		] as const) {
			if (this.text.startsWith(word, this.pos)) {
				this.pos += word.length;
				return value;
			}
		}
		return this.number(path);
	}

	number(path: Array<string | number>): unknown {
		const found = this.match(NUMBER) ?? this.fail();
		const literal = found[0];
		const n = Number(literal);
		if (found[1] || found[2] || Number.isSafeInteger(n)) return n;
		this.bigIntegers.add(pathKey(path));
		return literal; // exactly as typed (JSON allows no leading zeros)
	}

	string(): string {
		const found = this.match(STRING) ?? this.fail();
		return JSON.parse(found[0]) as string;
	}

	object(path: Array<string | number>): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		this.pos++;
		this.skip();
		if (this.text[this.pos] === '}') {
			this.pos++;
			return out;
		}
		for (;;) {
			this.skip();
			if (this.text[this.pos] !== '"') this.fail();
			const key = this.string();
			this.skip();
			if (this.text[this.pos++] !== ':') this.fail();
			const value = this.value([...path, key]);
			Object.defineProperty(out, key, {
				value,
				enumerable: true,
				writable: true,
				configurable: true,
			});
			this.skip();
			const next = this.text[this.pos++];
			if (next === '}') return out;
			if (next !== ',') this.fail();
		}
	}

	array(path: Array<string | number>): unknown[] {
		const out: unknown[] = [];
		this.pos++;
		this.skip();
		if (this.text[this.pos] === ']') {
			this.pos++;
			return out;
		}
		for (;;) {
			out.push(this.value([...path, out.length]));
			this.skip();
			const next = this.text[this.pos++];
			if (next === ']') return out;
			if (next !== ',') this.fail();
		}
	}
}

/** Parses JSON text; undefined when it is not JSON (a leading BOM is tolerated). */
export function parseLossless(text: string): LosslessParse | undefined {
	const parser = new Parser(text.replace(/^\uFEFF/, ''));
	try {
		const value = parser.value([]);
		parser.skip();
		if (parser.pos !== text.replace(/^\uFEFF/, '').length) return undefined;
		return { value, bigIntegers: parser.bigIntegers };
	} catch {
		return undefined;
	}
}

const MARK = '@@lossless-bigint@@';
const MARKED = /"@@lossless-bigint@@(-?\d+)"/g;

/** JSON.stringify that writes `bigint` values as bare digits (e.g. 18446744073709551615). */
export function stringifyLossless(value: unknown, space?: number): string {
	// The holder's own value: n8n-workflow gives BigInt a toJSON, which runs before a replacer.
	const text = JSON.stringify(
		value,
		function (this: Record<string, unknown>, key: string, v: unknown) {
			const raw = this[key];
			return typeof raw === 'bigint' ? `${MARK}${raw.toString()}` : v;
		},
		space,
	);
	return text.replace(MARKED, '$1');
}
