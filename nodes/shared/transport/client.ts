import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { sleep } from '../sleep';

import { DEFAULT_ACCOUNT_URL, DEFAULT_BASE_URL, parseBaseUrl } from './baseUrl';
import { budgetOf } from './budget';
import { detachedContext } from './detached';
import { cancelled, NETWORK_PHRASES, networkCodeOf, RunComfyError } from './errors';
import { backoffDelay, RETRY } from './retry';
import { printableUrl, Secrets } from './secrets';
import type { Raw } from './answer';
import { readAnswer } from './answer';
import { jsonText } from '../workflow/jsonText';
import type { Call, JobAnswer, Reply } from './types';
import { REQUEST_TIMEOUT_MS } from './types';

export const CREDENTIAL_TYPE = 'runComfyApi';
export { DEFAULT_BASE_URL };

/** One path segment of a RunComfy URL, encoded; `.` and `..` would climb the path, so refused. */
export function pathSegment(value: string): string {
	if (value === '' || value === '.' || value === '..') {
		throw new RunComfyError('unexpected', `"${value}" is not a valid id`);
	}
	return encodeURIComponent(value);
}

/** A "not found" from a deployment's own path is about the deployment, not a request id. */
function aboutDeployment(error: RunComfyError): RunComfyError {
	return error.kind === 'notFound'
		? new RunComfyError('unknownDeployment', error.message, error.details)
		: error;
}

/** What a job runs on: a model of the catalog (Model API) or a Serverless deployment. */
export type JobTarget = { model: string } | { deployment: string };

/** A model id keeps its slashes; each segment is encoded. */
export function modelPath(modelId: string): string {
	return modelId.split('/').map(pathSegment).join('/');
}

/**
 * The one place that talks HTTP to RunComfy's API and builds its URLs: authentication through
 * n8n, no redirects (the token must not travel elsewhere), retries, and secrets kept out of
 * everything it returns or throws.
 */
export class RunComfyClient {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly baseUrl: string,
		readonly secrets: Secrets,
		/**
		 * The Account API URL as the credential gives it: the Serverless API and the balance live
		 * there. Checked only when it is used.
		 */
		private readonly accountUrl: string,
	) {}

	/** The deployment each Serverless job belongs to; a job not in here is a Model API job. */
	private readonly deploymentOf = new Map<string, string>();

	/** From now on `requestId` is followed as a job of `deploymentId` (empty: a Model API job). */
	follow(requestId: string, deploymentId?: string): void {
		if (deploymentId) this.deploymentOf.set(requestId, deploymentId);
		else this.deploymentOf.delete(requestId);
	}

	/** The deployment a followed job belongs to, if it is a Serverless job. */
	deploymentFor(requestId: string): string | undefined {
		return this.deploymentOf.get(requestId);
	}

	/** Where a job's calls go: its host and path without the call. */
	private jobLocation(requestId: string): { base: string; path: string } {
		const deployment = this.deploymentOf.get(requestId);
		if (!deployment) return { base: this.baseUrl, path: `/v1/requests/${pathSegment(requestId)}` };
		return {
			base: this.serverlessUrl(),
			path: `/prod/v1/deployments/${pathSegment(deployment)}/requests/${pathSegment(requestId)}`,
		};
	}

	/** The Serverless API's base: the Account API URL, checked before its first use. */
	private serverlessUrl(): string {
		parseBaseUrl(this.ctx, this.accountUrl, 'accountApiUrl');
		return this.accountUrl;
	}

	/** From a node's run, or from a load-options method (catalog calls only: no Stop signal there). */
	static async create(ctx: IExecuteFunctions | ILoadOptionsFunctions): Promise<RunComfyClient> {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const raw = String(credentials.baseUrl || DEFAULT_BASE_URL).trim();
		parseBaseUrl(ctx, raw);
		const token = String(credentials.apiToken ?? '');
		const secrets = new Secrets([token, token.trim()]);
		const account = String(credentials.accountApiUrl || DEFAULT_ACCOUNT_URL).trim();
		const base = raw.replace(/\/+$/, '');
		return new RunComfyClient(ctx as IExecuteFunctions, base, secrets, account.replace(/\/+$/, ''));
	}

	/** The Base URL as it may be shown (never with a query or user:password). */
	get printableBaseUrl(): string {
		return printableUrl(this.baseUrl);
	}

	/** Where a job can be followed, for output: never with credentials in it. */
	jobUrl(requestId: string, call: 'status' | 'result' | 'cancel'): string {
		const { base, path } = this.jobLocation(requestId);
		return `${printableUrl(base)}${path}/${call}`;
	}

	/** The request path a submit to `target` goes to (Dry Run shows it). */
	submitPath(target: JobTarget): string {
		return 'model' in target
			? `/v1/models/${modelPath(target.model)}`
			: `/prod/v1/deployments/${pathSegment(target.deployment)}/inference`;
	}

	/**
	 * A paid job: retried only on 429 or when the connection was refused before anything was
	 * sent. Sent without the execution's Stop signal: once on the wire, its answer is awaited so
	 * the job it creates is known and can be cancelled.
	 */
	async submit(target: JobTarget, input: IDataObject, qs?: IDataObject): Promise<JobAnswer> {
		const path = this.submitPath(target);
		const base = 'model' in target ? this.baseUrl : this.serverlessUrl();
		// Integers beyond 2^53 (ComfyUI seeds) go out exactly as typed: the body is sent as text.
		const body = 'model' in target ? input : jsonText(input);
		const answer = await this.withRetries(
			'submit',
			(error) => error.submitNotTaken,
			async () =>
				(await this.send('submit', 'POST', path, { body, qs, base, detached: true })).answer,
		).catch((error: unknown) => {
			throw 'deployment' in target ? aboutDeployment(this.toError(error)) : error;
		});
		if ('deployment' in target && answer.request_id) {
			this.follow(String(answer.request_id), target.deployment);
		}
		return answer;
	}

	async status(requestId: string): Promise<JobAnswer> {
		return (await this.lookUp('status', 'GET', requestId, true)).answer;
	}

	/** The job's status while it runs and the finished job (with its cost) once it ends. */
	async result(requestId: string, retry = true): Promise<Reply> {
		return await this.lookUp('result', 'GET', requestId, retry, { include_cost: 'true' });
	}

	async cancel(requestId: string): Promise<JobAnswer> {
		return (await this.lookUp('cancel', 'POST', requestId, true)).answer;
	}

	/** Cancel after the execution was stopped: one attempt, without the (aborted) Stop signal. */
	async cancelDetached(requestId: string): Promise<JobAnswer> {
		const { base, path } = this.jobLocation(requestId);
		return (await this.send('cancel', 'POST', `${path}/cancel`, { base, detached: true })).answer;
	}

	/** A status look after the execution was stopped (following a job asked to cancel). */
	async statusDetached(requestId: string): Promise<JobAnswer> {
		const { base, path } = this.jobLocation(requestId);
		return (await this.send('status', 'GET', `${path}/status`, { base, detached: true })).answer;
	}

	/** A page of the model catalog: the raw answer (an array, or an object holding one). */
	async listModels(query: IDataObject): Promise<unknown> {
		return await this.catalog('/v1/models', query);
	}

	/** One model of the catalog: schema, price and unit, categories, page URL. */
	async getModel(modelId: string): Promise<IDataObject> {
		return (await this.catalog(`/v1/models/${modelPath(modelId)}`)) as IDataObject;
	}

	/** The account's balance in USD, from the Account API URL (one wallet for every product). */
	async balance(): Promise<number | undefined> {
		parseBaseUrl(this.ctx, this.accountUrl, 'accountApiUrl');
		const once = async () =>
			await this.send('balance', 'GET', '/prod/v2/balance', { base: this.accountUrl });
		const { answer } = await this.withRetries('balance', (error) => error.isTransient, once);
		const usd = Number(answer.balance_usd ?? Number(answer.balance_microdollars) / 1e6);
		return Number.isFinite(usd) ? usd : undefined;
	}

	/**
	 * A call on the Serverless API's deployments. Reads are retried on transient failures;
	 * create, update and delete only when the server certainly did not take them.
	 */
	async deployments(
		method: IHttpRequestMethods,
		path: string,
		request: { qs?: IDataObject; body?: IDataObject } = {},
	): Promise<unknown> {
		const base = this.serverlessUrl();
		const once = async () =>
			await this.send('deployments', method, `/prod/v2/deployments${path}`, {
				...request,
				base,
				list: true,
			});
		const retryable = (error: RunComfyError) =>
			method === 'GET' ? error.isTransient : error.submitNotTaken;
		return await this.withRetries('deployments', retryable, once).then(
			(reply) => reply.answer,
			(error: unknown) => {
				throw aboutDeployment(this.toError(error));
			},
		);
	}

	/**
	 * A deployment's object_info as text (its integers may pass 2^53). With the token only on the
	 * Account API URL's host; anywhere else without it, so the token never leaves RunComfy.
	 */
	async objectInfoText(url: string): Promise<string> {
		const base = this.serverlessUrl();
		const own = new URL(url).origin === new URL(base).origin;
		const options: IHttpRequestOptions = {
			method: 'GET',
			url,
			encoding: 'text',
			json: false,
			disableFollowRedirect: true,
			timeout: REQUEST_TIMEOUT_MS.objectInfo,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		let raw: Raw;
		try {
			raw = (
				own
					? await this.ctx.helpers.httpRequestWithAuthentication.call(
							this.ctx,
							CREDENTIAL_TYPE,
							options,
						)
					: await this.ctx.helpers.httpRequest(options)
			) as Raw;
		} catch (error) {
			throw this.networkError(`the object_info host ${printableUrl(url)}`, error);
		}
		if (raw.statusCode < 200 || raw.statusCode >= 300) {
			throw new RunComfyError('badAnswer', `object_info answered HTTP ${raw.statusCode}`);
		}
		return typeof raw.body === 'string' ? raw.body : JSON.stringify(raw.body);
	}

	private async catalog(path: string, qs?: IDataObject): Promise<unknown> {
		const once = async () => await this.send('catalog', 'GET', path, { qs, list: true });
		return (await this.withRetries('catalog', (error) => error.isTransient, once)).answer;
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

	get stopped(): boolean {
		return this.ctx.getExecutionCancelSignal?.()?.aborted === true;
	}

	/** Repeats `attempt` while `retryable` says so, waiting as the server asks or backing off. */
	async withRetries<T>(
		what: Call | 'download',
		retryable: (error: RunComfyError) => boolean,
		attempt: () => Promise<T>,
	): Promise<T> {
		for (let failures = 1; ; failures++) {
			const outcome = await attempt().then(
				(value) => ({ value, error: undefined }),
				(error: unknown) => ({ value: undefined, error: this.toError(error) }),
			);
			if (!outcome.error) return outcome.value as T;
			if (!retryable(outcome.error) || failures >= RETRY.attempts) throw outcome.error;
			const delay = backoffDelay(failures, outcome.error.details.retryAfterMs);
			this.ctx.logger.debug(`RunComfy ${what}: ${outcome.error.message}; retrying in ${delay} ms`);
			await this.pause(delay);
		}
	}

	/** Any error as a RunComfyError whose texts hold no secret. */
	toError(error: unknown): RunComfyError {
		if (error instanceof RunComfyError) {
			const message = this.secrets.redact(error.message);
			if (message === error.message) return error;
			return new RunComfyError(error.kind, message, error.details);
		}
		const text = (error as Error)?.message || String(error) || 'unknown error';
		return new RunComfyError('unexpected', this.secrets.redact(text));
	}

	/** A request failed before any answer: plain words, no secret, no raw code in the text. */
	networkError(where: string, error: unknown, detached = false): RunComfyError {
		if (!detached && this.stopped) return cancelled();
		const networkCode = networkCodeOf(error);
		// Plain words: n8n rewrites any message that contains a raw code such as ECONNREFUSED.
		const text =
			NETWORK_PHRASES[networkCode ?? ''] ??
			((error as Error)?.message || 'unknown error').replace(/\bE[A-Z]{4,}\b/g, '').trim();
		return new RunComfyError('network', this.secrets.redact(`Could not reach ${where}: ${text}`), {
			networkCode,
		});
	}

	private async lookUp(
		call: Exclude<Call, 'submit'>,
		method: IHttpRequestMethods,
		requestId: string,
		retry: boolean,
		qs?: IDataObject,
	): Promise<Reply> {
		const { base, path } = this.jobLocation(requestId);
		const once = async () => await this.send(call, method, `${path}/${call}`, { qs, base });
		if (!retry) return await once();
		return await this.withRetries(call, (error) => error.isTransient, once);
	}

	private async send(
		call: Call,
		method: IHttpRequestMethods,
		path: string,
		request: {
			body?: IDataObject | string;
			qs?: IDataObject;
			detached?: boolean;
			list?: boolean;
			base?: string;
		},
	): Promise<Reply> {
		const base = request.base ?? this.baseUrl;
		const options: IHttpRequestOptions = {
			method,
			url: `${base}${path}`,
			qs: request.qs,
			body: request.body,
			// A body already written as JSON text is sent as it is.
			headers: typeof request.body === 'string' ? { 'Content-Type': 'application/json' } : {},
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: REQUEST_TIMEOUT_MS[call],
		};
		const ctx = request.detached ? detachedContext(this.ctx) : this.ctx;
		// Every request takes its turn in the run's budget for this host, and tells it the answer;
		// a cancel or look sent after a Stop never waits.
		const budget = budgetOf(this.ctx, options.url);
		const turn = budget.book();
		let wait = call !== 'submit' && request.detached ? 0 : budget.msUntilTurn(turn);
		for (; wait > 0; wait = budget.msUntilTurn(turn)) {
			await this.pause(wait).catch((error: unknown) => {
				budget.giveBack(turn);
				throw error;
			});
		}
		budget.sending(turn);
		let raw: Raw;
		try {
			raw = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				options,
			)) as Raw;
		} catch (error) {
			throw this.networkError(`RunComfy at ${printableUrl(base)}`, error, request.detached);
		}
		budget.answered(turn, raw.statusCode, raw.headers?.['retry-after']);
		return readAnswer(call, raw, this.secrets, request.list);
	}
}
