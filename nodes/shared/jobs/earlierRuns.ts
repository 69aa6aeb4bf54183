import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * What earlier runs in this execution output, read from the execution's own run data (so it holds
 * on whichever worker resumes a parked execution): the jobs they created, by request id.
 */

type ItemsOf = (node: string, output: number, run: number) => INodeExecutionData[] | undefined;

/**
 * The request id an output item names: inside `error` on the error output (n8n adds the input
 * item's fields there, a `requestId` among them maybe), else at the top.
 */
function requestIdOf(item: INodeExecutionData): string | undefined {
	const error = item.json?.error;
	const requestId =
		error && typeof error === 'object' ? (error as IDataObject).requestId : item.json?.requestId;
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
	// Read once: n8n copies the whole node on every getNode().
	const node = ctx.getNode().name;
	const ids = new Set<string>();
	for (let run = 0; run < runIndex; run++) {
		// Output 1 is the error output ("Continue (using error output)"), whose items were paid too.
		for (const output of [0, 1]) {
			for (const item of outputOf(items, node, output, run)) {
				const requestId = requestIdOf(item);
				if (requestId) ids.add(requestId);
			}
		}
	}
	return ids.size;
}
