import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { Filter } from './callback';
import { jobItem, namedJob, readResult, wanted } from './callback';
import { filterField, triggerOptions, TRIGGER_NOTICE } from './description';
import { claim, release, remember, seen } from './memory';

/** Nothing to emit: n8n answers nothing more and starts no execution. */
const nothing = (): IWebhookResponseData => ({ noWebhookResponse: true });

export class RunComfyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunComfy Trigger',
		name: 'runComfyTrigger',
		icon: { light: 'file:../../icons/runcomfy.svg', dark: 'file:../../icons/runcomfy.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'On Job Finished',
		description: 'Starts the workflow when a RunComfy deployment job you submitted has finished',
		eventTriggerDescription: 'Waiting for RunComfy to call back',
		activationMessage:
			'Paste the Production URL into Callback URL of Deployment → Submit Job; keep it secret.',
		defaults: { name: 'On Job Finished' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'runComfyApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// The node's webhook id in front of this path is what makes the URL unguessable.
				path: 'runcomfy',
			},
		],
		properties: [TRIGGER_NOTICE, filterField, triggerOptions],
	};

	// RunComfy keeps no list of webhooks: the URL goes with each submit (Callback URL), so there
	// is nothing to register, look up or remove when the workflow is activated or deactivated.
	webhookMethods = {
		default: {
			checkExists: async (): Promise<boolean> => true,
			create: async (): Promise<boolean> => true,
			delete: async (): Promise<boolean> => true,
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// RunComfy gives up after 10 s: answer before reading anything.
		this.getResponseObject().status(200).json({ received: true });
		const ids = namedJob(this.getBodyData());
		if (!ids) {
			this.logger.debug('RunComfy Trigger: a call without a valid request and deployment id');
			return nothing();
		}
		const staticData = this.getWorkflowStaticData('node');
		const scope = `${this.getWorkflow().id ?? ''}/${this.getNode().id}`;
		if (seen(staticData, ids.requestId) || !claim(scope, ids.requestId)) return nothing();
		try {
			return await emit(this, ids, staticData);
		} finally {
			release(scope, ids.requestId);
		}
	}
}

/** Reads the job with the credential and emits it once if it has really ended. */
async function emit(
	ctx: IWebhookFunctions,
	ids: { requestId: string; deploymentId: string },
	staticData: IDataObject,
): Promise<IWebhookResponseData> {
	const read = await readResult(ctx, ids.requestId, ids.deploymentId);
	if ('unread' in read) {
		const log = read.known ? ctx.logger.warn : ctx.logger.debug;
		log.call(ctx.logger, `RunComfy Trigger: job ${ids.requestId} not read: ${read.unread}`);
		return nothing();
	}
	const status = String(read.answer.status ?? '').toLowerCase();
	const emits = wanted(status, ctx.getNodeParameter('filter', 'succeeded') as Filter);
	// Still running (a forged or early call): not remembered, so its real end still emits.
	if (emits === undefined) return nothing();
	remember(staticData, ids.requestId);
	if (!emits) return nothing();
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const item = await jobItem(ctx, read.client, ids, read.answer, options);
	return { noWebhookResponse: true, workflowData: [[item]] };
}
