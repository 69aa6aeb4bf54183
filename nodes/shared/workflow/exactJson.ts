import { ExactInteger } from './exactInteger';

/**
 * JSON.parse, except that integers past 2^53 stay exact (as ExactInteger): ComfyUI's object_info
 * states a seed's maximum as 18446744073709551615, which JSON.parse rounds to ...616.
 */

// One token at a time; strings are decoded by JSON.parse itself, so escapes are exactly JSON's.
const TOKEN =
	/("(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")|(-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])/y;
const SPACE = /[ \t\n\r]*/y;

const MAX_DEPTH = 1000;

interface Token {
	kind: 'string' | 'number' | 'word' | 'mark';
	text: string;
	at: number;
	/** A number with neither fraction nor exponent. */
	integer?: boolean;
}

/** JSON allows no raw control character inside a string. */
function hasControl(text: string): boolean {
	for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 0x20) return true;
	return false;
}

class Reader {
	private at = 0;

	constructor(private readonly text: string) {}

	fail(message: string, at = this.at): never {
		throw new SyntaxError(`${message} in JSON at position ${at}`);
	}

	private skipSpace(): void {
		SPACE.lastIndex = this.at;
		SPACE.exec(this.text);
		this.at = SPACE.lastIndex;
	}

	next(): Token {
		this.skipSpace();
		const at = this.at;
		TOKEN.lastIndex = at;
		const match = TOKEN.exec(this.text);
		if (!match || (match[1] !== undefined && hasControl(match[1]))) {
			this.fail(at >= this.text.length ? 'Unexpected end' : 'Unexpected token', at);
		}
		this.at = TOKEN.lastIndex;
		if (match[1] !== undefined) return { kind: 'string', text: match[1], at };
		if (match[2] !== undefined)
			return { kind: 'number', text: match[2], at, integer: !match[3] && !match[4] };
		if (match[5] !== undefined) return { kind: 'word', text: match[5], at };
		return { kind: 'mark', text: match[6], at };
	}

	/** Takes `mark` if it comes next. */
	take(mark: string): boolean {
		this.skipSpace();
		if (this.text[this.at] !== mark) return false;
		this.at++;
		return true;
	}

	expect(mark: string): void {
		if (this.take(mark)) return;
		this.fail(this.at >= this.text.length ? 'Unexpected end' : `Expected "${mark}"`);
	}

	atEnd(): boolean {
		this.skipSpace();
		return this.at >= this.text.length;
	}
}

function stringOf(token: Token): string {
	return token.text.includes('\\') ? (JSON.parse(token.text) as string) : token.text.slice(1, -1);
}

function numberOf(token: Token): number | ExactInteger {
	const value = Number(token.text);
	return token.integer && !Number.isSafeInteger(value) ? new ExactInteger(token.text) : value;
}

/** Sets a key as JSON.parse does: "__proto__" becomes an own key, never the prototype. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, {
		value,
		writable: true,
		enumerable: true,
		configurable: true,
	});
}

function readObject(reader: Reader, depth: number): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	if (reader.take('}')) return object;
	for (;;) {
		const key = reader.next();
		if (key.kind !== 'string') reader.fail('Expected a property name', key.at);
		reader.expect(':');
		setKey(object, stringOf(key), readValue(reader, depth + 1));
		if (reader.take('}')) return object;
		reader.expect(',');
	}
}

function readArray(reader: Reader, depth: number): unknown[] {
	const array: unknown[] = [];
	if (reader.take(']')) return array;
	for (;;) {
		array.push(readValue(reader, depth + 1));
		if (reader.take(']')) return array;
		reader.expect(',');
	}
}

function readValue(reader: Reader, depth: number): unknown {
	if (depth > MAX_DEPTH) reader.fail('Nested too deeply');
	const token = reader.next();
	if (token.kind === 'string') return stringOf(token);
	if (token.kind === 'number') return numberOf(token);
	if (token.kind === 'word') return token.text === 'null' ? null : token.text === 'true';
	if (token.text === '{') return readObject(reader, depth);
	if (token.text === '[') return readArray(reader, depth);
	return reader.fail('Unexpected token', token.at);
}

/** Parses JSON text; integers beyond 2^53 become ExactInteger. Throws SyntaxError like JSON.parse. */
export function parseExactJson(text: string): unknown {
	const reader = new Reader(text);
	const value = readValue(reader, 0);
	if (!reader.atEnd()) reader.fail('Unexpected data after the JSON value');
	return value;
}
