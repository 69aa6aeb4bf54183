import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemResult } from '../results';

/** Guards against paying for more than the workflow's owner meant to, and says what was paid. */

export const DEFAULT_MAX_JOBS = 500;

/** Refuses, before any submit, a run that would create more jobs than Max Jobs per Execution. */
export function refuseTooManyJobs(ctx: IExecuteFunctions, jobs: number, maxJobs: number): void {
	if (jobs <= maxJobs) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`This run would submit ${jobs} paid jobs, more than Max Jobs per Execution (${maxJobs})`,
		{
			description:
				'Nothing was submitted. If the batch is meant to be this large, raise Max Jobs per Execution under Options; otherwise check the items reaching this node (a duplicated range or a loop).',
		},
	);
}

/** The run's jobs and what RunComfy reported they cost, in the log and as an execution hint. */
export function reportCost(ctx: IExecuteFunctions, results: ItemResult[]): void {
	const jobs = new Set(results.map((result) => result.requestId).filter(Boolean)).size;
	if (jobs === 0) return;
	const costs = results
		.map((result) => result.item?.json.cost)
		.filter((cost): cost is number => typeof cost === 'number' && Number.isFinite(cost));
	const total = Math.round(costs.reduce((sum, cost) => sum + cost, 0) * 1e6) / 1e6;
	const text =
		costs.length > 0
			? `${jobs} RunComfy job${jobs === 1 ? '' : 's'}, $${total.toFixed(2)} reported for ${costs.length}`
			: `${jobs} RunComfy job${jobs === 1 ? '' : 's'}, no cost reported`;
	ctx.logger.info(text);
	if (typeof ctx.addExecutionHints === 'function') {
		ctx.addExecutionHints({ type: 'info', location: 'outputPane', message: text });
	}
}
