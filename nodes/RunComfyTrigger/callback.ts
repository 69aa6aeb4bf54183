import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import { jobErrorText, jobFiles, jobJson } from '../shared/output/jobFiles';
import { downloadMedia } from '../shared/output/media';
import type { JobAnswer } from '../shared/transport';
import { RunComfyClient, RunComfyError } from '../shared/transport';
import { FAILED_STATUSES, SUCCESS_STATUSES } from '../shared/jobs/waitTypes';

export type Filter = 'succeeded' | 'failed' | 'all';

const DOWNLOAD_TIMEOUT_MS = 900_000;

/** Answers meaning "no job of yours by that id": the callback names nothing to emit. */
const NO_SUCH_JOB = new Set(['notFound', 'unknownDeployment', 'invalidInput', 'permission']);

/** An id as RunComfy makes them: nothing that could change the path or query it goes into. */
export function plainId(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const ok = /^[^\s/?#\\%]{1,200}$/.test(value) && value !== '.' && value !== '..';
	return ok ? value : undefined;
}

/** The job named by a callback's body, if its ids look like RunComfy's; nothing else is read. */
export function namedJob(body: unknown): { requestId: string; deploymentId: string } | undefined {
	const fields = (body ?? {}) as IDataObject;
	const requestId = plainId(fields.request_id);
	const deploymentId = plainId(fields.deployment_id);
	return requestId && deploymentId ? { requestId, deploymentId } : undefined;
}

/** Whether a job's status is an end the filter asks for; undefined while it has not ended. */
export function wanted(status: string, filter: Filter): boolean | undefined {
	const succeeded = SUCCESS_STATUSES.has(status);
	if (!succeeded && !FAILED_STATUSES.has(status)) return undefined;
	return filter === 'all' || (filter === 'succeeded') === succeeded;
}

/** The job's result read with the credential, or why there is none to believe. */
export async function readResult(
	ctx: IWebhookFunctions,
	requestId: string,
	deploymentId: string,
): Promise<{ client: RunComfyClient; answer: JobAnswer } | { unread: string; known: boolean }> {
	try {
		const client = await RunComfyClient.create(asExecute(ctx));
		client.follow(requestId, deploymentId);
		return { client, answer: (await client.result(requestId)).answer };
	} catch (error) {
		const kind = error instanceof RunComfyError ? error.kind : 'unexpected';
		return { unread: (error as Error).message, known: !NO_SUCH_JOB.has(kind) };
	}
}

/** The item Run Workflow would output for this job, with its files if asked. */
export async function jobItem(
	ctx: IWebhookFunctions,
	client: RunComfyClient,
	ids: { requestId: string; deploymentId: string },
	answer: JobAnswer,
	options: IDataObject,
): Promise<INodeExecutionData> {
	const status = String(answer.status ?? '').toLowerCase();
	const files = jobFiles(answer);
	const json: IDataObject = {
		...jobJson(ids.requestId, answer, files[0]?.kind ?? 'file'),
		deploymentId: ids.deploymentId,
		status: answer.status,
	};
	// n8n takes an item with `json.error` for a failed one.
	delete json.error;
	if (!SUCCESS_STATUSES.has(status)) {
		json.errorMessage = status === 'failed' ? jobErrorText(answer) : 'The job was cancelled';
		return { json };
	}
	if (options.download !== true || files.length === 0) return { json };
	try {
		const binary = await downloadMedia(asExecute(ctx), client, ids.requestId, files, {
			binaryPropertyName: String(options.binaryPropertyName || 'data'),
			timeoutMs: DOWNLOAD_TIMEOUT_MS,
		});
		return { json, binary };
	} catch (error) {
		// The job is emitted all the same: its file URLs are in the json.
		return { json: { ...json, downloadError: client.toError(error).message } };
	}
}

/**
 * The shared client and downloads are typed for a node's run; they use only getCredentials,
 * getNode, logger and helpers.httpRequest(WithAuthentication)/prepareBinaryData, which a webhook
 * context has too (getExecutionCancelSignal is optional there).
 */
function asExecute(ctx: IWebhookFunctions): IExecuteFunctions {
	return ctx as unknown as IExecuteFunctions;
}
