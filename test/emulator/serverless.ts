/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * RunComfy's Serverless API (deployments) on the emulator's server: the queue calls under
 * /prod/v1/ and /prod/v2/, the deployments CRUD, object_info, output files, cold starts, errors
 * with their switches, and webhooks. `RunComfyEmulator.serverless` is the instance tests use.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ACTIVE, DeploymentJob, SUCCESS } from './deploymentJob';
import { crudAnswer } from './deploymentRoutes';
import { DeploymentStore, type Deployment } from './deployments';
import { contentFor, serveContent } from './files';
import { parseLossless } from './lossless';
import { objectInfoText } from './objectInfo';
import { checkComfySubmit, checkLoraSubmit, isObject, type Detail } from './validate';
import {
	defaultServerlessSettings,
	safeDecode,
	webhookOf,
	type ColdStart,
	type Reply,
	type ServerlessHost,
	type ServerlessRoute,
	type ServerlessSettings,
} from './serverlessTypes';
import { Webhooks, type WebhookDelivery, type WebhookEvent } from './webhooks';

export * from './serverlessTypes';

const iso = (ms: number) => new Date(ms).toISOString();

export class Serverless implements ServerlessSettings {
	coldStartMs = 300;
	successStatus = 'succeeded';
	errorsAsHttp200 = false;
	messageKey: ServerlessSettings['messageKey'] = 'error_message';
	listWrapped = false;
	objectInfoAccess: ServerlessSettings['objectInfoAccess'] = 'open';
	insufficientFunds = false;

	readonly store = new DeploymentStore();
	readonly jobs = new Map<string, DeploymentJob>();
	/** Every cold start, in order: which deployment, which request waited, how long. */
	readonly coldStarts: ColdStart[] = [];
	readonly webhooks: Webhooks;
	private internalErrors: Array<{ route?: ServerlessRoute; left: number }> = [];

	constructor(private readonly host: ServerlessHost) {
		this.webhooks = new Webhooks((job, event, now) => this.webhookBody(job, event, now));
	}

	/** Every webhook delivery (also dropped and forged ones), in the order they were sent. */
	get deliveries(): WebhookDelivery[] {
		return this.webhooks.deliveries;
	}

	/** A deployment by id (seeded or created), mutable: e.g. `.coldStartMs = 500`. */
	deployment(id: string): Deployment | undefined {
		return this.store.all.get(id);
	}

	/** The next `times` calls (to `route`, or any Serverless route) answer 500001. */
	scriptInternalError(times = 1, route?: ServerlessRoute): void {
		this.internalErrors.push({ route, left: times });
	}

	/** Settings back to defaults, seeded deployments only, no jobs, no deliveries. */
	reset(): void {
		Object.assign(this, defaultServerlessSettings());
		this.store.seed();
		this.jobs.clear();
		this.coldStarts.length = 0;
		this.internalErrors = [];
		this.webhooks.reset();
	}

	async stop(): Promise<void> {
		await this.webhooks.stop();
	}

	/** POSTs a callback RunComfy never sent: a `succeeded` body (with the job's would-be outputs)
	 * for `requestId`, whatever its state; `extra` is merged into the body. */
	async forgeCallback(
		url: string,
		requestId: string,
		extra: Record<string, unknown> = {},
	): Promise<WebhookDelivery> {
		const job = this.jobs.get(requestId);
		const now = Date.now();
		const body = {
			request_id: requestId,
			deployment_id: job?.deploymentId ?? '',
			status: 'succeeded',
			outcome: 'succeeded',
			created_at: iso(job?.createdAt ?? now),
			finished_at: iso(now),
			timestamp: iso(now),
			...(job ? job.successFields(this.host.baseUrl) : { outputs: {} }),
			...extra,
		};
		return await this.webhooks.forge(url, requestId, body.deployment_id, body);
	}

	// ---- answers --------------------------------------------------------------------------------

	/** An error as RunComfy shapes it, after the switches (HTTP 200, message key). */
	fail(status: number, code: number, message: string, detail?: Detail[]): Reply {
		const body: Record<string, unknown> = { error_code: code };
		if (this.messageKey === 'detail' && detail) body.detail = detail;
		else {
			body[this.messageKey] = message;
			if (detail) body.detail = detail;
		}
		return { status: this.errorsAsHttp200 ? 200 : status, body };
	}

	async answer(
		route: ServerlessRoute,
		req: IncomingMessage,
		url: URL,
		record: { deploymentId?: string; requestId?: string },
		raw: Buffer | undefined,
	): Promise<Reply | 'reset'> {
		if (route === 'objectInfo') return this.objectInfo(record.deploymentId, req);
		if (req.headers.authorization !== `Bearer ${this.host.token}`) {
			return this.fail(401, 401001, 'Unauthorized: invalid or missing API token');
		}
		if (this.takeInternalError(route)) return this.fail(500, 500001, 'Internal server error');
		if (route === 'deployments')
			return crudAnswer(this.crudContext(), req.method ?? 'GET', url, record.deploymentId, raw);
		const submit = route === 'deploymentSubmit';
		const found = this.reachable(record.deploymentId ?? '', submit);
		if (!('id' in found)) return found;
		if (submit) return this.submit(found, url, record, raw);
		const job = this.jobs.get(record.requestId ?? '');
		if (!job || job.deploymentId !== found.id) return this.fail(404, 404001, 'Request not found');
		const now = Date.now();
		if (route === 'deploymentStatus') return { status: 200, body: this.statusBody(job, now) };
		if (route === 'deploymentResult') return { status: 200, body: this.resultBody(job, now) };
		return { status: 200, body: this.cancel(job, now) };
	}

	private takeInternalError(route: ServerlessRoute): boolean {
		const entry = this.internalErrors.find((e) => e.left > 0 && (!e.route || e.route === route));
		if (!entry) return false;
		entry.left--;
		this.internalErrors = this.internalErrors.filter((e) => e.left > 0);
		return true;
	}

	/** The deployment if this account may call it; else the error answer. */
	private reachable(id: string, submit: boolean): Deployment | Reply {
		const deployment = this.store.all.get(id);
		if (!deployment) return this.fail(404, 404001, 'Deployment not found');
		if (deployment.deletedAt && submit) return this.fail(400, 10003, 'Deployment has been deleted');
		if (deployment.owner !== 'self') {
			return this.fail(403, 403003, 'You do not have access to this deployment');
		}
		if (submit && !deployment.is_enabled) return this.fail(400, 10002, 'Deployment is disabled');
		return deployment;
	}

	private crudContext() {
		return {
			store: this.store,
			fail: this.fail.bind(this),
			listWrapped: this.listWrapped,
			statusOf: (d: Deployment) => this.deploymentStatus(d, Date.now()),
			objectInfoUrl: (d: Deployment) => this.objectInfoUrl(d.id),
			abortJobs: (d: Deployment, reason: string) => this.abortJobs(d, reason),
		};
	}

	objectInfoUrl(deploymentId: string): string {
		return `${this.host.baseUrl}/object_info/${deploymentId}.json`;
	}

	private objectInfo(id: string | undefined, req: IncomingMessage): Reply | 'reset' {
		if (this.objectInfoAccess === 'reset') return 'reset';
		const notFound = { status: 404, body: { detail: 'Not Found' } };
		if (this.objectInfoAccess === 'missing') return notFound;
		if (
			this.objectInfoAccess === 'token' &&
			req.headers.authorization !== `Bearer ${this.host.token}`
		) {
			return this.fail(401, 401001, 'Unauthorized: invalid or missing API token');
		}
		const deployment = this.store.all.get(id ?? '');
		if (!deployment?.workflow || deployment.deletedAt) return notFound;
		return { status: 200, body: objectInfoText(deployment.workflow) };
	}

	// ---- submit ---------------------------------------------------------------------------------

	private submit(
		deployment: Deployment,
		url: URL,
		record: { requestId?: string },
		raw: Buffer | undefined,
	): Reply {
		if (raw === undefined) return this.fail(413, 422001, 'Request body larger than 64 MiB');
		const text = raw.toString('utf8');
		const parsed = parseLossless(text);
		if (!parsed || !isObject(parsed.value)) {
			const msg = 'Input should be a valid JSON object';
			return this.fail(422, 422001, 'Validation error', [
				{ loc: ['body'], msg, type: 'model_attributes_type' },
			]);
		}
		const body = parsed.value;
		const hook = webhookOf(url, body);
		const rest = { ...body };
		delete rest.webhook;
		delete rest.webhook_intermediate_status;
		const checked =
			deployment.kind === 'lora'
				? { details: checkLoraSubmit(rest, parsed.bigIntegers), workflow: undefined }
				: checkComfySubmit(rest, deployment.workflow ?? {}, parsed.bigIntegers);
		const details = [...hook.details, ...checked.details];
		if (details.length > 0) return this.fail(422, 422001, 'Validation error', details);
		const balance = this.host.balanceUsd;
		if (this.insufficientFunds || (balance !== undefined && balance <= 0)) {
			return this.fail(400, 10001, 'Insufficient funds');
		}
		const job = this.createJob(deployment, body, {
			workflow: checked.workflow,
			rawBody: text,
			bigIntegers: parsed.bigIntegers,
			webhook: hook.webhook,
		});
		record.requestId = job.id;
		const { base, status_url, result_url } = this.urls(job);
		const answer = { request_id: job.id, status_url, result_url, cancel_url: `${base}/cancel` };
		return { status: 200, body: answer };
	}

	private createJob(
		deployment: Deployment,
		body: Record<string, unknown>,
		init: Pick<DeploymentJob, 'workflow' | 'rawBody' | 'bigIntegers' | 'webhook'>,
	): DeploymentJob {
		const { script, index, now, defaults } = this.host.nextScript(body);
		const { ms: coldStartMs, boots } = this.coldStartFor(deployment, now);
		const job = new DeploymentJob(
			randomUUID(),
			body,
			script,
			index,
			now,
			{ ...defaults, outcome: this.successStatus },
			{ deploymentId: deployment.id, kind: deployment.kind, coldStartMs, ...init },
		);
		this.jobs.set(job.id, job);
		if (boots) {
			this.coldStarts.push({
				deploymentId: deployment.id,
				requestId: job.id,
				at: now,
				ms: coldStartMs,
			});
		}
		this.webhooks.track(job);
		return job;
	}

	// ---- instances: cold starts, keep-warm ------------------------------------------------------

	/** Whether an instance is up (or booting) for the deployment at `now`. */
	private warmAt(deployment: Deployment, now: number): boolean {
		if (deployment.min_instances > 0) return true;
		const keep = deployment.keep_warm_duration_in_seconds * 1000;
		for (const job of this.jobs.values()) {
			if (job.deploymentId !== deployment.id) continue;
			if (ACTIVE.includes(job.statusAt(now)) || now < job.finishedAt + keep) return true;
		}
		return false;
	}

	/** The extra queue time of a job submitted now: a whole cold start (`boots`: this job starts
	 * an instance), the rest of one already booting, or 0. */
	private coldStartFor(deployment: Deployment, now: number): { ms: number; boots: boolean } {
		if (deployment.min_instances > 0) return { ms: 0, boots: false };
		if (this.warmAt(deployment, now)) {
			return { ms: Math.max(0, (deployment.bootReadyAt ?? 0) - now), boots: false };
		}
		const ms = deployment.coldStartMs ?? this.coldStartMs;
		deployment.bootReadyAt = now + ms;
		return { ms, boots: ms > 0 };
	}

	private deploymentStatus(deployment: Deployment, now: number): string {
		if (deployment.deletedAt) return 'deleted';
		return deployment.is_enabled && this.warmAt(deployment, now) ? 'running' : 'standby';
	}

	/** Disabling or deleting a deployment fails its requests, queued and running. */
	private abortJobs(deployment: Deployment, reason: string): void {
		const now = Date.now();
		for (const job of this.jobs.values()) {
			if (job.deploymentId !== deployment.id || !ACTIVE.includes(job.statusAt(now))) continue;
			job.abortedAt = now;
			job.abortReason = reason;
		}
		this.webhooks.pump();
	}

	// ---- status, result, cancel -----------------------------------------------------------------

	private urls(job: DeploymentJob) {
		const base = `${this.host.baseUrl}/prod/v1/deployments/${job.deploymentId}/requests/${job.id}`;
		return { base, status_url: `${base}/status`, result_url: `${base}/result` };
	}

	private statusBody(job: DeploymentJob, now: number): Record<string, unknown> {
		const { status_url, result_url } = this.urls(job);
		return {
			request_id: job.id,
			status: job.statusAt(now),
			...this.positionOf(job, now),
			...(job.startedBy(now) ? { instance_id: job.instanceId } : {}),
			status_url,
			result_url,
		};
	}

	private resultBody(job: DeploymentJob, now: number): Record<string, unknown> {
		const status = job.statusAt(now);
		if (ACTIVE.includes(status))
			return { request_id: job.id, status, ...this.positionOf(job, now) };
		return job.finishedBody(this.host.baseUrl, now);
	}

	private cancel(job: DeploymentJob, now: number): Record<string, unknown> {
		job.cancelAttempts++;
		const status = job.statusAt(now);
		if (!ACTIVE.includes(status)) return { request_id: job.id, status: 'not_cancellable' };
		if (status === 'in_queue') {
			job.cancelled = true;
			job.cancelledAt = now;
		} else job.cancelRequestedAt ??= now;
		this.webhooks.pump();
		return { request_id: job.id, status: 'cancellation_requested' };
	}

	/** How many of the deployment's queued jobs were submitted before this one (0 = next). */
	private positionOf(job: DeploymentJob, now: number): { queue_position?: number } {
		if (job.statusAt(now) !== 'in_queue' || job.script.noPosition) return {};
		let ahead = 0;
		for (const other of this.jobs.values()) {
			if (other === job) break;
			if (other.deploymentId === job.deploymentId && other.statusAt(now) === 'in_queue') ahead++;
		}
		return { queue_position: ahead };
	}

	private webhookBody(
		job: DeploymentJob,
		event: WebhookEvent,
		now: number,
	): Record<string, unknown> {
		const head = { request_id: job.id, deployment_id: job.deploymentId };
		const times = { created_at: iso(job.createdAt), timestamp: iso(now) };
		if (event === 'in_queue') return { ...head, status: 'in_queue', ...times };
		if (event === 'in_progress') {
			return { ...head, status: 'in_progress', instance_id: job.instanceId, ...times };
		}
		const result = job.finishedBody(this.host.baseUrl, now);
		return { ...result, ...head, outcome: result.status, timestamp: iso(now) };
	}

	// ---- output files ---------------------------------------------------------------------------

	/** `/files/{request_id}/{name}`: a succeeded job's file, per extension (png, mp4, zip, txt…). */
	serveFile(
		req: IncomingMessage,
		res: ServerResponse,
		record: { path: string; requestId?: string; endedAt?: number },
		answered: (status: number) => void,
	): void {
		const match = /^\/files\/([^/]+)\/([^/]+)$/.exec(record.path);
		const job = this.jobs.get(match?.[1] ?? '');
		if (job) record.requestId = job.id;
		const name = safeDecode(match?.[2] ?? '');
		const content =
			job && SUCCESS.includes(job.status) ? contentFor(name, job.videoBytes) : undefined;
		if (!job || !content) {
			res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': '9' });
			res.end(req.method === 'HEAD' ? undefined : 'Not found');
			return answered(404);
		}
		const script = job.script.video ?? {};
		const served = script.only && !name.endsWith(script.only) ? {} : script;
		serveContent(req, res, content, served, {
			answered,
			ended: () => (record.endedAt = Date.now()),
			cut: () => job.cuts++ < (served.cutTimes ?? Infinity),
		});
	}
}
