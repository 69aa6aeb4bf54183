/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * Served files: their bytes (generated, never held whole) and how a download behaves — whole,
 * cut short, trickled, or stalled mid-way (some bytes, then nothing, the connection left open).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';

import type { FileServing } from './job';

const CHUNK_BYTES = 64 * 1024;
/** Shared, never mutated: every filler chunk of every download is a view of it (no allocation). */
const FILLER = Buffer.alloc(CHUNK_BYTES);

/** A valid 1x1 PNG. */
export const TINY_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);
/** An empty but valid ZIP archive (its end-of-central-directory record alone). */
export const EMPTY_ZIP = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);

export interface FileContent {
	type: string;
	size: number;
	/** The first `n` bytes. */
	head: (n: number) => Buffer;
	stream: () => Readable;
}

export function bufferContent(type: string, data: Buffer): FileContent {
	return {
		type,
		size: data.length,
		head: (n) => data.subarray(0, n),
		stream: () => Readable.from([data]),
	};
}

export function mp4Content(size: number, type = 'video/mp4'): FileContent {
	return {
		type,
		size,
		head: (n) => Buffer.concat([mp4Header(size), FILLER]).subarray(0, Math.min(n, size)),
		stream: () => videoStream(size),
	};
}

export const CONTENT_TYPES: Record<string, string> = {
	png: 'image/png',
	mp4: 'video/mp4',
	zip: 'application/zip',
	txt: 'text/plain; charset=utf-8',
	gif: 'image/gif',
	webm: 'video/webm',
};

/** A deployment output file's content, by extension; undefined for an extension not served. */
export function contentFor(filename: string, videoBytes: number): FileContent | undefined {
	const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
	if (ext === 'mp4' || ext === 'webm') return mp4Content(videoBytes, CONTENT_TYPES[ext]);
	if (ext === 'png') return bufferContent(CONTENT_TYPES.png, TINY_PNG);
	if (ext === 'gif') return bufferContent(CONTENT_TYPES.gif, Buffer.from('GIF89a'));
	if (ext === 'zip') return bufferContent(CONTENT_TYPES.zip, EMPTY_ZIP);
	if (ext === 'txt') return bufferContent(CONTENT_TYPES.txt, Buffer.from('a caption\n'));
	return undefined;
}

/**
 * Answers a download. `answered` is called once the status is sent; `ended` when the last byte
 * left (or the client gave up); `cut()` says whether this download is one to cut short.
 */
export function serveContent(
	req: IncomingMessage,
	res: ServerResponse,
	file: FileContent,
	served: FileServing,
	hooks: { answered: (status: number) => void; ended: () => void; cut: () => boolean },
): void {
	if (served.body !== undefined) {
		const data = Buffer.from(served.body);
		res.writeHead(200, {
			'Content-Type': served.contentType ?? 'text/html',
			'Content-Length': String(data.length),
		});
		res.end(req.method === 'HEAD' ? undefined : data);
		return hooks.answered(200);
	}
	res.writeHead(200, {
		'Content-Type': served.contentType ?? file.type,
		'Content-Length': String(file.size),
	});
	hooks.answered(200);
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	if (served.trickle) return trickle(res);
	if (served.stallAfterBytes !== undefined) {
		res.write(file.head(Math.min(served.stallAfterBytes, file.size)));
		return; // then nothing: the socket stays open until the client aborts or stop()
	}
	if (served.cutAfterBytes !== undefined && hooks.cut()) {
		// Headers and the first bytes arrive, then the connection closes short of Content-Length.
		const head = file.head(Math.min(served.cutAfterBytes, file.size));
		res.write(head, () => res.socket?.end());
		return;
	}
	pipeline(file.stream(), res, () => hooks.ended());
}

/** One byte now and then, forever: a host that never finishes (ends when the client leaves). */
export function trickle(res: ServerResponse): void {
	const timer = setInterval(() => {
		if (res.destroyed) clearInterval(timer);
		else res.write(Buffer.alloc(1));
	}, 100);
	res.on('close', () => clearInterval(timer));
}

/** `ftyp` (isom) + an `mdat` box header spanning the rest, so the file sniffs as MP4. */
export function mp4Header(size: number): Buffer {
	const header = Buffer.alloc(32);
	header.writeUInt32BE(24, 0);
	header.write('ftypisom', 4, 'latin1');
	header.writeUInt32BE(0x200, 12);
	header.write('isommp41', 16, 'latin1');
	const mdat = size - 24;
	header.writeUInt32BE(mdat >= 8 && mdat <= 0xffffffff ? mdat : 0, 24);
	header.write('mdat', 28, 'latin1');
	return header.subarray(0, Math.min(32, size));
}

/** A pull stream of `size` bytes in 64 KiB chunks; respects back-pressure, never holds it all. */
export function videoStream(size: number): Readable {
	let sent = 0;
	return new Readable({
		highWaterMark: CHUNK_BYTES,
		read() {
			if (sent >= size) {
				this.push(null);
				return;
			}
			const chunk =
				sent === 0 ? mp4Header(size) : FILLER.subarray(0, Math.min(CHUNK_BYTES, size - sent));
			sent += chunk.length;
			this.push(chunk);
		},
	});
}
