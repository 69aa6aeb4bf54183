import type { IDataObject } from 'n8n-workflow';

import { parseRetryAfter } from './retry';
import type { Call } from './types';

export type ErrorKind =
	| 'auth'
	| 'balance'
	| 'permission'
	| 'unknownModel'
	| 'notFound'
	| 'deploymentOff'
	| 'unknownDeployment'
	| 'invalidInput'
	| 'rateLimited'
	| 'server'
	| 'network'
	| 'cancelled'
	| 'badUrl'
	| 'redirect'
	| 'badAnswer'
	| 'unexpected';

const KIND_BY_ERROR_CODE: Record<string, ErrorKind> = {
	'400001': 'unknownModel',
	'400002': 'balance',
	'400004': 'auth',
	'403001': 'permission',
	'404001': 'notFound',
	'422001': 'invalidInput',
	// The Serverless API's codes: not your deployment, funds, a deployment disabled or deleted.
	'401001': 'auth',
	'403003': 'permission',
	'10001': 'balance',
	'10002': 'deploymentOff',
	'10003': 'deploymentOff',
};

const KIND_BY_HTTP_STATUS: Record<number, ErrorKind> = {
	400: 'invalidInput',
	401: 'auth',
	402: 'balance',
	403: 'permission',
	404: 'notFound',
	422: 'invalidInput',
	429: 'rateLimited',
};

/** Network failures where the request never reached the server, so a submit can be retried. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export interface ErrorDetails {
	httpCode?: number;
	errorCode?: string;
	apiMessage?: string;
	detail?: unknown;
	networkCode?: string;
	retryAfterMs?: number;
}

/** A failed call to RunComfy. Carries no request headers, so it can never leak the token. */
export class RunComfyError extends Error {
	constructor(
		readonly kind: ErrorKind,
		message: string,
		readonly details: ErrorDetails = {},
	) {
		super(message);
	}

	/** Status, result and cancel may be repeated on these. */
	get isTransient(): boolean {
		return ['rateLimited', 'server', 'network', 'badAnswer'].includes(this.kind);
	}

	/** A submit may be repeated only when the server certainly did not take it. */
	get submitNotTaken(): boolean {
		return (
			this.kind === 'rateLimited' ||
			(this.kind === 'network' && NOT_SENT_CODES.has(this.details.networkCode ?? ''))
		);
	}

	/** After a submit failed this way, a job may exist although its id is unknown. */
	get submitMayHaveCreatedJob(): boolean {
		return (
			!this.submitNotTaken && ['network', 'server', 'badAnswer', 'unexpected'].includes(this.kind)
		);
	}
}

/** Anything thrown below the transport, as a RunComfyError, so callers handle one type. */
export function toRunComfyError(error: unknown): RunComfyError {
	if (error instanceof RunComfyError) return error;
	return new RunComfyError('unexpected', (error as Error)?.message || String(error));
}

export function cancelled(): RunComfyError {
	return new RunComfyError('cancelled', 'The execution was stopped');
}

export const NETWORK_PHRASES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	EPIPE: 'the connection was closed',
};

/** RunComfy's validation details (`[{loc, msg}]`) as one line. */
export function describeDetail(detail: unknown): string {
	if (!Array.isArray(detail)) return '';
	const parts = detail.map((entry) => {
		if (typeof entry !== 'object' || entry === null) return String(entry);
		const { loc, msg } = entry as { loc?: unknown; msg?: unknown };
		const where = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : '';
		return where ? `${where}: ${String(msg)}` : String(msg);
	});
	return parts.join('; ');
}

function kindOf(httpCode: number, errorCode: string | undefined, isObject: boolean): ErrorKind {
	if (errorCode && KIND_BY_ERROR_CODE[errorCode]) return KIND_BY_ERROR_CODE[errorCode];
	// A bare 404 (no RunComfy error code) means the URL is wrong, not the request id.
	if (httpCode === 404 && !errorCode) return 'badUrl';
	if (httpCode >= 300 && httpCode < 400) return 'redirect';
	// A 2xx that is not a JSON object: a proxy's page or a glitch, not an answer about the job.
	if (httpCode >= 200 && httpCode < 300 && !isObject) return 'badAnswer';
	return KIND_BY_HTTP_STATUS[httpCode] ?? (httpCode >= 500 ? 'server' : 'unexpected');
}

/** The error for an answer that is not a usable success; its texts are already redacted. */
export function errorFromAnswer(
	call: Call,
	httpCode: number,
	body: unknown,
	headers: IDataObject,
): RunComfyError {
	const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
	const answer = (isObject ? body : {}) as IDataObject;
	const errorCode = answer.error_code !== undefined ? String(answer.error_code) : undefined;
	// The message key varies between RunComfy's APIs; without an error code it is not RunComfy's.
	const keys = errorCode ? [answer.message, answer.error, answer.detail] : [];
	const keyed = [answer.error_message, ...keys].find(
		(value) => typeof value === 'string' && value !== '',
	) as string | undefined;
	const apiMessage = keyed ?? (typeof body === 'string' ? body.slice(0, 200) : undefined);
	const kind = kindOf(httpCode, errorCode, isObject);
	const reason =
		kind === 'redirect'
			? redirectReason(headers)
			: [apiMessage, describeDetail(answer.detail)].filter(Boolean).join(': ');
	return new RunComfyError(
		kind,
		`RunComfy ${call} failed (HTTP ${httpCode}${errorCode ? `, ${errorCode}` : ''})${reason ? `: ${reason}` : ''}`,
		{
			httpCode,
			errorCode,
			apiMessage: kind === 'redirect' ? reason : apiMessage,
			detail: answer.detail,
			retryAfterMs: parseRetryAfter(headers['retry-after']),
		},
	);
}

function redirectReason(headers: IDataObject): string {
	const location = typeof headers.location === 'string' ? headers.location : '';
	let host = '';
	try {
		host = location ? new URL(location, 'http://relative.invalid').host : '';
	} catch {
		host = '';
	}
	return host && host !== 'relative.invalid' ? `redirected to ${host}` : 'redirected';
}

/** The system error code (ECONNRESET, …) of a failed request, searched through its causes. */
export function networkCodeOf(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}
