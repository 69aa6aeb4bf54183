import type { JobAnswer } from '../transport';

/**
 * When a job is worth looking at again, for a Wait node set to "At Specified Time". n8n parks an
 * execution in its database (freeing the worker) only when 65 s or more are left as the Wait node
 * runs: 70 s leaves a margin for the nodes in between (measured in queue mode: exactly 65 s never
 * parked). Jobs further back in the queue are looked at later; RunComfy publishes no run times,
 * so the steps are a guess that errs on the early side.
 */
export const PARK_MS = 70_000;
const PER_QUEUED_JOB_MS = 30_000;
const MAX_MS = 15 * 60_000;

export function checkAgainAt(
	answer: Pick<JobAnswer, 'status' | 'queue_position'>,
	now = Date.now(),
): string {
	const position =
		typeof answer.queue_position === 'number' ? Math.max(answer.queue_position, 0) : 0;
	const queued = String(answer.status ?? 'in_queue').toLowerCase() === 'in_queue';
	const delay = queued ? Math.min(PARK_MS + position * PER_QUEUED_JOB_MS, MAX_MS) : PARK_MS;
	return new Date(now + delay).toISOString();
}
