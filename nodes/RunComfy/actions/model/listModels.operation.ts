import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { entriesOf, modelJson, readModel, totalOf } from '../../../shared/catalog/models';
import type { ItemResult } from '../../../shared/results';
import { failure, finishItems } from '../../../shared/results';
import type { RunComfyClient } from '../../../shared/transport';
import { RunComfyClient as Client } from '../../../shared/transport';
import { checkNumber, valueOf } from '../../../shared/values';

/** The catalog's models, one output item each: search, category, all pages or a limit. */

const PAGE_SIZE = 100;
/** A server that ignored `offset` would repeat its first page forever; this ends it. */
const MAX_PAGES = 200;

interface ListQuery {
	search: string;
	category: string;
	/** `Infinity` for Return All. */
	limit: number;
}

function readQuery(ctx: IExecuteFunctions, itemIndex: number): ListQuery {
	const text = (name: string) => String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) === true;
	const limit = returnAll
		? Infinity
		: valueOf(
				checkNumber('Limit', ctx.getNodeParameter('limit', itemIndex, 50), {
					integer: true,
					min: 1,
					max: 100000,
				}),
			);
	return { search: text('search'), category: text('category'), limit };
}

/** Pages through the catalog until the limit, the reported total, an empty page or a page seen before. */
export async function listCatalog(
	client: RunComfyClient,
	query: ListQuery,
): Promise<IDataObject[]> {
	const models: IDataObject[] = [];
	const seen = new Set<string>();
	for (let page = 0, offset = 0; page < MAX_PAGES && models.length < query.limit; page++) {
		const want = Math.min(PAGE_SIZE, query.limit - models.length);
		const qs: IDataObject = { limit: want, offset };
		if (query.search) qs.search = query.search;
		if (query.category) qs.category = query.category;
		const answer = await client.listModels(qs);
		const total = totalOf(answer);
		const entries = entriesOf(answer).map((entry) => readModel(entry));
		const fresh = entries.filter((model) => model.id && !seen.has(model.id));
		for (const model of fresh.slice(0, query.limit - models.length)) {
			seen.add(model.id);
			models.push(modelJson(model));
		}
		// A page shorter than asked is not the end: a server may cap its pages. An empty page, a
		// page of models seen before or the total the answer reports is.
		if (fresh.length === 0 || (total !== undefined && offset + entries.length >= total)) break;
		offset += entries.length;
	}
	return models;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const results: ItemResult[] = [];
	let client: RunComfyClient | undefined;
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			let query: ListQuery;
			try {
				query = readQuery(this, itemIndex);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
			client ??= await Client.create(this);
			const models = await listCatalog(client, query);
			results.push(...models.map((json) => ({ itemIndex, item: { json } })));
		} catch (error) {
			results.push(failure(this, itemIndex, client ? client.toError(error) : error));
			if (!this.continueOnFail()) break;
		}
	}
	return finishItems(this, results);
}
