/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/** Time for the n8n scripts: one way to print a duration, one bounded wait on a condition. */

/** Time since t0: `12.3 s` under a minute, `4 min 05 s` above. */
export function elapsed(t0: number): string {
	const ms = Date.now() - t0;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it returns something other than undefined, and returns that. Throws after
 * `timeoutMs`, naming `what` and the last thing `describe` said about the state.
 */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	opts: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
	const { timeoutMs = 30_000, intervalMs = 100 } = opts;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() >= deadline) {
			const state = opts.describe ? `; ${opts.describe()}` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}`);
		}
		await delay(intervalMs);
	}
}
