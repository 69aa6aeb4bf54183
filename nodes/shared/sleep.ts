import * as n8nWorkflow from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Sleeps `ms`, or rejects as soon as `signal` aborts, on both n8n lines: n8n 2.x's `sleep` takes
 * the signal, while n8n 1.x's ignores it and offers `sleepWithAbort` instead. Without this, a wait
 * meant to end early (a look coming back, a Stop, a finished download) runs its full length on 1.x.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	const withAbort = (n8nWorkflow as unknown as { sleepWithAbort?: Sleep }).sleepWithAbort;
	if (signal && typeof withAbort === 'function') return await withAbort(ms, signal);
	return await (n8nWorkflow.sleep as Sleep)(ms, signal);
}
