/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/** Waiting on conditions, never on the clock: the bound only stops a test that would hang. */
export async function until(condition: () => boolean, boundMs = 30_000): Promise<boolean> {
	const end = Date.now() + boundMs;
	while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
	return condition();
}

/** An n8n error's description, or '' */
export const description = (error: unknown): string =>
	String((error as { description?: string })?.description ?? '');
