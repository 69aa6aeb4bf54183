import { isRecord } from './graph';

/**
 * A failed request's `error` as one readable message. RunComfy's docs give an object
 * `{type, message}`, a third-party SDK a list `[{errorCode, error, debugInfo}]`, and a plain
 * string is possible; ComfyUI's execution errors add the node (`node_id`, `node_type`).
 */

const MAX_LENGTH = 500;
const MESSAGE_KEYS = [
	'message',
	'error_message',
	'exception_message',
	'error',
	'detail',
	'details',
	'msg',
];
const CODE_KEYS = ['type', 'errorCode', 'error_code', 'code', 'exception_type'];

const text = (value: unknown) =>
	typeof value === 'string' && value.trim()
		? value.trim()
		: typeof value === 'number'
			? String(value)
			: undefined;

function messageOf(error: Record<string, unknown>, depth: number): string | undefined {
	for (const key of MESSAGE_KEYS) {
		const value = error[key];
		const found =
			text(value) ?? (typeof value === 'object' ? readError(value, depth + 1) : undefined);
		if (found) return found;
	}
	// Only when nothing else says what happened: a debug text is often a whole traceback.
	return text(error.debugInfo)?.split('\n')[0];
}

function objectText(error: Record<string, unknown>, depth: number): string | undefined {
	const message = messageOf(error, depth);
	const code = CODE_KEYS.map((key) => text(error[key])).find(Boolean);
	const nodeId = text(error.node_id);
	const node = nodeId
		? ` (node ${nodeId}${text(error.node_type) ? `, ${text(error.node_type)}` : ''})`
		: '';
	if (message && code && !message.includes(code)) return `${code}: ${message}${node}`;
	if (message ?? code) return `${message ?? code}${node}`;
	return undefined;
}

function readError(error: unknown, depth: number): string | undefined {
	if (depth > 4) return undefined;
	if (typeof error === 'string') return text(error);
	if (Array.isArray(error)) {
		const parts = error.map((entry) => readError(entry, depth + 1)).filter(Boolean);
		return parts.length > 0 ? [...new Set(parts)].join('; ') : undefined;
	}
	return isRecord(error) ? objectText(error, depth) : undefined;
}

/** The message, at most 500 characters; undefined when `error` says nothing. */
export function deploymentErrorText(error: unknown): string | undefined {
	const message = readError(error, 0);
	if (message === undefined) return undefined;
	return message.length > MAX_LENGTH ? `${message.slice(0, MAX_LENGTH - 1)}…` : message;
}
