/**
 * The Serverless part's types and settings (see serverless.ts), and small pure helpers.
 */
import type { JobDefaults, JobScript } from './job';
import type { Detail } from './validate';

export type ServerlessRoute =
	| 'deploymentSubmit'
	| 'deploymentStatus'
	| 'deploymentResult'
	| 'deploymentCancel'
	| 'deployments'
	| 'objectInfo';
export const SERVERLESS_ROUTES: readonly string[] = [
	'deploymentSubmit',
	'deploymentStatus',
	'deploymentResult',
	'deploymentCancel',
	'deployments',
	'objectInfo',
];

export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/** What the Serverless part needs of the emulator. */
export interface ServerlessHost {
	token: string;
	readonly baseUrl: string;
	balanceUsd?: number;
	/** The script for the next accepted submit (shared with Model API jobs). */
	nextScript(body: Record<string, unknown>): {
		script: JobScript;
		index: number;
		now: number;
		defaults: JobDefaults;
	};
}

export interface ServerlessSettings {
	/** A cold start's length for a deployment without its own `coldStartMs`. */
	coldStartMs: number;
	/** A successful deployment job's status unless its script sets `outcome`. */
	successStatus: string;
	/** Errors answered with HTTP 200 (the error_code still in the body). */
	errorsAsHttp200: boolean;
	/** The key of an error's message. With 'detail', a 422's field list takes its place. */
	messageKey: 'error_message' | 'message' | 'error' | 'detail';
	/** The deployments list as `{deployments: [...]}` instead of a bare array. */
	listWrapped: boolean;
	/** object_info: 'open' (with or without the token), 'token' (required), 'missing' (404),
	 * 'reset' (the connection is reset). */
	objectInfoAccess: 'open' | 'token' | 'missing' | 'reset';
	/** Every submit refused with 10001 (also when the emulator's balanceUsd is 0 or less). */
	insufficientFunds: boolean;
}

export const defaultServerlessSettings = (): ServerlessSettings => ({
	coldStartMs: 300,
	successStatus: 'succeeded',
	errorsAsHttp200: false,
	messageKey: 'error_message',
	listWrapped: false,
	objectInfoAccess: 'open',
	insufficientFunds: false,
});

export interface ColdStart {
	deploymentId: string;
	requestId: string;
	at: number;
	ms: number;
}

export function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** `webhook` / `webhook_intermediate_status` from the query, else from the (legacy) body. */
export function webhookOf(
	url: URL,
	body: Record<string, unknown>,
): { webhook?: { url: string; intermediate: boolean }; details: Detail[] } {
	const target = url.searchParams.get('webhook') ?? body.webhook;
	const flag =
		url.searchParams.get('webhook_intermediate_status') ?? body.webhook_intermediate_status;
	if (target === undefined || target === null) return { details: [] };
	const loc = [url.searchParams.has('webhook') ? 'query' : 'body', 'webhook'];
	const bad = [{ loc, msg: 'webhook must be an http(s) URL', type: 'url_type' }];
	if (typeof target !== 'string') return { details: bad };
	try {
		const parsed = new URL(target);
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { details: bad };
	} catch {
		return { details: bad };
	}
	return { webhook: { url: target, intermediate: flag === true || flag === 'true' }, details: [] };
}
