import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	displayNameOf,
	entriesOf,
	priceText,
	readModel,
	totalOf,
} from '../../shared/catalog/models';
import { RunComfyClient } from '../../shared/transport';

const PAGE_SIZE = 50;

/** The Model list: one catalog page per call, searchable, each entry named with category and price. */
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
			// n8n's list shows an entry's name only: what tells models apart goes into it.
			name: [displayNameOf(model), model.categories[0], priceText(model)]
				.filter(Boolean)
				.join(' · '),
			value: model.id,
			url: model.modelUrl,
		}));
	const next = offset + entries.length;
	const total = totalOf(answer);
	// A page shorter than asked does not mean the end: a server may cap its pages.
	const more = entries.length > 0 && (total === undefined || next < total);
	return { results, paginationToken: more ? String(next) : undefined };
}
