import type { IDataObject } from 'n8n-workflow';

import type { Checked } from '../values';
import { show } from '../values';
import type { InputSchema } from './schema';
import { readInputSchema } from './schema';

/**
 * RunComfy's model catalog as the nodes use it: model ids (checked, from a page URL), catalog
 * entries and one model's details, read tolerantly because the answers' shapes are partly
 * guessed. Pure.
 */

export const MAX_MODEL_ID_LENGTH = 300;

/**
 * A model id goes into a URL path with its slashes: `?`, `#`, `\`, `%`, `.`/`..` segments or
 * empty segments would reach another path, so they are refused (as RunComfy's own clients do).
 */
export function checkModelId(raw: unknown, label = 'Model'): Checked<string> {
	if (typeof raw !== 'string') {
		return { problem: `${label} must be a model id like "owner/model/task", got ${show(raw)}` };
	}
	const id = raw.trim();
	if (id === '') return { problem: `${label} is required: pick a model from the list` };
	if (/^https?:/i.test(id)) {
		return {
			problem: `${label} must be the model id, not a URL (use "By URL" for a page), got ${show(id)}`,
		};
	}
	if (id.length > MAX_MODEL_ID_LENGTH) {
		return {
			problem: `${label} is ${id.length} characters long; a model id has at most ${MAX_MODEL_ID_LENGTH}`,
		};
	}
	if (/[?#\\%]/.test(id) || /[\s\p{Cc}\p{Cf}]/u.test(id)) {
		return {
			problem: `${label} can't contain ?, #, \\, %, spaces or control characters, got ${show(id)}`,
		};
	}
	const segments = id.split('/');
	if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
		return {
			problem: `${label} must be segments separated by single slashes, without "." or "..", got ${show(id)}`,
		};
	}
	return { value: id };
}

/** Page suffixes a model page may carry; the id is what comes before them (a guess). */
const PAGE_SUFFIXES = new Set(['api', 'playground', 'readme', 'examples']);

/** `https://www.runcomfy.com/models/<id>` (any language prefix, query or fragment) → the id. */
export const MODEL_URL_REGEX =
	'^https?://(?:[\\w-]+\\.)*runcomfy\\.(?:com|net)/(?:[a-z]{2}(?:-[a-z]{2})?/)?models/([^?#]+?)/?(?:[?#].*)?$';

export function modelIdFromUrl(raw: unknown): Checked<string> {
	const label = 'Model URL';
	const text = typeof raw === 'string' ? raw.trim() : '';
	const match = new RegExp(MODEL_URL_REGEX, 'i').exec(text);
	if (!match) {
		return {
			problem: `${label} must be a RunComfy model page like https://www.runcomfy.com/models/owner/model/task, got ${show(raw)}`,
		};
	}
	const segments = match[1].split('/');
	while (segments.length > 1 && PAGE_SUFFIXES.has(segments[segments.length - 1].toLowerCase())) {
		segments.pop();
	}
	let id: string;
	try {
		id = segments.map((segment) => decodeURIComponent(segment)).join('/');
	} catch {
		return { problem: `${label} is not a valid URL, got ${show(raw)}` };
	}
	return checkModelId(id, label);
}

/** The resource locator's value (`{mode, value}` or a plain id) → a checked model id. */
export function modelIdOf(locator: unknown): Checked<string> {
	if (typeof locator === 'object' && locator !== null && !Array.isArray(locator)) {
		const { mode, value } = locator as IDataObject;
		if (mode === 'url') return modelIdFromUrl(value);
		if (typeof value === 'string' && /^https?:\/\//i.test(value.trim()))
			return modelIdFromUrl(value);
		return checkModelId(value);
	}
	if (typeof locator === 'string' && /^https?:\/\//i.test(locator.trim()))
		return modelIdFromUrl(locator);
	return checkModelId(locator);
}

export interface ModelInfo {
	id: string;
	name?: string;
	description?: string;
	categories: string[];
	price?: number;
	priceUnit?: string;
	modelUrl?: string;
	/** As given, for Get Model. */
	inputSchemaRaw?: unknown;
	schema: InputSchema;
}

const text = (value: unknown) =>
	typeof value === 'string' && value.trim() ? value.trim() : undefined;

function numberOf(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function categoriesOf(entry: IDataObject): string[] {
	const raw = entry.categories ?? entry.category ?? entry.kind;
	const list = Array.isArray(raw) ? raw : [raw];
	return list
		.map((value) =>
			typeof value === 'object' && value !== null ? (value as IDataObject).name : value,
		)
		.filter((value): value is string => typeof value === 'string' && value.trim() !== '');
}

/** One catalog entry or one model's details, whatever their exact field names. */
export function readModel(raw: unknown, fallbackId = ''): ModelInfo {
	const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as IDataObject;
	const schemaRaw = entry.input_schema ?? entry.inputSchema ?? entry.schema;
	return {
		id: text(entry.model_id) ?? text(entry.id) ?? text(entry.modelId) ?? fallbackId,
		name: text(entry.name) ?? text(entry.display_name) ?? text(entry.title),
		description: text(entry.description),
		categories: categoriesOf(entry),
		price: numberOf(entry.base_price_usd ?? entry.price_usd ?? entry.price),
		priceUnit: text(entry.price_unit) ?? text(entry.unit),
		modelUrl: text(entry.model_url) ?? text(entry.url),
		inputSchemaRaw: schemaRaw,
		schema: readInputSchema(schemaRaw),
	};
}

/** The entries of a list answer: a bare array, or the first array-valued field (its key is a guess). */
export function entriesOf(answer: unknown): unknown[] {
	if (Array.isArray(answer)) return answer;
	if (typeof answer !== 'object' || answer === null) return [];
	const object = answer as IDataObject;
	for (const key of ['models', 'data', 'items', 'results']) {
		if (Array.isArray(object[key])) return object[key] as unknown[];
	}
	return (Object.values(object).find(Array.isArray) as unknown[] | undefined) ?? [];
}

/** The total the list answer reports, if it reports one. */
export function totalOf(answer: unknown): number | undefined {
	if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return undefined;
	const object = answer as IDataObject;
	return numberOf(object.total ?? object.count ?? object.total_count);
}

/** "$0.12 per request", "$0.05 / second", or undefined when the catalog gives no price. */
export function priceText(model: Pick<ModelInfo, 'price' | 'priceUnit'>): string | undefined {
	if (model.price === undefined) return undefined;
	const unit = model.priceUnit
		? ` per ${model.priceUnit.replace(/^per[_ ]/i, '').replace(/_/g, ' ')}`
		: '';
	return `$${model.price}${unit}`;
}

/**
 * The name a user reads: the catalog's, else one made from the id (the catalog documents no name
 * field): "blackforestlabs/flux-2/flash/text-to-image" → "Flux 2 Flash Text to Image".
 */
export function displayNameOf(model: Pick<ModelInfo, 'id' | 'name'>): string {
	if (model.name) return model.name;
	const segments = model.id.split('/');
	const words = (segments.length > 1 ? segments.slice(1) : segments).join(' ').split(/[-_\s]+/);
	const small = new Set(['to', 'and', 'of', 'a', 'with']);
	return words
		.filter(Boolean)
		.map((word, i) => (i > 0 && small.has(word) ? word : word[0].toUpperCase() + word.slice(1)))
		.join(' ');
}

/** The model as output: id, name, categories, price and unit as given, page URL. */
export function modelJson(model: ModelInfo): IDataObject {
	const json: IDataObject = {
		modelId: model.id,
		name: displayNameOf(model),
		description: model.description ?? null,
		categories: model.categories,
		price: model.price ?? null,
		priceUnit: model.priceUnit ?? null,
		priceText: priceText(model) ?? null,
		modelUrl: model.modelUrl ?? null,
	};
	return json;
}
