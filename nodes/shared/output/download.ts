import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from '../sleep';

import type { RunComfyClient } from '../transport';
import { cancelled, RunComfyError } from '../transport';
import { extensionOf } from '../workflow/fileKind';
import { watchIdle } from './idle';
import type { MediaFile, MediaKind } from './media';

/** Content types a file host may honestly answer with for each kind; an HTML page is none. */
const OCTET = /^(application|binary)\/octet-stream$/i;
const ACCEPTED: Record<MediaKind, RegExp> = {
	video: /^video\/[\w.+-]+$/i,
	image: /^image\/[\w.+-]+$/i,
	audio: /^audio\/[\w.+-]+$/i,
	file: /^(?!text\/html)[\w.+-]+\/[\w.+-]+$/i,
};
const DEFAULT_TYPE: Record<MediaKind, string> = {
	video: 'video/mp4',
	image: 'image/png',
	audio: 'audio/mpeg',
	file: 'application/octet-stream',
};
const EXTENSIONS: Record<string, string> = {
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'video/x-matroska': 'mkv',
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'audio/mpeg': 'mp3',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/ogg': 'ogg',
	'audio/flac': 'flac',
	'application/octet-stream': 'bin',
};

interface Opened {
	stream: {
		destroy?: (error?: Error) => void;
		on?: (event: 'data' | 'end' | 'close', listener: () => void) => unknown;
	};
	mimeType: string;
	expectedBytes?: number;
}

/** The file's own extension (caption.txt → txt), else the one its content type names. */
function extensionFor(file: MediaFile & { filename?: string }, mimeType: string): string {
	let own = extensionOf(file.filename ?? '');
	try {
		own ??= extensionOf(new URL(file.url).pathname);
	} catch {
		// not a URL: the content type decides
	}
	if (own && /^[a-z0-9]{1,8}$/.test(own)) return own;
	return EXTENSIONS[mimeType] ?? mimeType.split('/')[1] ?? 'bin';
}

/**
 * Streams one file into n8n's binary store, as a whole retried on passing failures, within
 * `timeoutMs` (a trickling host cannot hold the run forever).
 */
export async function downloadFile(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	file: MediaFile,
	options: { fileStem: string; timeoutMs: number },
): Promise<IBinaryData> {
	const attempt = async (signal: AbortSignal, abort: (reason: RunComfyError) => void) => {
		const opened = await openFile(ctx, client, file, signal);
		const extension = extensionFor(file, opened.mimeType);
		let binary: IBinaryData;
		const idle = watchIdle(opened.stream, file.kind, abort);
		try {
			binary = await ctx.helpers.prepareBinaryData(
				opened.stream as unknown as Buffer,
				`${options.fileStem}.${extension}`,
				opened.mimeType,
			);
		} catch (error) {
			opened.stream.destroy?.();
			throw idle.error() ?? tooLarge(file.kind, error) ?? cutOff(client, file.kind, signal, error);
		} finally {
			idle.stop();
		}
		const stored = binary.bytes;
		if (
			opened.expectedBytes !== undefined &&
			typeof stored === 'number' &&
			stored < opened.expectedBytes
		) {
			throw new RunComfyError(
				'network',
				`The ${file.kind} download was cut off after ${stored} of ${opened.expectedBytes} bytes`,
			);
		}
		return binary;
	};
	return await withDeadline(
		ctx,
		file.kind,
		options.timeoutMs,
		async (signal, abort) =>
			await client.withRetries(
				'download',
				(error) => error.isTransient && !signal.aborted,
				async () => await attempt(signal, abort),
			),
	);
}

async function openFile(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	file: MediaFile,
	signal: AbortSignal,
): Promise<Opened> {
	let response: { body: unknown; headers: Record<string, unknown>; statusCode: number };
	try {
		// The file host is not RunComfy's API: plain httpRequest, so no token goes there.
		response = (await ctx.helpers.httpRequest({
			url: file.url,
			method: 'GET',
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 60_000,
			abortSignal: signal,
		})) as typeof response;
	} catch (error) {
		if (signal.aborted) throw abortReason(client, file.kind, signal);
		throw client.networkError(`the ${file.kind} host`, error);
	}
	const stream = response.body as Opened['stream'];
	const status = response.statusCode;
	const type = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	const typeFits = type === '' || OCTET.test(type) || ACCEPTED[file.kind].test(type);
	if (status < 200 || status >= 300 || !typeFits) {
		stream?.destroy?.();
		const transient = status >= 500 || status === 429;
		const why =
			status < 200 || status >= 300
				? `HTTP ${status}`
				: `it served ${type}, not a${file.kind === 'image' || file.kind === 'audio' ? 'n' : ''} ${file.kind}`;
		throw new RunComfyError(
			transient ? 'server' : 'unexpected',
			`Downloading the ${file.kind} failed (${why})`,
			{
				httpCode: status,
			},
		);
	}
	const length = Number(response.headers['content-length']);
	return {
		stream,
		mimeType: type === '' || OCTET.test(type) ? DEFAULT_TYPE[file.kind] : type,
		expectedBytes: Number.isFinite(length) && length > 0 ? length : undefined,
	};
}

/**
 * n8n's refusal to store a file over its binary data mode's limit (n8n-core's FileTooLargeError,
 * thrown by `database` mode over N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, default 512 MiB), once the
 * file is read. Its message names the limit and the setting; it is no network failure, so it is
 * not retried (a retry would download the whole file again to be refused again).
 */
function tooLarge(kind: MediaKind, error: unknown): RunComfyError | undefined {
	const name = (error as Error | undefined)?.constructor?.name;
	const message = (error as Error | undefined)?.message ?? '';
	if (name !== 'FileTooLargeError' && !/exceeds the max size limit/i.test(message))
		return undefined;
	return new RunComfyError(
		'unexpected',
		`The ${kind} is larger than n8n's binary data storage accepts: ${message}`,
	);
}

function cutOff(
	client: RunComfyClient,
	kind: MediaKind,
	signal: AbortSignal,
	error: unknown,
): RunComfyError {
	if (signal.aborted) return abortReason(client, kind, signal);
	const where = `the ${kind} host`;
	const reason = client
		.networkError(where, error, true)
		.message.replace(`Could not reach ${where}: `, '');
	return new RunComfyError('network', `The ${kind} download was cut off (${reason})`);
}

function abortReason(client: RunComfyClient, kind: MediaKind, signal: AbortSignal): RunComfyError {
	if (client.stopped) return cancelled();
	const reason = signal.reason instanceof RunComfyError ? signal.reason : undefined;
	return reason ?? new RunComfyError('network', `The ${kind} download was aborted`);
}

/** Runs `task` with a signal that aborts at the deadline or when the execution is stopped. */
async function withDeadline<T>(
	ctx: IExecuteFunctions,
	kind: MediaKind,
	timeoutMs: number,
	task: (signal: AbortSignal, abort: (reason: RunComfyError) => void) => Promise<T>,
): Promise<T> {
	const controller = new AbortController();
	const timer = new AbortController();
	const execution = ctx.getExecutionCancelSignal?.();
	const onStop = () => controller.abort();
	execution?.addEventListener('abort', onStop);
	if (execution?.aborted) controller.abort();
	const late = `The ${kind} download did not finish within the timeout of ${Math.round(timeoutMs / 1000)} s`;
	void sleep(timeoutMs, timer.signal).then(
		() => controller.abort(new RunComfyError('unexpected', late)),
		() => undefined,
	);
	try {
		return await task(controller.signal, (reason) => controller.abort(reason));
	} finally {
		timer.abort();
		execution?.removeEventListener('abort', onStop);
	}
}
