import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readModel } from '../catalog/models';
import type { ItemResult } from '../results';
import { jobsInEarlierRuns } from './earlierRuns';

/** Guards against paying for more than the workflow's owner meant to, and says what was paid. */

export const DEFAULT_MAX_JOBS = 500;

/** Refuses, before any submit, a run that would bring the execution past Max Jobs per Execution. */
export function refuseTooManyJobs(ctx: IExecuteFunctions, jobs: number, maxJobs: number): void {
	const earlier = jobsInEarlierRuns(ctx);
	if (earlier + jobs <= maxJobs) return;
	const message =
		earlier > 0
			? `This run would bring this node to ${earlier + jobs} paid jobs in this execution (${earlier} in its earlier runs, ${jobs} now), more than Max Jobs per Execution (${maxJobs})`
			: `This run would submit ${jobs} paid jobs, more than Max Jobs per Execution (${maxJobs})`;
	throw new NodeOperationError(ctx.getNode(), message, {
		description:
			'Nothing was submitted. If the batch is meant to be this large, raise Max Jobs per Execution under Options; otherwise check the items reaching this node (a duplicated range or a loop).',
	});
}

/** The run's jobs and what RunComfy reported they cost, in the log and as an execution hint. */
export function reportCost(ctx: IExecuteFunctions, results: ItemResult[]): void {
	const jobs = new Set(results.map((result) => result.requestId).filter(Boolean)).size;
	if (jobs === 0) return;
	const costs = results
		.map((result) => result.item?.json.cost)
		.filter((cost): cost is number => typeof cost === 'number' && Number.isFinite(cost));
	const total = Math.round(costs.reduce((sum, cost) => sum + cost, 0) * 1e6) / 1e6;
	const counted = `${jobs} RunComfy job${jobs === 1 ? '' : 's'}`;
	const text =
		costs.length === 0
			? `${counted}, no cost reported`
			: costs.length >= jobs
				? `${counted}, $${total.toFixed(2)} reported in all`
				: `${counted}, $${total.toFixed(2)} reported for ${costs.length} of them`;
	ctx.logger.info(text);
	if (typeof ctx.addExecutionHints === 'function') {
		ctx.addExecutionHints({ type: 'info', location: 'outputPane', message: text });
	}
}

/** Price units that mean one charge per job; RunComfy does not document its units. */
const PER_JOB_UNIT = /^(per[\s_-]*)?(request|run|job|generation|prediction|image|video|output)s?$/i;

export interface Priced {
	id: string;
	price?: number;
	priceUnit?: string;
	/** Why there is no per-job price, when the reason is known (a deployment's GPU-second billing). */
	noEstimate?: string;
}

/** items × price where each model's unit is per job; the models whose unit gives no estimate. */
export function estimateSpend(models: Priced[]): { total?: number; unknown: Priced[] } {
	const unknown = models.filter(
		(model) => model.price === undefined || !PER_JOB_UNIT.test((model.priceUnit ?? '').trim()),
	);
	if (unknown.length > 0) return { unknown: [...new Map(unknown.map((m) => [m.id, m])).values()] };
	const total = models.reduce((sum, model) => sum + (model.price ?? 0), 0);
	return { total: Math.round(total * 1e6) / 1e6, unknown: [] };
}

function noEstimateText(model: Priced): string {
	if (model.noEstimate) return `${model.noEstimate}.`;
	const unit = model.price === undefined ? 'no price' : `per ${model.priceUnit ?? 'unknown unit'}`;
	return `The catalog gives no per-job price for ${model.id} (${unit}).`;
}

/** Refuses, before any submit, a run whose estimate passes Max Estimated Spend (0 = no limit). */
export function refuseOverSpend(ctx: IExecuteFunctions, models: Priced[], maxSpend: number): void {
	if (!(maxSpend > 0)) return;
	const { total, unknown } = estimateSpend(models);
	if (total !== undefined && total <= maxSpend) return;
	const message =
		total !== undefined
			? `This run is estimated at $${total.toFixed(2)} (${models.length} jobs), more than Max Estimated Spend ($${maxSpend.toFixed(2)})`
			: `This run's cost cannot be estimated, and Max Estimated Spend ($${maxSpend.toFixed(2)}) is set`;
	const why =
		total !== undefined
			? 'Raise Max Estimated Spend under Options if the batch is meant to cost that, or send fewer items.'
			: `${unknown.map(noEstimateText).join(' ')} Set Max Estimated Spend to 0 to run without an estimate.`;
	throw new NodeOperationError(ctx.getNode(), message, {
		description: `Nothing was submitted. ${why}`,
	});
}

/** The catalog's price for one model, or none when the catalog cannot say (never paid for). */
export async function priceOf(
	client: { getModel: (modelId: string) => Promise<IDataObject> },
	modelId: string,
): Promise<Priced> {
	const entry = await client.getModel(modelId).catch(() => ({}) as IDataObject);
	const { price, priceUnit } = readModel(entry, modelId);
	return { id: modelId, price, priceUnit };
}

/**
 * Check Balance First: refuses, before any submit, a run whose estimate passes the balance. A
 * run that cannot be estimated goes ahead, and a hint says the balance and that no estimate was
 * possible; a balance that cannot be read stops the run (the user asked for the check).
 */
export async function refuseOverBalance(
	ctx: IExecuteFunctions,
	client: { balance: () => Promise<number | undefined> },
	models: Priced[],
): Promise<void> {
	let balance: number | undefined;
	try {
		balance = await client.balance();
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Could not read the RunComfy balance: ${(error as Error).message}`,
			{
				description:
					'Nothing was submitted. Check the Account API URL in the RunComfy API credential, or turn Check Balance First off.',
			},
		);
	}
	const { total } = estimateSpend(models);
	// Nothing left: whatever a job costs, it cannot be paid.
	if (balance !== undefined && balance <= 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Your RunComfy balance is $${balance.toFixed(2)}: nothing can be paid for`,
			{ description: 'Nothing was submitted. Top up your RunComfy account, then run again.' },
		);
	}
	if (balance === undefined || total === undefined) {
		const text = `Balance ${balance === undefined ? 'unknown' : `$${balance.toFixed(2)}`}; the run's cost could not be estimated, so it was not compared.`;
		if (typeof ctx.addExecutionHints === 'function') {
			ctx.addExecutionHints({ type: 'warning', location: 'outputPane', message: text });
		}
		return;
	}
	if (total <= balance) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`This run is estimated at $${total.toFixed(2)} (${models.length} jobs), more than your RunComfy balance ($${balance.toFixed(2)})`,
		{ description: 'Nothing was submitted. Top up your RunComfy account, or send fewer items.' },
	);
}

/** Every guard, in order, before the first paid request; prices are read only if a guard needs them. */
export async function guardSpending(
	ctx: IExecuteFunctions,
	client: { balance: () => Promise<number | undefined> },
	options: { maxJobs: number; maxSpend: number; checkBalance: boolean },
	jobs: number,
	prices: () => Promise<Priced[]>,
): Promise<void> {
	refuseTooManyJobs(ctx, jobs, options.maxJobs);
	if (!(options.maxSpend > 0) && !options.checkBalance) return;
	const models = await prices();
	refuseOverSpend(ctx, models, options.maxSpend);
	if (options.checkBalance) await refuseOverBalance(ctx, client, models);
}
