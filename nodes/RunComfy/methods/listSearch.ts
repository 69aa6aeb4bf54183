import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { entriesOf, priceText, readModel, totalOf } from '../../shared/catalog/models';
import { RunComfyClient } from '../../shared/transport';

const PAGE_SIZE = 50;

/** The Model list: one catalog page per call, searchable, each entry with category and price. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await RunComfyClient.create(this);
	const offset = Math.max(0, Number(paginationToken ?? 0) || 0);
	const qs: Record<string, string | number> = { limit: PAGE_SIZE, offset };
	if (filter?.trim()) qs.search = filter.trim();
	let answer: unknown;
	try {
		answer = await client.listModels(qs);
	} catch (error) {
		throw client.toError(error);
	}
	const entries = entriesOf(answer);
	const results = entries
		.map((entry) => readModel(entry))
		.filter((model) => model.id)
		.map((model) => ({
			name: model.name && model.name !== model.id ? `${model.name} (${model.id})` : model.id,
			value: model.id,
			description: [model.categories.join(', '), priceText(model)].filter(Boolean).join(' · '),
			url: model.modelUrl,
		}));
	const next = offset + entries.length;
	const total = totalOf(answer);
	const more = entries.length >= PAGE_SIZE && (total === undefined || next < total);
	return { results, paginationToken: more ? String(next) : undefined };
}
