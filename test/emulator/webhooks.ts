/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * RunComfy's Serverless webhooks: when a job with `webhook=<url>` ends (and, with intermediate
 * status, when it is queued and starts), POST JSON to the URL. A delivery that gets no 2xx within
 * the timeout is retried with backoff. Jobs derive their status from the clock, so a small
 * scheduler wakes up when the next one is due. Every delivery is recorded.
 */
import { Agent, fetch } from 'undici';

import { ACTIVE, type DeploymentJob } from './deploymentJob';

export type WebhookEvent = 'in_queue' | 'in_progress' | 'final' | 'forged';

export interface WebhookDelivery {
	url: string;
	requestId: string;
	deploymentId: string;
	/** What it reports; 'in_progress' after 'final' is the out-of-order quirk. */
	event: WebhookEvent;
	body: Record<string, unknown>;
	/** 1 for the first try, 2… for retries; 0 for a delivery dropped on purpose. */
	attempt: number;
	/** HTTP status the receiver answered, or what happened instead. 'pending' while in flight. */
	status: number | 'pending' | 'timeout' | 'error' | 'dropped';
	/** When it was sent (ms since epoch). */
	at: number;
	answeredAt?: number;
	forged?: boolean;
	error?: string;
}

export interface WebhookSettings {
	/** No 2xx within this: a failed try (RunComfy: 10 s). */
	timeoutMs: number;
	/** The first retry after this; each further one waits twice as long. */
	retryBaseMs: number;
	/** Tries in all, the first included. */
	maxAttempts: number;
}

export const defaultWebhookSettings = (): WebhookSettings => ({
	timeoutMs: 10_000,
	retryBaseMs: 200,
	maxAttempts: 5,
});

interface Tracked {
	job: DeploymentJob;
	sent: Set<WebhookEvent>;
	chain: Promise<void>;
}

type BodyOf = (job: DeploymentJob, event: WebhookEvent, now: number) => Record<string, unknown>;

export class Webhooks {
	readonly deliveries: WebhookDelivery[] = [];
	settings = defaultWebhookSettings();
	private readonly tracked = new Map<string, Tracked>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly controllers = new Set<AbortController>();
	private wake?: NodeJS.Timeout;
	private agent?: Agent;
	private generation = 0;

	constructor(private readonly bodyOf: BodyOf) {}

	/** Follows a job that asked for a webhook; sends what is due now. */
	track(job: DeploymentJob): void {
		if (!job.webhook) return;
		this.tracked.set(job.id, { job, sent: new Set(), chain: Promise.resolve() });
		this.pump();
	}

	/** Sends every event that is due, then sleeps until the next one (call after any change). */
	pump(): void {
		const now = Date.now();
		let next = Infinity;
		for (const entry of [...this.tracked.values()]) {
			next = Math.min(next, this.step(entry, now));
		}
		if (this.wake) clearTimeout(this.wake);
		this.wake = undefined;
		if (next === Infinity) return;
		this.wake = setTimeout(() => this.pump(), Math.max(1, next - now + 1));
		this.wake.unref();
	}

	/** One job: sends its due events; returns when its next one is due (Infinity: none). */
	private step(entry: Tracked, now: number): number {
		const { job, sent } = entry;
		const intermediate = job.webhook?.intermediate ?? false;
		if (intermediate && !sent.has('in_queue')) this.emit(entry, 'in_queue', now);
		if (intermediate && !sent.has('in_progress') && job.startedBy(now)) {
			this.emit(entry, 'in_progress', now);
		}
		if (!ACTIVE.includes(job.statusAt(now))) {
			this.emit(entry, 'final', now);
			if (job.script.webhook?.twice) this.send(entry, 'final', this.bodyOf(job, 'final', now));
			if (job.script.webhook?.outOfOrder) {
				this.send(entry, 'in_progress', this.bodyOf(job, 'in_progress', now));
			}
			this.tracked.delete(job.id);
			return Infinity;
		}
		const waitsToStart = intermediate && !sent.has('in_progress') && !job.cancelled;
		const end = job.ending().at ?? Infinity;
		return Math.min(end, waitsToStart ? job.startsAt : Infinity);
	}

	private emit(entry: Tracked, event: WebhookEvent, now: number): void {
		entry.sent.add(event);
		this.send(entry, event, this.bodyOf(entry.job, event, now));
	}

	/** Queues one delivery after the job's earlier ones (their first tries), unless dropped. */
	private send(entry: Tracked, event: WebhookEvent, body: Record<string, unknown>): void {
		const { job } = entry;
		const url = job.webhook?.url ?? '';
		const base = { url, requestId: job.id, deploymentId: job.deploymentId, event, body };
		const drop = job.script.webhook?.drop;
		if (drop === 'all' || (drop === 'final' && event === 'final')) {
			this.deliveries.push({ ...base, attempt: 0, status: 'dropped', at: Date.now() });
			return;
		}
		const generation = this.generation;
		entry.chain = entry.chain.then(async () => {
			if (generation === this.generation) await this.attempt(base, 1);
		});
	}

	/** Sends a callback RunComfy did not: e.g. a `succeeded` body for a job still running. */
	async forge(
		url: string,
		requestId: string,
		deploymentId: string,
		body: Record<string, unknown>,
	): Promise<WebhookDelivery> {
		const base = { url, requestId, deploymentId, event: 'forged' as const, body, forged: true };
		return await this.attempt(base, 1, false);
	}

	private async attempt(
		base: Omit<WebhookDelivery, 'attempt' | 'status' | 'at'>,
		attempt: number,
		retry = true,
	): Promise<WebhookDelivery> {
		const record: WebhookDelivery = { ...base, attempt, status: 'pending', at: Date.now() };
		this.deliveries.push(record);
		const generation = this.generation;
		await this.post(record);
		const ok = typeof record.status === 'number' && record.status >= 200 && record.status < 300;
		if (!ok && retry && attempt < this.settings.maxAttempts && generation === this.generation) {
			const delay = this.settings.retryBaseMs * 2 ** (attempt - 1);
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				void this.attempt(base, attempt + 1);
			}, delay);
			timer.unref();
			this.timers.add(timer);
		}
		return record;
	}

	private async post(record: WebhookDelivery): Promise<void> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
		this.controllers.add(controller);
		this.agent ??= new Agent();
		try {
			const res = await fetch(record.url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'User-Agent': 'RunComfy-Webhook/1.0' },
				body: JSON.stringify(record.body),
				signal: controller.signal,
				dispatcher: this.agent,
			});
			record.status = res.status;
			await res.body?.cancel().catch(() => undefined);
		} catch (error) {
			record.status = controller.signal.aborted ? 'timeout' : 'error';
			const cause = (error as { cause?: { code?: string } }).cause;
			record.error = cause?.code ?? (error instanceof Error ? error.message : String(error));
		} finally {
			record.answeredAt = Date.now();
			clearTimeout(timer);
			this.controllers.delete(controller);
		}
	}

	/** Forgets tracked jobs and deliveries; cancels pending retries and sends in flight. */
	reset(): void {
		this.generation++;
		if (this.wake) clearTimeout(this.wake);
		this.wake = undefined;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const controller of this.controllers) controller.abort();
		this.tracked.clear();
		this.deliveries.length = 0;
		this.settings = defaultWebhookSettings();
	}

	async stop(): Promise<void> {
		this.reset();
		await this.agent?.destroy();
		this.agent = undefined;
	}
}
