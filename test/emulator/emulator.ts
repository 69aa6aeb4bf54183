/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * RunComfy Model API emulator: a real HTTP server that answers like model-api.runcomfy.net does
 * for FusionX image-to-video (see the API reference), plus scripting and fault injection so
 * tests can drive every path of the node: slow jobs, failures, unknown statuses, lost answers.
 * The same server answers RunComfy's Serverless API (deployments, `/prod/v1|v2/deployments/…`,
 * `/prod/v2/balance`): see serverless.ts, reached through `emulator.serverless`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { Agent, fetch } from 'undici';

import * as catalog from './catalog';
import { TINY_PNG, trickle, videoStream } from './files';
import { Job, type JobScript } from './job';
import { parseLossless } from './lossless';
import { SERVERLESS_ROUTES, Serverless, type ServerlessRoute } from './serverless';

export { TINY_PNG } from './files';
export { Job, type FileServing, type JobScript, type WebhookQuirks } from './job';
export { DeploymentJob } from './deploymentJob';
export type { Deployment } from './deployments';
export type { ColdStart, ServerlessSettings } from './serverless';
export type { WebhookDelivery, WebhookSettings } from './webhooks';
export * from './workflows';

export const MODEL_ID = 'community/wan-2-1/fusionx/image-to-video';
export const RESOLUTIONS = [
	'480x480 (1:1)',
	'720x720 (1:1)',
	'480x720 (2:3)',
	'720x480 (3:2)',
	'540x960 (9:16)',
	'576x1024 (9:16)',
	'720x1280 (9:16)',
	'960x540 (16:9)',
	'1024x576 (16:9)',
	'1280x720 (16:9)',
];

const MiB = 1024 * 1024;
const MAX_DATA_URI_IMAGE = 6 * MiB;
const MAX_REMOTE_IMAGE = 50 * MiB;
const MAX_BODY = 64 * MiB;
const IMAGE_FETCH_TIMEOUT_MS = 10_000;
const DEFAULT_COST = 0.12;

export type Route =
	| 'submit'
	| 'status'
	| 'result'
	| 'cancel'
	| 'file'
	| 'catalog'
	| 'balance'
	| ServerlessRoute;
export type RecordedRoute = Route | 'image' | 'other';

export interface Fault {
	route: Route | 'any';
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	action?: 'respond' | 'reset' | 'hang' | 'acceptThenReset' | 'acceptThenHang';
	times?: number;
	every?: number;
	/** Only requests this accepts (e.g. a submit with a given prompt). */
	match?: (record: RecordedRequest) => boolean;
}

export interface RandomFaults {
	seed: number;
	rate: number;
	routes: Route[];
	kinds: Array<'503' | '429' | 'reset'>;
	retryAfterSeconds?: number;
}

export interface RecordedRequest {
	route: RecordedRoute;
	method: string;
	path: string;
	query: Record<string, string>;
	/** From the path; for an accepted submit, the id of the job it created. */
	requestId?: string;
	/** Serverless calls: the deployment id from the path. */
	deploymentId?: string;
	authorization?: string;
	/** The parsed JSON body (Serverless routes: integers beyond 2^53 as exact digit strings). */
	body?: unknown;
	/** The request body exactly as received ('' without one). */
	rawBody: string;
	/** HTTP status answered, or how the request was dropped; 0 while not answered yet. */
	status: number | 'reset' | 'hang';
	/** Arrival time (ms since epoch). */
	at: number;
	/** For a served video: when its stream ended. */
	endedAt?: number;
}

/**
 * A busy service: a rate limit on the API calls (beyond it 429 with Retry-After), a fixed number of
 * jobs running at once with the rest queued in submit order (queue positions reported), and run
 * times drawn from a log-normal distribution (median × e^(sigma·Z), seeded). Off by default. A slot
 * is booked at submit for the drawn run time: a script that sets its own duration, or a cancel while
 * queued, does not give it back.
 */
export interface BusyService {
	/** API calls (Model API, balance, Serverless queue and CRUD calls; not files or object_info)
	 * per second, as a token bucket. */
	ratePerSecond: number;
	/** The bucket's size: calls that may arrive at once after a quiet spell. */
	burst: number;
	retryAfterSeconds?: number;
	/** Jobs running at once. */
	slots: number;
	runTime: { medianMs: number; sigma: number; seed: number };
}

export interface EmulatorOptions {
	token?: string;
	queueMs?: number;
	durationMs?: number;
	videoBytes?: number;
	fetchImages?: boolean;
	/** Serverless: a cold start's length (default 300 ms). */
	coldStartMs?: number;
	/** The model catalog's pages hold at most this many models, whatever `limit` asks. */
	catalogPageCap?: number;
	/** Called with every recorded request (the CLI logs them). */
	onRequest?: (record: RecordedRequest) => void;
}

interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

interface ValidationDetail {
	loc: string[];
	msg: string;
	type: string;
}

type Problem = Omit<ValidationDetail, 'loc'> | undefined;

const SUCCESS_STATUSES = ['completed', 'succeeded'];
const ACTIVE_STATUSES = ['in_queue', 'in_progress'];

export class RunComfyEmulator {
	token: string;
	queueMs: number;
	durationMs: number;
	videoBytes: number;
	fetchImages: boolean;
	onRequest?: (record: RecordedRequest) => void;

	onSubmit?: (body: Record<string, unknown>, submitIndex: number) => JobScript | undefined;
	/**
	 * The account's balance (the Serverless API's `/prod/v2/balance`, served on this host too).
	 * Unset: unlimited. Set: each accepted submit costs its model's price, and a submit the
	 * balance cannot pay is refused with 400002.
	 */
	balanceUsd?: number;
	/** The model catalog's pages hold at most this many models (unset: as many as `limit`). */
	catalogPageCap?: number;
	readonly jobs = new Map<string, Job>();
	readonly requests: RecordedRequest[] = [];
	/** RunComfy's Serverless API (deployments) on the same server: see serverless.ts. */
	readonly serverless: Serverless;

	private readonly options: EmulatorOptions;
	private server?: Server;
	private url?: string;
	private readonly sockets = new Set<Socket>();
	private readonly imageFetches = new Set<AbortController>();
	private imageAgent?: Agent;
	private scripts: JobScript[] = [];
	private faults: Array<{ fault: Fault; left: number; seen: number }> = [];
	private random?: { opts: RandomFaults; next: () => number };
	private submitCount = 0;
	private readonly holds = new Map<Route, { release: () => void; released: Promise<void> }>();
	private busy?: {
		service: BusyService;
		tokens: number;
		stamp: number;
		slotsFreeAt: number[];
		normal: () => number;
	};

	constructor(options: EmulatorOptions = {}) {
		this.token = options.token ?? 'test-token';
		this.queueMs = options.queueMs ?? 100;
		this.durationMs = options.durationMs ?? 300;
		this.videoBytes = options.videoBytes ?? 65536;
		this.fetchImages = options.fetchImages ?? true;
		this.onRequest = options.onRequest;
		this.catalogPageCap = options.catalogPageCap;
		this.serverless = new Serverless(this);
		this.serverless.coldStartMs = options.coldStartMs ?? this.serverless.coldStartMs;
		this.options = options;
	}

	// ---- lifecycle ------------------------------------------------------------------------------

	async start(port = 0): Promise<string> {
		if (this.server) return this.baseUrl;
		const server = createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => this.internalError(res, error));
		});
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return this.url;
	}

	/** Closes the server, destroying open (also hanging) sockets and aborting image fetches. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		this.releaseHolds();
		for (const controller of this.imageFetches) controller.abort();
		for (const socket of this.sockets) socket.destroy();
		await this.serverless.stop();
		await new Promise<void>((resolve) => server.close(() => resolve()));
		await this.imageAgent?.destroy();
		this.imageAgent = undefined;
		this.url = undefined;
	}

	get baseUrl(): string {
		if (!this.url) throw new Error('RunComfyEmulator is not started');
		return this.url;
	}

	/**
	 * Forgets jobs, faults, scripts, onSubmit and the request log; the server keeps running.
	 * Serverless: settings back to defaults, seeded deployments only, webhooks stopped.
	 */
	reset(): void {
		this.jobs.clear();
		this.requests.length = 0;
		this.scripts = [];
		this.faults = [];
		this.random = undefined;
		this.onSubmit = undefined;
		this.submitCount = 0;
		this.balanceUsd = undefined;
		this.busy = undefined;
		this.catalogPageCap = this.options.catalogPageCap;
		this.serverless.reset();
		this.serverless.coldStartMs = this.options.coldStartMs ?? this.serverless.coldStartMs;
		this.releaseHolds();
	}

	/** Makes the emulator behave like a busy service (see BusyService); undefined: back to normal. */
	setBusy(service: BusyService | undefined): void {
		if (!service) {
			this.busy = undefined;
			return;
		}
		const next = mulberry32(service.runTime.seed);
		// Box–Muller: a standard normal draw from two uniform ones.
		const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
		const slotsFreeAt = Array<number>(service.slots).fill(0);
		this.busy = { service, tokens: service.burst, stamp: Date.now(), slotsFreeAt, normal };
	}

	/** Busy mode: one API call takes a token; none left means 429 with Retry-After. */
	private rateLimited(): Reply | undefined {
		const busy = this.busy;
		if (!busy) return undefined;
		const now = Date.now();
		const { ratePerSecond, burst, retryAfterSeconds = 1 } = busy.service;
		busy.tokens = Math.min(burst, busy.tokens + ((now - busy.stamp) / 1000) * ratePerSecond);
		busy.stamp = now;
		if (busy.tokens >= 1) {
			busy.tokens -= 1;
			return undefined;
		}
		const reply = apiError(429, 429001, 'Too many requests');
		reply.headers = { 'Retry-After': String(retryAfterSeconds) };
		return reply;
	}

	/** Busy mode: the job's run time drawn, its start when a slot frees (first come, first served). */
	private busyTiming(now: number): { queueMs: number; durationMs: number } | undefined {
		const busy = this.busy;
		if (!busy) return undefined;
		const { medianMs, sigma } = busy.service.runTime;
		const durationMs = Math.round(medianMs * Math.exp(sigma * busy.normal()));
		let slot = 0;
		for (let i = 1; i < busy.slotsFreeAt.length; i++) {
			if (busy.slotsFreeAt[i] < busy.slotsFreeAt[slot]) slot = i;
		}
		const startsAt = Math.max(now, busy.slotsFreeAt[slot]);
		busy.slotsFreeAt[slot] = startsAt + durationMs;
		return { queueMs: startsAt - now, durationMs };
	}

	/**
	 * Holds back the answers on `route` until the returned function is called (or stop()/reset()):
	 * the requests are handled meanwhile (a submit creates its job) and recorded with status 0, so a
	 * test can act while the client still waits, e.g. stop an execution whose submits are in flight.
	 */
	holdAnswers(route: Route): () => void {
		this.holds.get(route)?.release();
		let open!: () => void;
		const released = new Promise<void>((resolve) => (open = resolve));
		const entry = {
			released,
			release: () => {
				if (this.holds.get(route) === entry) this.holds.delete(route);
				open();
			},
		};
		this.holds.set(route, entry);
		return entry.release;
	}

	private releaseHolds(): void {
		for (const hold of [...this.holds.values()]) hold.release();
	}

	// ---- scripting ------------------------------------------------------------------------------

	scriptNextJobs(...scripts: JobScript[]): void {
		this.scripts.push(...scripts);
	}

	addFault(fault: Fault): void {
		this.faults.push({ fault, left: fault.times ?? 1, seen: 0 });
	}

	setRandomFaults(opts: RandomFaults | undefined): void {
		this.random = opts ? { opts, next: mulberry32(opts.seed) } : undefined;
	}

	count(route: RecordedRoute, requestId?: string): number {
		return this.requests.filter(
			(r) => r.route === route && (requestId === undefined || r.requestId === requestId),
		).length;
	}

	/** A job's status now: a Model API job or a deployment request. */
	statusOf(id: string): string | undefined {
		return (this.jobs.get(id) ?? this.serverless.jobs.get(id))?.status;
	}

	// ---- request handling -----------------------------------------------------------------------

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://emulator');
		const method = req.method ?? 'GET';
		const { route, requestId, deploymentId } = classify(method, url.pathname);
		const record: RecordedRequest = {
			route,
			method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			requestId,
			...(deploymentId === undefined ? {} : { deploymentId }),
			authorization: req.headers.authorization,
			rawBody: '',
			status: 0,
			at: Date.now(),
		};
		this.requests.push(record); // in arrival order; `status` is filled in when answered
		const raw = ['POST', 'PATCH', 'PUT'].includes(method) ? await readBody(req) : undefined;
		if (raw && raw.length > 0) {
			const text = raw.toString('utf8');
			record.rawBody = text;
			const lossless = isServerless(route);
			record.body = (lossless ? parseLossless(text)?.value : parseJson(text)) ?? text;
		}

		const fault =
			route === 'image' || route === 'other' ? undefined : this.takeFault(route, record);
		const action = fault ? (fault.action ?? 'respond') : undefined;
		if (fault && action === 'respond') return this.send(res, record, faultReply(fault));
		if (action === 'reset' || action === 'hang') return this.drop(res, record, action);
		// Files and object_info are static content at a URL: not rate limited.
		const limitable = !['image', 'other', 'file', 'objectInfo'].includes(route);
		if (!fault && limitable) {
			const limited = this.rateLimited();
			if (limited) return this.send(res, record, limited);
		}
		if (!fault && route !== 'image' && route !== 'other') {
			const random = this.takeRandomFault(route);
			if (random === 'reset') return this.drop(res, record, 'reset');
			if (random) return this.send(res, record, random);
		}

		if (route === 'file' || route === 'image') {
			if (action) return this.drop(res, record, action === 'acceptThenHang' ? 'hang' : 'reset');
			if (route === 'file' && record.path.split('/').length === 4) {
				return this.serverless.serveFile(req, res, record, (status) => this.finish(record, status));
			}
			if (route === 'file' && !record.path.endsWith('.mp4')) {
				return this.serveCatalogFile(req, res, record);
			}
			return route === 'file'
				? this.serveVideo(req, res, record)
				: this.serveImage(req, res, record);
		}
		const reply = await this.answerApi(route, req, url, record, raw);
		await this.holds.get(route as Route)?.released;
		if (reply === 'reset') return this.drop(res, record, 'reset');
		// acceptThen*: the server did the work (e.g. created the job) but the answer is lost.
		if (action === 'acceptThenReset') return this.drop(res, record, 'reset');
		if (action === 'acceptThenHang') return this.drop(res, record, 'hang');
		this.send(res, record, reply);
	}

	private async answerApi(
		route: RecordedRoute,
		req: IncomingMessage,
		url: URL,
		record: RecordedRequest,
		raw: Buffer | undefined,
	): Promise<Reply | 'reset'> {
		// An unknown path gets a bare 404 without a RunComfy error code (the web framework's answer).
		if (route === 'other') return { status: 404, body: { detail: 'Not Found' } };
		if (isServerless(route)) return await this.serverless.answer(route, req, url, record, raw);
		if (req.headers.authorization !== `Bearer ${this.token}`) {
			return apiError(401, 400004, 'Invalid or expired API token');
		}
		if (route === 'submit') return this.submit(url.pathname, raw, record);
		if (route === 'catalog') return this.catalogAnswer(url);
		if (route === 'balance') return { status: 200, body: this.balanceBody() };
		const job = this.jobs.get(record.requestId ?? '');
		if (!job) return apiError(404, 404001, 'Request not found or expired');
		const now = Date.now();
		if (route === 'status') return { status: 200, body: this.statusBody(job, now) };
		if (route === 'result') {
			const includeCost = ['true', '1'].includes(url.searchParams.get('include_cost') ?? '');
			return { status: 200, body: this.resultBody(job, now, includeCost) };
		}
		return { status: 200, body: this.cancel(job, now) };
	}

	private async submit(
		path: string,
		raw: Buffer | undefined,
		record: RecordedRequest,
	): Promise<Reply> {
		if (path !== `/v1/models/${MODEL_ID}`) return this.submitToCatalogModel(path, raw, record);
		if (raw === undefined) return apiError(413, 422001, 'Request body larger than 64 MiB');
		const body = parseJson(raw.toString('utf8'));
		if (body === undefined) {
			return invalid([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
		}
		if (!isObject(body)) {
			const msg = 'Input should be a valid dictionary or object';
			return invalid([{ loc: ['body'], msg, type: 'model_attributes_type' }]);
		}
		const details = validateInput(body);
		// Fetch the image only when everything else is valid: no wasted fetch for a bad submit.
		if (details.length === 0) {
			const bad = await this.imageProblem(body['608_image'] as string);
			if (bad) details.push({ loc: ['body', '608_image'], ...bad });
		}
		if (details.length > 0) return invalid(details);
		if (!this.pay(catalog.catalogModel(MODEL_ID)?.base_price_usd ?? 0.12)) {
			return apiError(400, 400002, 'Insufficient balance');
		}

		const job = this.createJob(body);
		record.requestId = job.id;
		const base = this.baseUrl;
		return {
			status: 200,
			body: {
				request_id: job.id,
				status: 'in_queue',
				status_url: `${base}/v1/requests/${job.id}/status`,
				result_url: `${base}/v1/requests/${job.id}/result`,
				cancel_url: `${base}/v1/requests/${job.id}/cancel`,
			},
		};
	}

	private balanceBody(): Record<string, unknown> {
		const usd = this.balanceUsd ?? 100;
		return { balance_usd: usd, balance_microdollars: Math.round(usd * 1e6) };
	}

	/** Takes a submit's price from the balance; false when it cannot pay (400002). */
	private pay(price: number): boolean {
		if (this.balanceUsd === undefined) return true;
		if (this.balanceUsd + 1e-9 < price) return false;
		this.balanceUsd = Math.round((this.balanceUsd - price) * 1e6) / 1e6;
		return true;
	}

	/**
	 * The script of the next accepted submit, Model API or Serverless (one queue, one onSubmit
	 * count): a queued script, else onSubmit's, over the busy mode's timing.
	 */
	nextScript(body: Record<string, unknown>) {
		const index = this.submitCount++;
		// onSubmit sees every accepted submit; a queued script, if any, takes precedence.
		const fromHook = this.onSubmit?.(body, index);
		const now = Date.now();
		const script = { ...this.busyTiming(now), ...(this.scripts.shift() ?? fromHook ?? {}) };
		const defaults = {
			queueMs: this.queueMs,
			durationMs: this.durationMs,
			videoBytes: this.videoBytes,
		};
		return { script: script as JobScript, index, now, defaults };
	}

	private createJob(body: Record<string, unknown>): Job {
		const { script, index, now, defaults } = this.nextScript(body);
		const job = new Job(randomUUID(), body, script, index, now, defaults);
		this.jobs.set(job.id, job);
		return job;
	}

	private cancel(job: Job, now: number): Record<string, unknown> {
		job.cancelAttempts++;
		const status = job.statusAt(now);
		if (status !== 'in_queue') {
			return { request_id: job.id, status, outcome: 'not_cancellable' };
		}
		job.cancelled = true;
		job.cancelledAt = now;
		return { request_id: job.id, status: 'cancelled', outcome: 'cancelled' };
	}

	// ---- answer bodies --------------------------------------------------------------------------

	private statusBody(job: Job, now: number): Record<string, unknown> {
		return {
			request_id: job.id,
			status: job.statusAt(now),
			status_url: `${this.baseUrl}/v1/requests/${job.id}/status`,
			result_url: `${this.baseUrl}/v1/requests/${job.id}/result`,
			...this.positionOf(job, now),
		};
	}

	private resultBody(job: Job, now: number, includeCost: boolean): Record<string, unknown> {
		const status = job.statusAt(now);
		if (ACTIVE_STATUSES.includes(status)) {
			return { request_id: job.id, status, ...this.positionOf(job, now) };
		}
		const ok = SUCCESS_STATUSES.includes(status);
		const body: Record<string, unknown> = {
			request_id: job.id,
			status,
			output: 'output' in job.script ? job.script.output : ok ? this.outputOf(job) : null,
			created_at: new Date(job.createdAt).toISOString(),
			finished_at: new Date(job.finishedAt).toISOString(),
			error: job.script.error ?? (status === 'failed' ? 'Generation failed' : null),
			...job.script.resultExtra,
		};
		if (includeCost) {
			body.cost = job.script.cost ?? (ok ? DEFAULT_COST : 0);
			body.model_id = job.model?.model_id ?? MODEL_ID;
		}
		return body;
	}

	private outputOf(job: Job): Record<string, unknown> {
		if (job.model) return catalog.outputFor(job.model, this.baseUrl, job.id);
		if (job.videoCount === 1) return { video: `${this.baseUrl}/files/${job.id}.mp4` };
		const videos = Array.from(
			{ length: job.videoCount },
			(_, i) => `${this.baseUrl}/files/${job.id}-${i}.mp4`,
		);
		return { video: videos[0], videos };
	}

	/** `queue_position`: how many still-queued jobs were submitted before this one (0 = next). */
	private positionOf(job: Job, now: number): { queue_position?: number } {
		if (job.statusAt(now) !== 'in_queue' || job.script.noPosition) return {};
		let ahead = 0;
		for (const other of this.jobs.values()) {
			if (other === job) break;
			if (other.statusAt(now) === 'in_queue') ahead++;
		}
		return { queue_position: ahead };
	}

	// ---- the model catalog ----------------------------------------------------------------------

	private catalogAnswer(url: URL): Reply {
		const rest = url.pathname.slice('/v1/models'.length).replace(/^\//, '');
		if (rest === '') {
			const query = Object.fromEntries(url.searchParams);
			return { status: 200, body: catalog.listModels(query, this.catalogPageCap) };
		}
		if (rest === 'categories') return { status: 200, body: { categories: catalog.categories() } };
		const model = catalog.catalogModel(decodeModelPath(rest));
		if (!model) return apiError(400, 400001, 'Unknown model id');
		return { status: 200, body: catalog.modelDetails(model) };
	}

	/** A submit to a catalog model other than FusionX: checked against the model's schema. */
	private submitToCatalogModel(
		path: string,
		raw: Buffer | undefined,
		record: RecordedRequest,
	): Reply {
		const model = catalog.catalogModel(decodeModelPath(path.slice('/v1/models/'.length)));
		if (!model) return apiError(400, 400001, 'Unknown model id');
		if (raw === undefined) return apiError(413, 422001, 'Request body larger than 64 MiB');
		const body = parseJson(raw.toString('utf8'));
		if (!isObject(body)) {
			return invalid([
				{
					loc: ['body'],
					msg: 'Input should be a valid dictionary or object',
					type: 'model_attributes_type',
				},
			]);
		}
		const details = catalog.validateAgainstSchema(model, body);
		for (const [key, value] of Object.entries(body)) {
			if (typeof value !== 'string' || !value.startsWith('data:')) continue;
			const msg = catalog.dataUriProblem(value);
			if (msg) details.push({ loc: ['body', key], msg, type: 'value_error' });
		}
		if (details.length > 0) return invalid(details);
		if (!this.pay(model.base_price_usd)) return apiError(400, 400002, 'Insufficient balance');
		const job = this.createJob(body);
		job.model = model;
		record.requestId = job.id;
		const base = this.baseUrl;
		return {
			status: 200,
			body: {
				request_id: job.id,
				status_url: `${base}/v1/requests/${job.id}/status`,
				result_url: `${base}/v1/requests/${job.id}/result`,
				cancel_url: `${base}/v1/requests/${job.id}/cancel`,
			},
		};
	}

	/** `/files/{id}.png`, `/files/{id}-{n}.png`, `/files/{id}.mp3`: a catalog job's files. */
	private serveCatalogFile(
		req: IncomingMessage,
		res: ServerResponse,
		record: RecordedRequest,
	): void {
		const match = /^\/files\/(.+)\.(png|mp3)$/.exec(record.path);
		const stem = match?.[1] ?? '';
		const job = this.jobs.get(stem) ?? this.jobs.get(stem.replace(/-\d+$/, ''));
		if (!match || !job?.model) {
			return this.sendRaw(req, res, record, 404, 'text/plain', Buffer.from('Not found'));
		}
		record.requestId = job.id;
		const type = catalog.FILE_TYPES[match[2]];
		this.sendRaw(req, res, record, 200, type, match[2] === 'png' ? TINY_PNG : catalog.TINY_MP3);
	}

	// ---- images: validation of 608_image and the test image host --------------------------------

	private async imageProblem(image: string): Promise<Problem> {
		let url: URL;
		try {
			url = new URL(image);
		} catch {
			return badImage('608_image must be an http(s) URL or a data:image URI');
		}
		if (url.protocol === 'data:') return dataUriProblem(image);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			return badImage('608_image must be an http(s) URL or a data:image URI');
		}
		return this.fetchImages ? this.fetchImageProblem(image) : undefined;
	}

	/** GETs the image like RunComfy's workers would; only the headers matter, the body is dropped. */
	private async fetchImageProblem(image: string): Promise<Problem> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), IMAGE_FETCH_TIMEOUT_MS);
		this.imageFetches.add(controller);
		this.imageAgent ??= new Agent();
		try {
			const res = await fetch(image, { signal: controller.signal, dispatcher: this.imageAgent });
			await res.body?.cancel().catch(() => undefined);
			const type = res.headers.get('content-type') ?? '';
			if (!res.ok) return badImage(`Could not fetch 608_image: HTTP ${res.status}`);
			if (!/^image\//i.test(type)) {
				return badImage(`608_image is not an image (content type '${type}')`);
			}
			if (Number(res.headers.get('content-length') ?? 0) > MAX_REMOTE_IMAGE) {
				return badImage('608_image is larger than 50 MB');
			}
			return undefined;
		} catch (error) {
			const reason = controller.signal.aborted ? 'timed out' : errorText(error);
			return badImage(`Could not fetch 608_image: ${reason}`);
		} finally {
			clearTimeout(timer);
			this.imageFetches.delete(controller);
		}
	}

	private serveImage(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): void {
		const name = record.path.slice('/images/'.length);
		if (name === 'not-an-image.png') {
			return this.sendRaw(req, res, record, 200, 'text/html', Buffer.from('<html>hi</html>'));
		}
		if (name === 'missing.png' || !name.endsWith('.png')) {
			return this.sendRaw(req, res, record, 404, 'text/plain', Buffer.from('Not found'));
		}
		this.sendRaw(req, res, record, 200, 'image/png', TINY_PNG);
	}

	// ---- video files: streamed, generated on the fly --------------------------------------------

	private serveVideo(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): void {
		const job = this.videoJob(record);
		if (!job) return this.sendRaw(req, res, record, 404, 'text/plain', Buffer.from('Not found'));
		const served = job.script.video ?? {};
		if (served.body !== undefined) {
			const type = served.contentType ?? 'text/html';
			return this.sendRaw(req, res, record, 200, type, Buffer.from(served.body));
		}
		const size = job.videoBytes;
		res.writeHead(200, {
			'Content-Type': served.contentType ?? 'video/mp4',
			'Content-Length': String(size),
		});
		this.finish(record, 200);
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		if (served.trickle) return trickle(res);
		if (served.stallAfterBytes !== undefined) {
			// Some bytes, then nothing: the socket stays open until the client aborts or stop().
			res.write(Buffer.alloc(Math.min(served.stallAfterBytes, size)));
			return;
		}
		if (served.cutAfterBytes !== undefined && job.cuts++ < (served.cutTimes ?? Infinity)) {
			// Headers and the first bytes arrive, then the connection closes short of Content-Length.
			res.write(Buffer.alloc(Math.min(served.cutAfterBytes, size)), () => res.socket?.end());
			return;
		}
		// When the last byte left (or the client gave up): shows whether downloads overlapped.
		pipeline(videoStream(size), res, () => (record.endedAt = Date.now()));
	}

	/** Resolves `/files/{id}.mp4` or `/files/{id}-{n}.mp4`; sets the record's requestId. */
	private videoJob(record: RecordedRequest): Job | undefined {
		const stem = record.path.slice('/files/'.length).replace(/\.mp4$/, '');
		let job = this.jobs.get(stem);
		if (!job) {
			const match = /^(.+)-(\d+)$/.exec(stem);
			const candidate = match ? this.jobs.get(match[1]) : undefined;
			if (candidate && Number(match?.[2]) < candidate.videoCount) job = candidate;
		}
		if (job) record.requestId = job.id;
		return job;
	}

	// ---- faults ---------------------------------------------------------------------------------

	/** The first registered fault that matches, in order of addition; uses one of its `times`. */
	private takeFault(route: Route, record: RecordedRequest): Fault | undefined {
		let hit: Fault | undefined;
		for (const entry of this.faults) {
			if (entry.fault.route !== 'any' && entry.fault.route !== route) continue;
			if (entry.fault.match && !entry.fault.match(record)) continue;
			// `every` faults count every matching request, even those another fault answered.
			entry.seen++;
			if (hit) continue;
			if (entry.fault.every !== undefined) {
				if (entry.seen % entry.fault.every === 0) hit = entry.fault;
			} else if (entry.left > 0) {
				entry.left--;
				hit = entry.fault;
			}
		}
		this.faults = this.faults.filter((e) => e.fault.every !== undefined || e.left > 0);
		return hit;
	}

	private takeRandomFault(route: Route): Reply | 'reset' | undefined {
		if (!this.random || !this.random.opts.routes.includes(route)) return undefined;
		const { opts, next } = this.random;
		if (next() >= opts.rate || opts.kinds.length === 0) return undefined;
		const kind = opts.kinds[Math.floor(next() * opts.kinds.length)];
		if (kind === 'reset') return 'reset';
		if (kind === '503') return apiError(503, 503001, 'Service temporarily unavailable');
		const reply = apiError(429, 429001, 'Too many requests');
		if (opts.retryAfterSeconds !== undefined) {
			reply.headers = { 'Retry-After': String(opts.retryAfterSeconds) };
		}
		return reply;
	}

	// ---- low-level answers ----------------------------------------------------------------------

	private send(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
		const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
		res.statusCode = reply.status;
		res.setHeader('Content-Type', 'application/json');
		res.setHeader('Content-Length', Buffer.byteLength(text));
		for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
		res.end(text);
		this.finish(record, reply.status);
	}

	private sendRaw(
		req: IncomingMessage,
		res: ServerResponse,
		record: RecordedRequest,
		status: number,
		type: string,
		data: Buffer,
	): void {
		res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(data.length) });
		res.end(req.method === 'HEAD' ? undefined : data);
		this.finish(record, status);
	}

	/** `reset` sends a TCP RST; `hang` leaves the socket open until the client gives up or stop(). */
	private drop(res: ServerResponse, record: RecordedRequest, how: 'reset' | 'hang'): void {
		this.finish(record, how);
		if (how === 'reset') res.socket?.resetAndDestroy();
	}

	private finish(record: RecordedRequest, status: RecordedRequest['status']): void {
		record.status = status;
		this.onRequest?.(record);
	}

	private internalError(res: ServerResponse, error: unknown): void {
		console.error('RunComfyEmulator: internal error', error);
		if (res.headersSent) {
			res.destroy();
			return;
		}
		const text = JSON.stringify({ error_code: 500001, error_message: 'Internal error' });
		res.writeHead(500, { 'Content-Type': 'application/json' }).end(text);
	}
}

// ---- helpers (pure) ---------------------------------------------------------------------------

interface Classified {
	route: RecordedRoute;
	requestId?: string;
	deploymentId?: string;
}

function isServerless(route: RecordedRoute): route is ServerlessRoute {
	return SERVERLESS_ROUTES.includes(route);
}

const SERVERLESS_QUEUE =
	/^\/prod\/v[12]\/deployments\/([^/]+)\/(?:inference|requests\/([^/]+)\/(status|result|cancel))$/;

/** The Serverless API's paths: queue calls (v1 and v2), deployments CRUD (v2), object_info. */
function classifyServerless(method: string, path: string): Classified | undefined {
	const decode = (s: string | undefined) => (s === undefined ? undefined : decodeModelPath(s));
	const queue = SERVERLESS_QUEUE.exec(path);
	if (queue) {
		const [, deployment, request, call] = queue;
		const deploymentId = decode(deployment);
		if (!call) return method === 'POST' ? { route: 'deploymentSubmit', deploymentId } : undefined;
		const expected = call === 'cancel' ? 'POST' : 'GET';
		if (method !== expected) return undefined;
		const route = `deployment${call[0].toUpperCase()}${call.slice(1)}` as ServerlessRoute;
		return { route, deploymentId, requestId: decode(request) };
	}
	if (path === '/prod/v2/deployments' && ['GET', 'POST'].includes(method)) {
		return { route: 'deployments' };
	}
	const one = /^\/prod\/v2\/deployments\/([^/]+)$/.exec(path);
	if (one && ['GET', 'PATCH', 'DELETE'].includes(method)) {
		return { route: 'deployments', deploymentId: decode(one[1]) };
	}
	const info = /^\/object_info\/([^/]+)\.json$/.exec(path);
	if (info && method === 'GET') return { route: 'objectInfo', deploymentId: decode(info[1]) };
	return undefined;
}

function classify(method: string, path: string): Classified {
	const serverless = classifyServerless(method, path);
	if (serverless) return serverless;
	if (method === 'GET' && /^\/v1\/models(\/|$)/.test(path)) return { route: 'catalog' };
	if (method === 'GET' && path === '/prod/v2/balance') return { route: 'balance' };
	if (method === 'POST' && path.startsWith('/v1/models/')) return { route: 'submit' };
	const api = /^\/v1\/requests\/([^/]+)\/(status|result|cancel)$/.exec(path);
	if (api) {
		const route = api[2] as 'status' | 'result' | 'cancel';
		const expected = route === 'cancel' ? 'POST' : 'GET';
		if (method === expected) return { route, requestId: decodeURIComponent(api[1]) };
	}
	const readable = method === 'GET' || method === 'HEAD';
	if (readable && /^\/files\/[^/]+\.(mp4|png|mp3)$/.test(path)) return { route: 'file' };
	if (readable && /^\/files\/[^/]+\/[^/]+$/.test(path)) return { route: 'file' };
	if (readable && /^\/images\/[^/]+$/.test(path)) return { route: 'image' };
	return { route: 'other' };
}

/** `owner/model%20x/task` → the model id, each segment decoded. */
function decodeModelPath(path: string): string {
	try {
		return path.split('/').map(decodeURIComponent).join('/');
	} catch {
		return path;
	}
}

/** Reads the whole request body; `undefined` when it exceeds the 64 MiB request limit. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY) chunks.push(chunk);
		});
		req.on('end', () => resolve(size <= MAX_BODY ? Buffer.concat(chunks) : undefined));
		req.on('error', reject);
	});
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function apiError(status: number, code: number, message: string): Reply {
	return { status, body: { error_code: code, error_message: message } };
}

function invalid(detail: ValidationDetail[]): Reply {
	return { status: 422, body: { error_code: 422001, error_message: 'Invalid input', detail } };
}

function faultReply(fault: Fault): Reply {
	return {
		status: fault.status ?? 500,
		body: fault.body ?? { error_code: 500001, error_message: 'Internal error' },
		headers: fault.headers,
	};
}

function errorText(error: unknown): string {
	const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
	return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

// ---- input validation: the reference's schema, pydantic-style details -------------------------

const problem = (msg: string, type: string): Problem => ({ msg, type });

const isString = (v: unknown): Problem =>
	typeof v === 'string' ? undefined : problem('Input should be a valid string', 'string_type');

function isInteger(v: unknown): Problem {
	if (typeof v !== 'number') return problem('Input should be a valid integer', 'int_type');
	if (Number.isInteger(v)) return undefined;
	return problem(
		'Input should be a valid integer, got a number with a fractional part',
		'int_from_float',
	);
}

const isNumber = (v: unknown): Problem =>
	typeof v === 'number' && Number.isFinite(v)
		? undefined
		: problem('Input should be a valid number', 'float_type');

function inRange(min: number, max: number): (v: unknown) => Problem {
	return (v) => {
		const n = v as number;
		if (n < min)
			return problem(`Input should be greater than or equal to ${min}`, 'greater_than_equal');
		if (n > max) return problem(`Input should be less than or equal to ${max}`, 'less_than_equal');
		return undefined;
	};
}

function oneOf(allowed: unknown[]): (v: unknown) => Problem {
	return (v) => {
		if (allowed.includes(v)) return undefined;
		const list = allowed.map((a) => (typeof a === 'string' ? `'${a}'` : String(a)));
		const msg = `Input should be ${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
		return problem(msg, 'literal_error');
	};
}

const nonEmpty = (v: unknown): Problem =>
	v === '' ? problem('String should have at least 1 character', 'string_too_short') : undefined;

/** Per key: checks run in order, the first problem wins. */
const FIELDS: Record<string, Array<(v: unknown) => Problem>> = {
	'600_prompt': [isString, nonEmpty],
	'608_image': [isString],
	'602_widthx602_height': [isString, oneOf(RESOLUTIONS)],
	'602_num_frames': [isInteger, oneOf([81, 141])],
	'609_frame_rate': [isInteger, inRange(12, 24)],
	'598_seed': [isInteger],
	'598_steps': [isInteger, inRange(6, 20)],
	'598_cfg': [isNumber, inRange(0.6, 2)],
	'598_shift': [isNumber, inRange(1, 15)],
};
const REQUIRED = ['600_prompt', '608_image'];

/** One detail per bad key; unknown keys are ignored, `null` counts as a wrong type. */
function validateInput(body: Record<string, unknown>): ValidationDetail[] {
	const details: ValidationDetail[] = [];
	for (const [key, checks] of Object.entries(FIELDS)) {
		if (!(key in body)) {
			if (REQUIRED.includes(key)) {
				details.push({ loc: ['body', key], msg: 'Field required', type: 'missing' });
			}
			continue;
		}
		for (const check of checks) {
			const bad = check(body[key]);
			if (bad) {
				details.push({ loc: ['body', key], ...bad });
				break;
			}
		}
	}
	return details;
}

const badImage = (msg: string): Problem => problem(msg, 'value_error');

/** Accepts `data:image/...;base64,...` up to 6 MiB decoded, as RunComfy's other endpoints do. */
function dataUriProblem(uri: string): Problem {
	const comma = uri.indexOf(',');
	if (comma < 0) return badImage('608_image is a malformed data URI');
	const meta = uri.slice('data:'.length, comma).toLowerCase().split(';');
	if (!meta[0].startsWith('image/')) return badImage('608_image data URI is not an image');
	if (!meta.includes('base64')) return badImage('608_image data URI must be base64-encoded');
	const payload = uri.slice(comma + 1);
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) {
		return badImage('608_image data URI is not valid base64');
	}
	const size = Buffer.byteLength(payload, 'base64');
	if (size === 0) return badImage('608_image data URI is empty');
	if (size > MAX_DATA_URI_IMAGE) return badImage('608_image data URI is larger than 6 MiB');
	return undefined;
}

/** Small seeded PRNG (mulberry32): same seed, same sequence. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
