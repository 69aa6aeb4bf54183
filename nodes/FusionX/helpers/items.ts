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
import type { FieldValues } from './input';
import { buildApiInput, FIELDS, InputError, MAX_DATA_URI_IMAGE_BYTES } from './input';
import { mapWithConcurrency } from './pool';

/** Reading an item's fields, shaping output items, and failing items without losing a job. */

export interface NodeOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	cancelOnTimeout: boolean;
	download: boolean;
	binaryPropertyName: string;
	maxConcurrency: number;
}

export function readOptions(ctx: IExecuteFunctions): NodeOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const seconds = (value: unknown, fallback: number) => {
		const number = Number(value ?? fallback);
		return (Number.isFinite(number) && number > 0 ? number : fallback) * 1000;
	};
	// An AI agent gets URLs only: binary data would flood its context.
	const isTool = ctx.getNode().type.endsWith('Tool');
	return {
		pollIntervalMs: seconds(options.pollInterval, 5),
		timeoutMs: seconds(options.timeout, 900),
		cancelOnTimeout: options.cancelOnTimeout !== false,
		download: options.download === true && !isTool,
		binaryPropertyName: String(options.binaryPropertyName || 'data'),
		maxConcurrency: Math.max(1, Math.floor(Number(options.maxConcurrency ?? 5)) || 5),
	};
}

async function imageFromBinary(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const property = ctx.getNodeParameter('imageBinaryProperty', itemIndex) as string;
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	if (!binary.mimeType?.startsWith('image/')) {
		throw new InputError(
			`Input Binary Field "${property}" holds ${binary.mimeType || 'a file of unknown type'}, not an image: use a PNG, JPEG or WebP start frame`,
		);
	}
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (buffer.length > MAX_DATA_URI_IMAGE_BYTES) {
		throw new InputError(
			`Input Binary Field "${property}" is ${(buffer.length / 1048576).toFixed(1)} MB; images sent from binary may be at most 6 MB. Use a smaller image or a hosted URL.`,
		);
	}
	return `data:${binary.mimeType};base64,${buffer.toString('base64')}`;
}

/** The API body for one item, validated; throws a NodeOperationError naming the UI field. */
export async function readApiInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		const get = (name: string) => ctx.getNodeParameter(name, itemIndex, undefined);
		const fromBinary = get('imageSource') === 'binary';
		const fields = {} as FieldValues;
		for (const name of Object.keys(FIELDS) as Array<keyof typeof FIELDS>) {
			fields[name] =
				name === 'imageUrl' && fromBinary ? await imageFromBinary(ctx, itemIndex) : get(name);
		}
		return buildApiInput(fields, get('additionalInputs'));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			itemIndex,
			description: 'Nothing was submitted to RunComfy for this item.',
		});
	}
}

/** Every item's API input, validated before anything is submitted; bad items as results. */
export async function readApiInputs(ctx: IExecuteFunctions) {
	const { valid, invalid } = await readEach(
		ctx,
		async (itemIndex) => await readApiInput(ctx, itemIndex),
	);
	return { inputs: valid.map(({ itemIndex, value }) => ({ itemIndex, input: value })), invalid };
}

/**
 * Reads every item before any request, so bad input fails before anything is paid for. Without
 * Continue On Fail the first bad item stops the node; with it, bad items become error items.
 */
export async function readEach<T>(
	ctx: IExecuteFunctions,
	read: (itemIndex: number) => Promise<T> | T,
): Promise<{ valid: Array<{ itemIndex: number; value: T }>; invalid: ItemResult[] }> {
	const valid: Array<{ itemIndex: number; value: T }> = [];
	const invalid: ItemResult[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			valid.push({ itemIndex, value: await read(itemIndex) });
		} catch (error) {
			invalid.push(failure(ctx, itemIndex, error));
		}
		if (invalid.length > 0 && !ctx.continueOnFail()) throw invalid[0].error!;
	}
	return { valid, invalid };
}

export function readRequestId(ctx: IExecuteFunctions, itemIndex: number): string {
	const requestId = String(ctx.getNodeParameter('requestId', itemIndex, '') ?? '').trim();
	if (!requestId) {
		throw new NodeOperationError(ctx.getNode(), 'Request ID is required', {
			itemIndex,
			description:
				'Pass the requestId that Submit Job or Generate Video returned, e.g. {{ $json.requestId }}.',
		});
	}
	return requestId;
}

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
