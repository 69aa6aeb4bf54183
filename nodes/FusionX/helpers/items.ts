import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JobAnswer } from '../transport';
import { RunComfyClient, RunComfyError, toNodeApiError } from '../transport';
import { readRequestId } from './parameters';
import { mapWithConcurrency } from './pool';

/** Reading an item's fields, shaping output items, and failing items without losing a job. */

/** Video URLs in the API's output: `video` (one) and `videos` (several), as strings or {url}. */
export function videoUrlsOf(output: JobAnswer['output']): string[] {
	if (!output || typeof output !== 'object') return [];
	const asUrl = (value: unknown) =>
		typeof value === 'string' ? value : (value as { url?: unknown } | null)?.url;
	const urls = [output.video, ...(Array.isArray(output.videos) ? output.videos : [])]
		.map(asUrl)
		.filter((url): url is string => typeof url === 'string' && url !== '');
	return [...new Set(urls)];
}

/** The output `json` for a finished job. */
export function resultJson(requestId: string, answer: JobAnswer, waitedMs?: number): IDataObject {
	const urls = videoUrlsOf(answer.output);
	const json: IDataObject = {
		requestId,
		status: answer.status,
		videoUrl: urls[0] ?? null,
	};
	if (urls.length > 1) json.videoUrls = urls;
	json.output = answer.output ?? null;
	if (typeof answer.cost === 'number') json.cost = answer.cost;
	json.createdAt = answer.created_at ?? null;
	json.finishedAt = answer.finished_at ?? null;
	if (waitedMs !== undefined) json.waitedSeconds = Math.round(waitedMs / 100) / 10;
	if (answer.error) json.error = answer.error;
	return json;
}

/** Streams each video into n8n's binary store; never holds a whole video in memory. */
export async function downloadVideos(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	requestId: string,
	urls: string[],
	propertyName: string,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	for (const [index, url] of urls.entries()) {
		const { stream, mimeType } = await client.openVideo(url);
		const suffix = index === 0 ? '' : `_${index}`;
		binary[`${propertyName}${suffix}`] = await ctx.helpers.prepareBinaryData(
			stream as Buffer,
			`${requestId}${suffix}.mp4`,
			mimeType && mimeType !== 'application/octet-stream' ? mimeType : 'video/mp4',
		);
	}
	return binary;
}

/** One item's fate: an output item, or an error that names the job it belongs to. */
export interface ItemResult {
	itemIndex: number;
	item?: INodeExecutionData;
	error?: NodeApiError | NodeOperationError;
	requestId?: string;
	status?: string;
	/** Failed only because another item did: the other item's error is the one to report. */
	secondary?: boolean;
}

export function failure(
	ctx: IExecuteFunctions,
	itemIndex: number,
	error: unknown,
	job: { requestId?: string; status?: string; extra?: string } = {},
): ItemResult {
	let nodeError: NodeApiError | NodeOperationError;
	if (error instanceof RunComfyError) {
		nodeError = toNodeApiError(ctx.getNode(), error, { itemIndex, ...job });
	} else if (
		error instanceof NodeOperationError ||
		(error as NodeApiError)?.name === 'NodeApiError'
	) {
		nodeError = error as NodeOperationError;
	} else {
		nodeError = new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
	if (job.requestId && !String(nodeError.description ?? '').includes(job.requestId)) {
		nodeError.description = [nodeError.description, `Request ID: ${job.requestId}`]
			.filter(Boolean)
			.join(' ');
		nodeError.context.requestId = job.requestId;
	}
	return { itemIndex, error: nodeError, requestId: job.requestId, status: job.status };
}

/**
 * Output items in input order. A failed item becomes an error item under Continue On Fail;
 * otherwise the first failure is thrown, listing every job this run created so none is lost.
 */
export function finishItems(
	ctx: IExecuteFunctions,
	results: ItemResult[],
	jobsLabel = 'Jobs created in this run',
): INodeExecutionData[] {
	const sorted = [...results].sort((a, b) => a.itemIndex - b.itemIndex);
	const failed = sorted.filter((result) => result.error);
	if (failed.length > 0 && !ctx.continueOnFail()) {
		const error = (failed.find((result) => !result.secondary) ?? failed[0]).error!;
		const jobs = sorted
			.filter((result) => result.requestId)
			.map((result) => {
				const state = result.error
					? `failed${result.status ? `, ${result.status}` : ''}`
					: (result.status ?? 'ok');
				const video = result.item?.json.videoUrl ? `, ${result.item.json.videoUrl}` : '';
				return `item ${result.itemIndex}: ${result.requestId} (${state}${video})`;
			});
		if (jobs.length > 0) {
			error.description = `${error.description ?? ''} ${jobsLabel}: ${jobs.join('; ')}.`.trim();
			error.context.requestIds = sorted
				.filter((result) => result.requestId)
				.map((result) => result.requestId);
		}
		throw error;
	}
	return sorted.map((result) => {
		if (result.item) return { ...result.item, pairedItem: { item: result.itemIndex } };
		const error = result.error!;
		const details: IDataObject = {};
		if (error.description) details.description = error.description;
		if (result.requestId) details.requestId = result.requestId;
		if (result.status) details.status = result.status;
		// n8n sends an item to the error output only when its json holds nothing but error,
		// message and details; for the regular output the fields stay at the top.
		const json: IDataObject =
			ctx.getNode().onError === 'continueErrorOutput'
				? { error: error.message, details }
				: { error: error.message, ...details };
		return { json, pairedItem: { item: result.itemIndex } };
	});
}

const LOOKUP_CONCURRENCY = 5;

/**
 * The one-request operations (status, result, cancel): each item's request id is looked up, a
 * few at a time, and a failure names the request id it was about.
 */
export async function lookUpEach(
	ctx: IExecuteFunctions,
	lookUp: (
		client: RunComfyClient,
		requestId: string,
	) => Promise<{ json: IDataObject; binary?: IBinaryKeyData; status?: string }>,
): Promise<INodeExecutionData[]> {
	const indexes = ctx.getInputData().map((_, itemIndex) => itemIndex);
	const client = await RunComfyClient.create(ctx);
	const results = await mapWithConcurrency(indexes, LOOKUP_CONCURRENCY, async (itemIndex) => {
		let requestId: string | undefined;
		try {
			requestId = readRequestId(ctx, itemIndex);
			const { json, binary, status } = await lookUp(client, requestId);
			return { itemIndex, requestId, status, item: { json, binary } } as ItemResult;
		} catch (error) {
			return failure(ctx, itemIndex, error, { requestId });
		}
	});
	return finishItems(ctx, results, 'Request IDs in this run');
}
