import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { JobAnswer, RunComfyClient } from '../transport';
import { downloadVideo } from './download';

/** What a finished job gives the next node: its JSON and, when asked for, its videos. */

/** An http(s) URL that can be fetched as it is; anything else is not a usable result. */
export function isUsableUrl(value: unknown): value is string {
	if (typeof value !== 'string' || value === '' || hasSpaceOrControl(value)) return false;
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

function hasSpaceOrControl(value: string): boolean {
	for (const char of value) {
		const code = char.charCodeAt(0);
		if (code <= 0x20 || code === 0x7f || /\s/.test(char)) return true;
	}
	return false;
}

/** Video URLs in the API's output: `video` (one) and `videos` (several), as strings or {url}. */
export function videoUrlsOf(output: JobAnswer['output']): string[] {
	if (!output || typeof output !== 'object') return [];
	const asUrl = (value: unknown) =>
		typeof value === 'string' ? value : (value as { url?: unknown } | null)?.url;
	const urls = [output.video, ...(Array.isArray(output.videos) ? output.videos : [])]
		.map(asUrl)
		.filter(isUsableUrl);
	return [...new Set(urls)];
}

/**
 * The output `json` for a job. The job's own `error` is not copied: n8n reads `json.error` on
 * the first item as a failure and would run the node again.
 */
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
	return json;
}

/** Streams each video into n8n's binary store, one at a time; never holds a whole video. */
export async function downloadVideos(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	requestId: string,
	urls: string[],
	options: { binaryPropertyName: string; timeoutMs: number },
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	for (const [index, url] of urls.entries()) {
		const suffix = index === 0 ? '' : `_${index}`;
		binary[`${options.binaryPropertyName}${suffix}`] = await downloadVideo(
			ctx,
			client,
			url,
			`${requestId}${suffix}`,
			options.timeoutMs,
		);
	}
	return binary;
}
