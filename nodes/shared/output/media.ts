import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { JobAnswer, RunComfyClient } from '../transport';
import { downloadFile } from './download';

/** The files a finished job produced, and what the next node gets of them. */

export type MediaKind = 'video' | 'image' | 'audio' | 'file';

export interface MediaFile {
	url: string;
	kind: MediaKind;
}

/** Output keys RunComfy's models use for files, one and several of each kind. */
const KEYS: Array<[string, MediaKind]> = [
	['video', 'video'],
	['videos', 'video'],
	['image', 'image'],
	['images', 'image'],
	['audio', 'audio'],
	['audios', 'audio'],
	['file', 'file'],
	['files', 'file'],
];

function hasSpaceOrControl(value: string): boolean {
	for (const char of value) {
		const code = char.charCodeAt(0);
		if (code <= 0x20 || code === 0x7f || /\s/.test(char)) return true;
	}
	return false;
}

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

/** Every usable file URL in the API's output, as strings or `{url}`, in order, each once. */
export function mediaOf(output: JobAnswer['output']): MediaFile[] {
	if (!output || typeof output !== 'object') return [];
	const files: MediaFile[] = [];
	const seen = new Set<string>();
	for (const [key, kind] of KEYS) {
		const value = (output as IDataObject)[key];
		for (const entry of Array.isArray(value) ? value : [value]) {
			const url = typeof entry === 'string' ? entry : (entry as { url?: unknown } | null)?.url;
			if (!isUsableUrl(url) || seen.has(url)) continue;
			seen.add(url);
			files.push({ url, kind });
		}
	}
	return files;
}

/** The URLs of one kind. */
export function urlsOf(output: JobAnswer['output'], kind: MediaKind): string[] {
	return mediaOf(output)
		.filter((file) => file.kind === kind)
		.map((file) => file.url);
}

/**
 * The output `json` for a job: `<kind>Url` (and `<kind>Urls` when several) for each kind of file,
 * `<primary>Url` always present. The job's own `error` is not copied: n8n reads `json.error` on
 * the first item as a failure and would run the node again.
 */
export function resultJson(
	requestId: string,
	answer: JobAnswer,
	primary: MediaKind,
	waitedMs?: number,
): IDataObject {
	const json: IDataObject = { requestId, status: answer.status, [`${primary}Url`]: null };
	const files = mediaOf(answer.output);
	for (const kind of new Set(files.map((file) => file.kind))) {
		const urls = files.filter((file) => file.kind === kind).map((file) => file.url);
		json[`${kind}Url`] = urls[0];
		if (urls.length > 1) json[`${kind}Urls`] = urls;
	}
	json.output = answer.output ?? null;
	if (typeof answer.cost === 'number') json.cost = answer.cost;
	json.createdAt = answer.created_at ?? null;
	json.finishedAt = answer.finished_at ?? null;
	if (waitedMs !== undefined) json.waitedSeconds = Math.round(waitedMs / 100) / 10;
	return json;
}

/**
 * Streams each file into n8n's binary store, one at a time (n8n's database and in-memory binary
 * modes hold each file whole while storing it): `data`, `data_1`, …
 */
export async function downloadMedia(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	requestId: string,
	files: MediaFile[],
	options: { binaryPropertyName: string; timeoutMs: number },
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	for (const [index, file] of files.entries()) {
		const suffix = index === 0 ? '' : `_${index}`;
		binary[`${options.binaryPropertyName}${suffix}`] = await downloadFile(ctx, client, file, {
			fileStem: `${requestId}${suffix}`,
			timeoutMs: options.timeoutMs,
		});
	}
	return binary;
}

/** An input as output: a file sent from binary is a long data: URI, shown by its size instead. */
export function shownInput(input: IDataObject): IDataObject {
	const shown: IDataObject = {};
	for (const [key, value] of Object.entries(input)) {
		shown[key] =
			typeof value === 'string' && value.startsWith('data:')
				? `${value.slice(0, value.indexOf(','))},… (${sizeText(base64Bytes(value.slice(value.indexOf(',') + 1)))} from binary)`
				: value;
	}
	return shown;
}

/** How many bytes a base64 text holds. */
function base64Bytes(text: string): number {
	const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
	return Math.floor((text.length * 3) / 4) - padding;
}

/** Bytes as a user reads them: 70 bytes, 12 KB, 3.4 MB. */
export function sizeText(bytes: number): string {
	if (bytes < 1024) return `${Math.round(bytes)} bytes`;
	if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
