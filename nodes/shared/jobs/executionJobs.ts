import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The jobs each execution created, in this process: what a Stop during a later Wait for Completion
 * may cancel. Only a submit records here, so jobs from elsewhere (another execution, pinned data, a
 * sheet of request ids, a look-up) are never among them. An execution resumed in another process
 * (queue mode, after a Wait) starts empty here: its jobs are then left alone, as before.
 */

interface Entry {
	at: number;
	ids: Set<string>;
}

const byExecution = new Map<string, Entry>();
/** Long enough for any wait a node does; an entry is dropped this long after its last job. */
const REMEMBER_MS = 24 * 60 * 60 * 1000;

export function recordCreatedJob(ctx: IExecuteFunctions, requestId: string): void {
	const executionId = ctx.getExecutionId();
	if (!executionId) return;
	const now = Date.now();
	for (const [key, entry] of byExecution) if (now - entry.at > REMEMBER_MS) byExecution.delete(key);
	const entry = byExecution.get(executionId) ?? { at: now, ids: new Set<string>() };
	entry.at = now;
	entry.ids.add(requestId);
	byExecution.set(executionId, entry);
}

export function jobsCreatedInThisExecution(ctx: IExecuteFunctions): ReadonlySet<string> {
	const executionId = ctx.getExecutionId();
	return (executionId && byExecution.get(executionId)?.ids) || new Set<string>();
}
