/**
 * A workflow input's field id: `<node id>.<input name>` ("6.text", "38:42.image"). The node id has
 * every "." escaped, so the first "." always separates the two; "%", quotes, backslashes and
 * control characters are escaped in both parts (n8n addresses a field as `value["<id>"]`).
 */

const SEPARATOR = '.';

function escape(text: string, alsoDot: boolean): string {
	let escaped = '';
	for (const char of text) {
		const code = char.charCodeAt(0);
		const special =
			char === '%' ||
			char === '"' ||
			char === '\\' ||
			code < 0x20 ||
			code === 0x7f ||
			(alsoDot && char === SEPARATOR);
		escaped += special ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : char;
	}
	return escaped;
}

const unescape = (text: string) =>
	text.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export function fieldIdOf(nodeId: string, inputName: string): string {
	return `${escape(nodeId, true)}${SEPARATOR}${escape(inputName, false)}`;
}

/** The node id and input name of a field id; undefined for anything `fieldIdOf` can't have made. */
export function parseFieldId(id: string): { nodeId: string; inputName: string } | undefined {
	const at = id.indexOf(SEPARATOR);
	if (at <= 0 || at === id.length - 1) return undefined;
	const nodeId = unescape(id.slice(0, at));
	const inputName = unescape(id.slice(at + 1));
	return fieldIdOf(nodeId, inputName) === id ? { nodeId, inputName } : undefined;
}
