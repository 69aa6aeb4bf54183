import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { detachedContext } from './detached';

/**
 * The one place that talks HTTP to RunComfy: authentication, retries, Retry-After and the mapping
 * of RunComfy's answers to errors that say what to do.
 */

export const CREDENTIAL_TYPE = 'runComfyApi';
export const DEFAULT_BASE_URL = 'https://model-api.runcomfy.net';
export const MODEL_ID = 'community/wan-2-1/fusionx/image-to-video';

export type Call = 'submit' | 'status' | 'result' | 'cancel';

/** What RunComfy answers on the four calls; every field is optional because some are guesses. */
export interface JobAnswer extends IDataObject {
	request_id?: string;
	status?: string;
	queue_position?: number;
	status_url?: string;
	result_url?: string;
	cancel_url?: string;
	outcome?: string;
	output?: IDataObject | null;
	error?: IDataObject | string | null;
	created_at?: string;
	finished_at?: string;
	cost?: number;
}

export type ErrorKind =
	| 'auth'
	| 'balance'
	| 'permission'
	| 'unknownModel'
	| 'notFound'
	| 'invalidInput'
	| 'rateLimited'
	| 'server'
	| 'network'
	| 'cancelled'
	| 'badUrl'
	| 'unexpected';

const KIND_BY_ERROR_CODE: Record<string, ErrorKind> = {
	'400001': 'unknownModel',
	'400002': 'balance',
	'400004': 'auth',
	'403001': 'permission',
	'404001': 'notFound',
	'422001': 'invalidInput',
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

/** A failed call to RunComfy. Carries no request headers, so it can never leak the token. */
export class RunComfyError extends Error {
	constructor(
		readonly kind: ErrorKind,
		message: string,
		readonly details: {
			httpCode?: number;
			errorCode?: string;
			apiMessage?: string;
			detail?: unknown;
			networkCode?: string;
			retryAfterMs?: number;
		} = {},
	) {
		super(message);
	}

	/** Status, result and cancel may be repeated on these. */
	get isTransient(): boolean {
		return this.kind === 'rateLimited' || this.kind === 'server' || this.kind === 'network';
	}

	/** A submit may be repeated only when the server certainly did not take it. */
	get submitNotTaken(): boolean {
		return (
			this.kind === 'rateLimited' ||
			(this.kind === 'network' && NOT_SENT_CODES.has(this.details.networkCode ?? ''))
		);
	}
}

/** Anything thrown below the transport, as a RunComfyError, so callers handle one type. */
export function toRunComfyError(error: unknown): RunComfyError {
	if (error instanceof RunComfyError) return error;
	return new RunComfyError('unexpected', (error as Error)?.message ?? String(error));
}

function cancelled(): RunComfyError {
	return new RunComfyError('cancelled', 'The execution was stopped');
}

const NETWORK_PHRASES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	EPIPE: 'the connection was closed',
};

const RETRY = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };
const REQUEST_TIMEOUT_MS = { submit: 120_000, status: 30_000, result: 30_000, cancel: 30_000 };

/** Retry-After on a successful answer: when the server wants to be asked again. */
const retryAfterByAnswer = new WeakMap<JobAnswer, number>();

export function retryAfterOf(answer: JobAnswer): number | undefined {
	return retryAfterByAnswer.get(answer);
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Number(text) * 1000, RETRY.maxRetryAfterMs);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.min(Math.max(date - now, 0), RETRY.maxRetryAfterMs);
}

/** The server's Retry-After when it gave one (it knows best), else exponential backoff. */
export function backoffDelay(
	failures: number,
	retryAfterMs?: number,
	baseMs: number = RETRY.baseDelayMs,
	factor = 2,
): number {
	if (retryAfterMs !== undefined) return retryAfterMs;
	return Math.min(baseMs * factor ** Math.max(failures - 1, 0), RETRY.maxDelayMs);
}

function describeDetail(detail: unknown): string {
	if (!Array.isArray(detail)) return '';
	const parts = detail.map((entry) => {
		if (typeof entry !== 'object' || entry === null) return String(entry);
		const { loc, msg } = entry as { loc?: unknown; msg?: unknown };
		const where = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : '';
		return where ? `${where}: ${String(msg)}` : String(msg);
	});
	return parts.join('; ');
}

function errorFromAnswer(call: Call, httpCode: number, body: unknown, headers: IDataObject) {
	const answer = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const errorCode = answer.error_code !== undefined ? String(answer.error_code) : undefined;
	const apiMessage =
		typeof answer.error_message === 'string'
			? answer.error_message
			: typeof body === 'string'
				? body.slice(0, 200)
				: undefined;
	const kind =
		(errorCode && KIND_BY_ERROR_CODE[errorCode]) ||
		// A bare 404 (no RunComfy error code) means the URL is wrong, not the request id.
		(httpCode === 404 && !errorCode ? 'badUrl' : undefined) ||
		KIND_BY_HTTP_STATUS[httpCode] ||
		(httpCode >= 500 ? 'server' : 'unexpected');
	const retryAfterMs = parseRetryAfter(headers['retry-after']);
	const reason = [apiMessage, describeDetail(answer.detail)].filter(Boolean).join(': ');
	return new RunComfyError(
		kind,
		`RunComfy ${call} failed (HTTP ${httpCode}${errorCode ? `, ${errorCode}` : ''})${reason ? `: ${reason}` : ''}`,
		{
			httpCode,
			errorCode,
			apiMessage,
			detail: answer.detail,
			retryAfterMs,
		},
	);
}

function networkCodeOf(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}

export class RunComfyClient {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		readonly baseUrl: string,
	) {}

	static async create(ctx: IExecuteFunctions): Promise<RunComfyClient> {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
		return new RunComfyClient(ctx, baseUrl);
	}

	/** A paid job: retried only on 429 or when the connection was refused before anything was sent. */
	async submit(input: IDataObject): Promise<JobAnswer> {
		return await this.withRetries(
			'submit',
			(error) => error.submitNotTaken,
			() => this.send('submit', 'POST', `/v1/models/${MODEL_ID}`, input),
		);
	}

	async status(requestId: string, retry = true): Promise<JobAnswer> {
		return await this.idempotent(
			'status',
			'GET',
			`/v1/requests/${encodeURIComponent(requestId)}/status`,
			retry,
		);
	}

	/** Answers the job's status while it runs and the finished job (with its cost) once it ends. */
	async result(requestId: string, retry = true): Promise<JobAnswer> {
		return await this.idempotent(
			'result',
			'GET',
			`/v1/requests/${encodeURIComponent(requestId)}/result`,
			retry,
			{ include_cost: 'true' },
		);
	}

	async cancel(requestId: string): Promise<JobAnswer> {
		return await this.idempotent(
			'cancel',
			'POST',
			`/v1/requests/${encodeURIComponent(requestId)}/cancel`,
			true,
		);
	}

	/**
	 * Cancel after the execution was stopped. n8n ties every authenticated request to the
	 * execution's cancel signal, which is already aborted by then, so this one request runs on a
	 * context without that signal. One attempt, best effort.
	 */
	async cancelDetached(requestId: string): Promise<JobAnswer> {
		const detached = detachedContext(this.ctx);
		return await this.send(
			'cancel',
			'POST',
			`/v1/requests/${encodeURIComponent(requestId)}/cancel`,
			undefined,
			undefined,
			detached,
		);
	}

	/** Opens the video as a stream; the file host is not RunComfy's API, so no token goes there. */
	async openVideo(url: string): Promise<{ stream: unknown; mimeType?: string }> {
		return await this.withRetries(
			'result',
			(error) => error.isTransient,
			async () => {
				let response: { body: unknown; headers: IDataObject; statusCode: number };
				try {
					response = (await this.ctx.helpers.httpRequest({
						url,
						method: 'GET',
						encoding: 'stream',
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
						timeout: 60_000,
						// Plain httpRequest is not tied to the execution, so Stop must reach it explicitly.
						abortSignal: this.ctx.getExecutionCancelSignal?.(),
					})) as typeof response;
				} catch (error) {
					throw this.networkError('download', error);
				}
				if (response.statusCode < 200 || response.statusCode >= 300) {
					(response.body as { destroy?: () => void })?.destroy?.();
					const kind: ErrorKind =
						response.statusCode >= 500 || response.statusCode === 429 ? 'server' : 'unexpected';
					throw new RunComfyError(
						kind,
						`Downloading the video failed (HTTP ${response.statusCode})`,
						{
							httpCode: response.statusCode,
						},
					);
				}
				const type = response.headers['content-type'];
				return {
					stream: response.body,
					mimeType: typeof type === 'string' ? type.split(';')[0] : undefined,
				};
			},
		);
	}

	private async idempotent(
		call: Call,
		method: IHttpRequestMethods,
		path: string,
		retry: boolean,
		qs?: IDataObject,
	): Promise<JobAnswer> {
		const once = async () => await this.send(call, method, path, undefined, qs);
		if (!retry) return await once();
		return await this.withRetries(call, (error) => error.isTransient, once);
	}

	private async withRetries<T>(
		call: Call,
		retryable: (error: RunComfyError) => boolean,
		attempt: () => Promise<T>,
	): Promise<T> {
		for (let failures = 1; ; failures++) {
			const outcome = await attempt().then(
				(value) => ({ value, error: undefined }),
				(error: unknown) => ({ value: undefined, error: toRunComfyError(error) }),
			);
			if (!outcome.error) return outcome.value as T;
			if (!retryable(outcome.error) || failures >= RETRY.attempts) throw outcome.error;
			const delay = backoffDelay(failures, outcome.error.details.retryAfterMs);
			this.ctx.logger.debug(`RunComfy ${call}: ${outcome.error.message}; retrying in ${delay} ms`);
			await this.pause(delay);
		}
	}

	/** Sleeps, but wakes at once when the execution is stopped. */
	async pause(ms: number): Promise<void> {
		const signal = this.ctx.getExecutionCancelSignal?.();
		if (signal?.aborted) throw cancelled();
		const woken = await sleep(ms, signal).then(
			() => false,
			() => true,
		);
		if (woken) throw cancelled();
	}

	private networkError(call: Call | 'download', error: unknown): Error {
		if (this.ctx.getExecutionCancelSignal?.()?.aborted) return cancelled();
		const networkCode = networkCodeOf(error);
		// Plain words: n8n rewrites any message that contains a raw code such as ECONNREFUSED.
		const text =
			NETWORK_PHRASES[networkCode ?? ''] ??
			((error as Error)?.message ?? 'unknown error').replace(/\bE[A-Z]{4,}\b/g, '').trim();
		const where = call === 'download' ? 'the video host' : `RunComfy at ${this.baseUrl}`;
		return new RunComfyError('network', `Could not reach ${where}: ${text}`, { networkCode });
	}

	private async send(
		call: Call,
		method: IHttpRequestMethods,
		path: string,
		body?: IDataObject,
		qs?: IDataObject,
		ctx: IExecuteFunctions = this.ctx,
	): Promise<JobAnswer> {
		const options: IHttpRequestOptions = {
			method,
			url: `${this.baseUrl}${path}`,
			qs,
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS[call],
		};
		let response: { body: unknown; headers: IDataObject; statusCode: number };
		try {
			response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				options,
			)) as typeof response;
		} catch (error) {
			throw this.networkError(call, error);
		}
		const { statusCode, headers } = response;
		let answer = response.body;
		if (typeof answer === 'string') {
			try {
				answer = JSON.parse(answer);
			} catch {
				// not JSON: reported below as an unexpected answer
			}
		}
		const isObject = typeof answer === 'object' && answer !== null && !Array.isArray(answer);
		// RunComfy sometimes answers an error with HTTP 200, so every body is checked.
		if (
			statusCode < 200 ||
			statusCode >= 300 ||
			!isObject ||
			(answer as IDataObject).error_code !== undefined
		) {
			throw errorFromAnswer(call, statusCode, answer, headers ?? {});
		}
		const retryAfterMs = parseRetryAfter(headers?.['retry-after']);
		if (retryAfterMs !== undefined) retryAfterByAnswer.set(answer as JobAnswer, retryAfterMs);
		return answer as JobAnswer;
	}
}

const GUIDANCE: Record<ErrorKind, { message: string; description: string }> = {
	auth: {
		message: 'RunComfy rejected the API token',
		description:
			'The token in the RunComfy API credential is wrong or expired. Create a new one in your RunComfy dashboard and update the credential.',
	},
	balance: {
		message: 'Your RunComfy balance is too low to run this job',
		description: 'Top up your RunComfy account, then run the workflow again.',
	},
	permission: {
		message: 'RunComfy denied permission for this request',
		description:
			'The token is valid but may not use this model or request. Check your RunComfy plan and the token.',
	},
	unknownModel: {
		message: 'RunComfy does not know the FusionX model id',
		description:
			'Check the Base URL in the RunComfy API credential; it should be https://model-api.runcomfy.net.',
	},
	notFound: {
		message: 'RunComfy does not know this request id',
		description:
			'The Request ID is wrong or has expired. Check the value passed to the Request ID field.',
	},
	invalidInput: {
		message: 'RunComfy rejected the input',
		description: 'Change the fields named in the message and run again. No job was created.',
	},
	rateLimited: {
		message: 'RunComfy is rate limiting requests',
		description:
			'The node waited and retried as RunComfy asked, but the limit persisted. Lower "Max Concurrent Submits" in the options or run later.',
	},
	server: {
		message: 'RunComfy answered with a server error',
		description: 'A temporary problem at RunComfy. The node retried with backoff; run again later.',
	},
	network: {
		message: 'Could not reach RunComfy',
		description: 'Check the network and the Base URL in the RunComfy API credential.',
	},
	badUrl: {
		message: 'RunComfy answered 404 Not Found for this URL',
		description:
			'Check the Base URL in the RunComfy API credential: it should be https://model-api.runcomfy.net, without a path.',
	},
	cancelled: {
		message: 'The execution was stopped',
		description: 'Jobs still queued at RunComfy were cancelled.',
	},
	unexpected: {
		message: 'RunComfy gave an unexpected answer',
		description: 'The answer did not match the documented API.',
	},
};

/**
 * Turns a failed call into the error the user sees, with what to do. `requestId` is added so a
 * job that was already paid for is never lost.
 */
export function toNodeApiError(
	node: INode,
	error: RunComfyError,
	context: { itemIndex?: number; requestId?: string; extra?: string } = {},
): NodeApiError {
	const guidance = GUIDANCE[error.kind];
	const { httpCode, errorCode, apiMessage, detail, networkCode } = error.details;
	const reason = [apiMessage, describeDetail(detail)].filter(Boolean).join(': ');
	const message =
		error.kind === 'network' || error.kind === 'unexpected'
			? error.message
			: reason && error.kind !== 'auth'
				? `${guidance.message}: ${reason}`
				: guidance.message;
	const description = [
		guidance.description,
		networkCode ? `(${networkCode})` : undefined,
		context.extra,
		context.requestId ? `Request ID: ${context.requestId}` : undefined,
	]
		.filter(Boolean)
		.join(' ');
	const response: JsonObject = { kind: error.kind };
	if (errorCode) response.error_code = errorCode;
	if (apiMessage) response.error_message = apiMessage;
	if (context.requestId) response.request_id = context.requestId;
	const apiError = new NodeApiError(node, response, {
		message,
		description,
		httpCode: httpCode ? String(httpCode) : undefined,
		itemIndex: context.itemIndex,
	});
	if (context.requestId) apiError.context.requestId = context.requestId;
	return apiError;
}
