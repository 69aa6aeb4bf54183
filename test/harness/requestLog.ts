/**
 * Checks on the emulator's request log that a slow machine can only pass more easily: they
 * compare arrival times with what the node was told before it sent, never with a stopwatch.
 */
import type { RecordedRequest, RunComfyEmulator } from '../emulator/emulator';

const API_ROUTES = ['submit', 'result', 'status', 'cancel'];

export const apiRequests = (emulator: RunComfyEmulator): RecordedRequest[] =>
	emulator.requests.filter((request) => API_ROUTES.includes(request.route));

/**
 * Every prefix of the run: no more requests than the ceiling's burst plus its rate times the time
 * passed (a request arrives after the node took its turn, so a delay only adds slack).
 */
export function overCeiling(
	emulator: RunComfyEmulator,
	startedAt: number,
	perSecond: number,
	burstSeconds: number,
): string[] {
	return apiRequests(emulator)
		.map((request, index) => ({ sent: index + 1, at: request.at }))
		.filter(
			({ sent, at }) => sent > perSecond * burstSeconds + (perSecond * (at - startedAt)) / 1000 + 1,
		)
		.map(({ sent, at }) => `${sent} requests by ${at - startedAt} ms`);
}

/** What a request asked again after a 429: the same submit (its prompt) or the same job's look. */
const chainOf = (request: RecordedRequest) =>
	request.route === 'submit'
		? `submit ${(request.body as { '600_prompt'?: string })?.['600_prompt']}`
		: `${request.route} ${request.requestId}`;

/**
 * Requests sent again after a 429 sooner than its Retry-After allowed. Causal, not timed: the node
 * sends the next request of the same submit or job only after the 429 reached it, so that request
 * arrives after the 429's arrival plus the Retry-After, however slow the machine.
 */
export function retryAfterCutShort(emulator: RunComfyEmulator, retryAfterMs: number): string[] {
	const api = apiRequests(emulator);
	const found: string[] = [];
	api.forEach((refused, index) => {
		if (refused.status !== 429) return;
		const next = api.slice(index + 1).find((later) => chainOf(later) === chainOf(refused));
		if (next && next.at < refused.at + retryAfterMs) {
			found.push(`${chainOf(refused)}: again ${next.at - refused.at} ms after a 429`);
		}
	});
	return found;
}

/** Jobs per prompt: 1 for every item means nobody was billed twice. */
export function jobsPerPrompt(emulator: RunComfyEmulator): Map<string, number> {
	const counts = new Map<string, number>();
	for (const job of emulator.jobs.values()) {
		const prompt = String(job.input['600_prompt']);
		counts.set(prompt, (counts.get(prompt) ?? 0) + 1);
	}
	return counts;
}
