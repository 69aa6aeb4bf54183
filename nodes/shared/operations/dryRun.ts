import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Priced } from '../jobs/spending';
import { estimateSpend } from '../jobs/spending';
import type { ItemResult } from '../results';
import { finishItems } from '../results';

export interface Preview {
	itemIndex: number;
	input: IDataObject;
	model: Priced;
	/** The submit's path, from the client (the only place that builds RunComfy URLs). */
	path: string;
	/** What the item says of what runs it (a deployment's id, name and hardware). */
	extra?: IDataObject;
}

/**
 * Every valid item as the exact request a run would send, with its model's price and the run's
 * estimate; nothing is sent. Invalid items fail as they would in a run.
 */
export function dryRunItems(
	ctx: IExecuteFunctions,
	previews: Preview[],
	invalid: ItemResult[],
): INodeExecutionData[] {
	const { total, unknown } = estimateSpend(previews.map((preview) => preview.model));
	const estimate: IDataObject = {
		jobs: previews.length,
		totalUsd: total ?? null,
		note:
			total !== undefined
				? 'items × the catalog price per job'
				: `no estimate: no per-job price in the catalog for ${unknown.map((model) => model.id).join(', ')}`,
	};
	const items = previews.map(({ itemIndex, input, model, path, extra }) => ({
		itemIndex,
		item: {
			json: {
				dryRun: true,
				message: 'Nothing was sent to RunComfy: this is the request a run would send.',
				request: { method: 'POST', path },
				payload: input,
				...extra,
				price: model.price ?? null,
				priceUnit: model.priceUnit ?? null,
				estimate,
			},
		},
	}));
	return finishItems(ctx, [...invalid, ...items]);
}
