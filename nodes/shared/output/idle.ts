import { sleep } from '../sleep';
import { RunComfyError } from '../transport';

/**
 * A download whose host stops sending ends with an error after this long without a byte (as
 * RunComfy's CLI gives up after 120 s), not only at the whole Timeout. Settable for tests.
 */
export const IDLE = { ms: 120_000 };

interface Flowing {
	on?: (event: 'end' | 'close', listener: () => void) => unknown;
	push?: (chunk: unknown, encoding?: string) => boolean;
}

/**
 * Calls `onBytes` whenever the stream's source hands it a chunk. Seen at `push`, not by
 * listening to 'data': a listener would start the stream flowing before n8n's binary store
 * reads it, and those bytes would be lost. False when the stream has no `push` to watch.
 */
function onChunks(stream: Flowing, onBytes: () => void): boolean {
	const push = stream.push;
	if (typeof push !== 'function') return false;
	stream.push = (chunk: unknown, encoding?: string) => {
		onBytes();
		return push.call(stream, chunk, encoding);
	};
	return true;
}

/**
 * Watches `stream` while it is read; once no byte came for IDLE.ms, aborts the download with a
 * clear error (destroying the stream alone leaves n8n's binary store waiting). Returns the stop.
 */
export function watchIdle(
	stream: Flowing,
	kind: string,
	abort: (reason: RunComfyError) => void,
): { stop: () => void; error: () => RunComfyError | undefined } {
	let last = Date.now();
	let raised: RunComfyError | undefined;
	const done = new AbortController();
	// Without a way to see chunks arrive, only the whole Timeout applies.
	if (!onChunks(stream, () => (last = Date.now()))) {
		return { stop: () => undefined, error: () => undefined };
	}
	stream.on?.('end', () => done.abort());
	stream.on?.('close', () => done.abort());
	const check = Math.max(Math.min(IDLE.ms / 4, 5_000), 10);
	void (async () => {
		while (!done.signal.aborted) {
			const woke = await sleep(check, done.signal).then(
				() => true,
				() => false,
			);
			if (!woke) return;
			if (Date.now() - last < IDLE.ms) continue;
			raised = new RunComfyError(
				'network',
				`The ${kind} host stopped sending: no data for ${Math.round(IDLE.ms / 1000)} s`,
			);
			abort(raised);
			return;
		}
	})();
	return { stop: () => done.abort(), error: () => raised };
}
