import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * What earlier runs in this execution output, read from the execution's own run data (so it holds
 * on whichever worker resumes a parked execution): the jobs they created, by request id.
 */

type ItemsOf = (node: string, output: number, run: number) => INodeExecutionData[] | undefined;

/** The request id an output item names: at the top, or inside `error` on the error output. */
function requestIdOf(item: INodeExecutionData): string | undefined {
	const error = item.json?.error as IDataObject | undefined;
	const requestId = item.json?.requestId ?? error?.requestId;
	return typeof requestId === 'string' && requestId ? requestId : undefined;
}

/** A node's output items of one run and output; none for a run that failed or an output it lacks. */
function outputOf(items: ItemsOf, node: string, output: number, run: number): INodeExecutionData[] {
	try {
		return items(node, output, run) ?? [];
	} catch {
		return [];
	}
}

function dataProxy(ctx: IExecuteFunctions): { items: ItemsOf; runIndex: number } {
	const proxy = ctx.getWorkflowDataProxy(0);
	return { items: proxy.$items as ItemsOf, runIndex: Number(proxy.$runIndex) || 0 };
}

/** The jobs this node created in its earlier runs of this execution (a loop runs it per batch). */
export function jobsInEarlierRuns(ctx: IExecuteFunctions): number {
	const { items, runIndex } = dataProxy(ctx);
	const ids = new Set<string>();
	for (let run = 0; run < runIndex; run++) {
		// Output 1 is the error output ("Continue (using error output)"), whose items were paid too.
		for (const output of [0, 1]) {
			for (const item of outputOf(items, ctx.getNode().name, output, run)) {
				const requestId = requestIdOf(item);
				if (requestId) ids.add(requestId);
			}
		}
	}
	return ids.size;
}

/** The most runs of one node read; a loop longer than that is not a batch of jobs. */
const MAX_RUNS = 10_000;

/**
 * The jobs that RunComfy nodes earlier in this workflow created in this execution (Submit Job's
 * items, a timed-out Generate's): those a Wait for Completion further on may cancel when the
 * execution is stopped while it waits on them. Jobs from elsewhere (another execution, a sheet of
 * request ids) are never cancelled.
 */
export function jobsSubmittedInThisExecution(ctx: IExecuteFunctions): Set<string> {
	const ids = new Set<string>();
	if (typeof ctx.getParentNodes !== 'function') return ids;
	const { items } = dataProxy(ctx);
	const ownPackage = ctx.getNode().type.replace(/\.[^.]+$/, '');
	for (const parent of ctx.getParentNodes(ctx.getNode().name)) {
		if (!parent.type.startsWith(`${ownPackage}.`)) continue;
		for (let run = 0; run < MAX_RUNS; run++) {
			const output = outputOf(items, parent.name, 0, run);
			if (output.length === 0 && run > 0) break;
			for (const item of output) {
				const requestId = requestIdOf(item);
				if (requestId) ids.add(requestId);
			}
		}
	}
	return ids;
}
