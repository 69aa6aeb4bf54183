/** How long to wait before asking again: the server's Retry-After, else exponential backoff. */

export const RETRY = {
	attempts: 5,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 300_000,
};

/** Retry-After is either seconds or an HTTP date; capped so a hostile value cannot park us. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Number(text) * 1000, RETRY.maxRetryAfterMs);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.min(Math.max(date - now, 0), RETRY.maxRetryAfterMs);
}

/** The server's Retry-After when it gave one (it knows best), else exponential backoff. */
export function backoffDelay(
	failures: number,
	retryAfterMs?: number,
	baseMs: number = RETRY.baseDelayMs,
	factor = 2,
): number {
	if (retryAfterMs !== undefined) return retryAfterMs;
	return Math.min(baseMs * factor ** Math.max(failures - 1, 0), RETRY.maxDelayMs);
}
