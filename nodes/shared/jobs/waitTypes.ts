import type { JobAnswer, RunComfyError } from '../transport';

/** The statuses and the shapes the waiting loop works with. */

export const SUCCESS_STATUSES = new Set(['completed', 'succeeded']);
/** Ended without a result: the job is over. */
export const FAILED_STATUSES = new Set(['failed', 'cancelled', 'canceled']);
export const PENDING_STATUSES = new Set(['in_queue', 'in_progress']);
export interface TrackedJob {
	itemIndex: number;
	requestId: string;
	/** When the wait for this job began (submit time for `generate`). */
	startedAt: number;
	/** Submitted by this run a moment ago: the first look waits one poll interval. */
	justSubmitted?: boolean;
}

export type JobOutcome =
	| { kind: 'done'; answer: JobAnswer; waitedMs: number }
	| { kind: 'failed'; status: string; answer: JobAnswer; waitedMs: number }
	| { kind: 'unknownStatus'; status: string; answer: JobAnswer; waitedMs: number }
	| { kind: 'timedOut'; status?: string; waitedMs: number }
	| { kind: 'pollError'; error: RunComfyError; status?: string; waitedMs: number }
	/** Left open because the wait was stopped early (another item failed). */
	| { kind: 'open'; status?: string; waitedMs: number };

export interface WaitOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	/** Stop waiting for the others as soon as one job ends badly. */
	stopOnFailure: boolean;
}
