/* eslint-disable no-console */
/**
 * Download Video through a server run, and what it costs the n8n process: the peak resident memory
 * (VmHWM, reset just before the run) over the memory before it. Run once per binary data mode.
 */
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { expectVideoBinary, itemsOf } from './cli';
import { callWebhook, finishedExecution, memory, newExecution, type ServerSuite } from './server';

export const BIG_VIDEO_BYTES = 48 * 1024 * 1024;
const MiB = 1024;

export async function downloadCheck(suite: ServerSuite, mode: string): Promise<void> {
	await suite.runner.check(
		'binary download',
		`[server] Webhook run downloads a ${BIG_VIDEO_BYTES / 1024 / 1024} MiB video, binary data mode: ${mode}`,
		async (expect) => await download(suite, mode, expect),
	);
}

async function download(suite: ServerSuite, mode: string, expect: Expect): Promise<void> {
	const { emulator, server } = suite;
	const previous = emulator.onSubmit;
	emulator.onSubmit = (body, index) =>
		String(body['600_prompt']).startsWith('[big]')
			? { videoBytes: BIG_VIDEO_BYTES }
			: previous?.(body, index);
	try {
		const reset = memory.resetPeak(server.pid);
		const before = memory.currentKiB(server.pid);
		const id = await newExecution(
			suite,
			'rcSrvDownload01',
			async () => await callWebhook(suite, 'rc-download'),
		);
		const execution = await finishedExecution(suite, 'rcSrvDownload01', id, 120_000);
		const peak = memory.peakKiB(server.pid);
		const note = `binary data mode ${mode}: n8n RSS ${Math.round(before / MiB)} MiB before, peak ${Math.round(peak / MiB)} MiB during the run (+${Math.round((peak - before) / MiB)} MiB)${reset ? '' : ' (peak not reset: since start)'}`;
		console.log(`      ${note}`);
		suite.runner.note(note);
		expect(execution.status === 'success', `saved execution ${id} is ${show(execution.status)}`);
		const item = itemsOf(execution, 'Generate Video')[0];
		expectStored(suite, expect, item, mode);
	} finally {
		emulator.onSubmit = previous;
	}
}

function expectStored(
	suite: ServerSuite,
	expect: Expect,
	item: Json | undefined,
	mode: string,
): void {
	const requestId = String(item?.json?.requestId);
	if (mode.startsWith('filesystem')) {
		expectVideoBinary(expect, suite.userFolder, item, 'data', requestId, BIG_VIDEO_BYTES);
		return;
	}
	const binary = item?.binary?.data;
	expect(
		binary?.mimeType === 'video/mp4',
		`binary.data ${show(binary && { ...binary, data: undefined })}`,
	);
	const inline = typeof binary?.data === 'string' && !binary?.id;
	const size = inline ? Buffer.from(binary.data, 'base64').length : binary?.bytes;
	expect(
		size === BIG_VIDEO_BYTES,
		`binary.data holds ${show(size)} bytes, want ${BIG_VIDEO_BYTES}`,
	);
}
