/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * The REST calls n8n's editor makes, for `n8n start` checks: owner setup (which signs in), publish
 * a workflow, run it by hand, stop an execution, read saved executions. The paths come from each
 * line's own sources (packages/cli controllers and the editor's API client); where 1.x and 2.x
 * differ, the difference is here and nowhere else.
 */
import * as path from 'path';

import type { Json } from './common';
import type { N8nInstall } from './install';
import { delay } from './time';

export const OWNER = {
	email: 'owner@runcomfy-test.invalid',
	password: 'RunComfy-test-1',
	firstName: 'Test',
	lastName: 'Owner',
};

/** The editor sends one random id per browser; n8n ties the auth cookie to it. */
const BROWSER_ID = 'runcomfy-test-browser';

export class RestError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export class RestSession {
	private constructor(
		readonly url: string,
		private readonly cookie: string,
		private readonly major: number,
		private readonly parse: (text: string) => unknown,
	) {}

	/**
	 * `POST /rest/owner/setup` (both lines): creates the owner and answers with the auth cookie the
	 * editor keeps. n8n answers 404 on this route while it is still starting.
	 */
	static async asOwner(install: N8nInstall, url: string, timeoutMs = 60_000): Promise<RestSession> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await fetch(`${url}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
				body: JSON.stringify(OWNER),
			}).catch(() => undefined);
			if (res?.ok) {
				const cookie = res.headers.getSetCookie().map((line) => line.split(';')[0]);
				const major = Number(install.line.version.split('.')[0]);
				return new RestSession(url, cookie.join('; '), major, flattedParser(install));
			}
			const status = res?.status ?? 0;
			const text = res ? (await res.text()).slice(0, 300) : 'no answer';
			if (![0, 404, 503].includes(status) || Date.now() > deadline) {
				throw new RestError(status, `owner setup failed: ${status} ${text}`);
			}
			await delay(500);
		}
	}

	/** One REST call; answers n8n's `data` envelope, throws RestError on a non-2xx status. */
	async call(method: string, route: string, body?: unknown): Promise<Json> {
		const res = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: {
				cookie: this.cookie,
				'browser-id': BROWSER_ID,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) {
			throw new RestError(
				res.status,
				`${method} /rest${route}: ${res.status} ${text.slice(0, 300)}`,
			);
		}
		const json = text ? (JSON.parse(text) as Json) : {};
		return 'data' in json ? json.data : json;
	}

	/**
	 * Makes the workflow's production webhooks and triggers live, as the editor's toggle (1.x) or
	 * Publish button (2.x) does.
	 */
	async publish(workflowId: string): Promise<void> {
		const workflow = await this.call('GET', `/workflows/${workflowId}`);
		if (this.major >= 2) {
			await this.call('POST', `/workflows/${workflowId}/activate`, {
				versionId: workflow.versionId,
			});
		} else {
			await this.call('PATCH', `/workflows/${workflowId}`, {
				active: true,
				versionId: workflow.versionId,
			});
		}
	}

	/** The editor's "Execute workflow" from one trigger; answers the new execution's id. */
	async runManually(workflowId: string, trigger: string): Promise<string> {
		const triggerToStartFrom = { name: trigger };
		let body: Json = { triggerToStartFrom };
		if (this.major < 2) {
			// 1.x runs the workflow the editor sends, not the saved one.
			const workflowData = await this.call('GET', `/workflows/${workflowId}`);
			body = { workflowData, triggerToStartFrom };
		}
		const answer = await this.call('POST', `/workflows/${workflowId}/run`, body);
		if (!answer.executionId)
			throw new Error(`manual run started no execution: ${JSON.stringify(answer)}`);
		return String(answer.executionId);
	}

	/** The editor's Stop button (both lines): `POST /rest/executions/:id/stop`. */
	async stop(executionId: string): Promise<Json> {
		return await this.call('POST', `/executions/${executionId}/stop`);
	}

	/** The executions list of one workflow, newest first (summaries: id, status, mode, …). */
	async executions(workflowId: string): Promise<Json[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const answer = await this.call('GET', `/executions?filter=${filter}&limit=50`);
		return (answer.results ?? []) as Json[];
	}

	/** A saved execution with its run data unpacked (n8n stores and sends it `flatted`). */
	async execution(executionId: string): Promise<Json> {
		const answer = await this.call('GET', `/executions/${executionId}`);
		if (typeof answer.data === 'string') answer.data = this.parse(answer.data);
		return answer;
	}
}

/** n8n's own `flatted` (the format of saved execution data), from the install under test. */
function flattedParser(install: N8nInstall): (text: string) => unknown {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(path.join(install.nodeModules, 'flatted')) as {
		parse: (text: string) => unknown;
	};
	return flatted.parse;
}
