/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Drives the RunComfy Trigger's `webhook()` through n8n-core's real WebhookContext (real
 * credentials helper, authenticated requests, binary store, static data), behind a small HTTP
 * receiver the emulator calls back, so its deliveries (twice, out of order, forged) reach it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { RunComfyTrigger } from '../../nodes/RunComfyTrigger/RunComfyTrigger.node';
import { Engine } from './engine';

export const TRIGGER_TYPE = 'n8n-nodes-runcomfy.runComfyTrigger';

export interface TriggerCall {
	body: IDataObject;
	/** The node answered the HTTP request before its webhook() returned. */
	answeredEarly: boolean;
	result?: IWebhookResponseData;
	error?: unknown;
	done: boolean;
}

export class TriggerHarness {
	readonly engine = new Engine({ [TRIGGER_TYPE]: new RunComfyTrigger() });
	readonly calls: TriggerCall[] = [];
	private workflow!: Workflow;
	private node!: INode;
	private server?: Server;
	url = '';

	constructor(private readonly credentials: () => ICredentialDataDecryptedObject) {}

	/** A fresh workflow (empty static data) with the Trigger set to `parameters`. */
	configure(parameters: IDataObject = {}): void {
		this.calls.length = 0;
		this.node = {
			id: 'trigger',
			name: 'On Job Finished',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'a1b2c3d4-secret',
			parameters,
			credentials: { runComfyApi: { id: '1', name: 'RunComfy account' } },
		} as INode;
		this.workflow = new Workflow({
			id: 'trigger-workflow',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.engine.nodeTypes,
			staticData: {},
		});
	}

	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	get idle(): boolean {
		return this.calls.every((call) => call.done);
	}

	/** Items the Trigger emitted so far, over all calls. */
	get emitted() {
		return this.calls.flatMap((call) => call.result?.workflowData?.[0] ?? []);
	}

	/** One call of webhook() with `body`, as n8n makes it for a POST to the Production URL. */
	async call(body: IDataObject, answer: (status: number) => void = () => {}): Promise<TriggerCall> {
		this.engine.credentialsHelper.credentials = { runComfyApi: this.credentials() };
		const record: TriggerCall = { body, answeredEarly: false, done: false };
		this.calls.push(record);
		const additionalData = this.engine.additionalData('webhook');
		const res = {
			status: (code: number) => ({
				json: () => ((record.answeredEarly = true), answer(code)),
				end: () => ((record.answeredEarly = true), answer(code)),
			}),
		};
		additionalData.httpRequest = { body, headers: {}, query: {}, params: {} } as never;
		additionalData.httpResponse = res as never;
		const webhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			path: 'runcomfy',
			webhookDescription:
				this.engine.nodeTypes.getByNameAndVersion(TRIGGER_TYPE).description.webhooks![0],
			workflowId: this.workflow.id,
			webhookId: this.node.webhookId,
		} as IWebhookData;
		const ctx = new WebhookContext(
			this.workflow,
			this.node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		const trigger = this.engine.nodeTypes.getByNameAndVersion(TRIGGER_TYPE);
		try {
			record.result = await trigger.webhook!.call(ctx);
		} catch (error) {
			record.error = error;
		}
		record.done = true;
		return record;
	}

	/** An HTTP receiver at `url` that hands every POST to webhook(). */
	async listen(): Promise<void> {
		this.server = createServer((req, res) => {
			let text = '';
			req.on('data', (chunk: Buffer) => (text += chunk.toString()));
			req.on('end', () => {
				let body: IDataObject = {};
				try {
					body = JSON.parse(text) as IDataObject;
				} catch {
					// Not JSON: the Trigger gets an empty body.
				}
				const answer = (status: number) => res.headersSent || res.writeHead(status).end('{}');
				void this.call(body, answer).then(() => answer(200));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}/webhook/${this.node?.webhookId ?? 'id'}/runcomfy`;
	}

	async close(): Promise<void> {
		await new Promise((resolve) => this.server?.close(resolve));
	}
}
