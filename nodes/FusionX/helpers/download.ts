import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { RunComfyClient } from '../transport';
import { cancelled, RunComfyError } from '../transport';

/** Types a video host may honestly answer with; anything else (an HTML page…) is not the video. */
const VIDEO_TYPES = /^(video\/[\w.+-]+|application\/octet-stream|binary\/octet-stream)$/i;
const EXTENSIONS: Record<string, string> = {
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'video/x-matroska': 'mkv',
};

interface Opened {
	stream: { destroy?: () => void };
	mimeType: string;
	expectedBytes?: number;
}

/**
 * Streams one video into n8n's binary store, as a whole retried on passing failures, within
 * `timeoutMs` (a trickling host cannot hold the run forever).
 */
export async function downloadVideo(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	url: string,
	fileStem: string,
	timeoutMs: number,
): Promise<IBinaryData> {
	return await withDeadline(
		ctx,
		timeoutMs,
		async (signal) =>
			await client.withRetries(
				'download',
				(error) => error.isTransient,
				async () => {
					const opened = await openVideo(ctx, client, url, signal);
					const extension = EXTENSIONS[opened.mimeType] ?? 'mp4';
					let binary: IBinaryData;
					try {
						binary = await ctx.helpers.prepareBinaryData(
							opened.stream as unknown as Buffer,
							`${fileStem}.${extension}`,
							opened.mimeType,
						);
					} catch (error) {
						throw cutOff(client, signal, error);
					}
					if (
						opened.expectedBytes !== undefined &&
						typeof binary.bytes === 'number' &&
						binary.bytes < opened.expectedBytes
					) {
						throw new RunComfyError(
							'network',
							`The video download was cut off after ${binary.bytes} of ${opened.expectedBytes} bytes`,
						);
					}
					return binary;
				},
			),
	);
}

async function openVideo(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	url: string,
	signal: AbortSignal,
): Promise<Opened> {
	let response: { body: unknown; headers: Record<string, unknown>; statusCode: number };
	try {
		// The file host is not RunComfy's API: plain httpRequest, so no token goes there.
		response = (await ctx.helpers.httpRequest({
			url,
			method: 'GET',
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 60_000,
			abortSignal: signal,
		})) as typeof response;
	} catch (error) {
		if (signal.aborted) throw abortReason(client, signal);
		throw client.networkError('the video host', error);
	}
	const stream = response.body as Opened['stream'];
	const status = response.statusCode;
	const type = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	if (status < 200 || status >= 300 || (type !== '' && !VIDEO_TYPES.test(type))) {
		stream?.destroy?.();
		const transient = status >= 500 || status === 429;
		const why = status < 200 || status >= 300 ? `HTTP ${status}` : `it served ${type}, not a video`;
		throw new RunComfyError(
			transient ? 'server' : 'unexpected',
			`Downloading the video failed (${why})`,
			{
				httpCode: status,
			},
		);
	}
	const length = Number(response.headers['content-length']);
	return {
		stream,
		mimeType: type === '' || !type.startsWith('video/') ? 'video/mp4' : type,
		expectedBytes: Number.isFinite(length) && length > 0 ? length : undefined,
	};
}

function cutOff(client: RunComfyClient, signal: AbortSignal, error: unknown): RunComfyError {
	if (signal.aborted) return abortReason(client, signal);
	const reason = client
		.networkError('the video host', error, true)
		.message.replace(/^Could not reach the video host: /, '');
	return new RunComfyError('network', `The video download was cut off (${reason})`);
}

function abortReason(client: RunComfyClient, signal: AbortSignal): RunComfyError {
	if (client.stopped) return cancelled();
	const reason = signal.reason instanceof RunComfyError ? signal.reason : undefined;
	return reason ?? new RunComfyError('network', 'The video download was aborted');
}

/** Runs `task` with a signal that aborts at the deadline or when the execution is stopped. */
async function withDeadline<T>(
	ctx: IExecuteFunctions,
	timeoutMs: number,
	task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
	const controller = new AbortController();
	const timer = new AbortController();
	const execution = ctx.getExecutionCancelSignal?.();
	const onStop = () => controller.abort();
	execution?.addEventListener('abort', onStop);
	if (execution?.aborted) controller.abort();
	const seconds = Math.round(timeoutMs / 1000);
	void sleep(timeoutMs, timer.signal).then(
		() =>
			controller.abort(
				new RunComfyError(
					'unexpected',
					`The video download did not finish within the timeout of ${seconds} s`,
				),
			),
		() => undefined,
	);
	try {
		return await task(controller.signal);
	} finally {
		timer.abort();
		execution?.removeEventListener('abort', onStop);
	}
}
