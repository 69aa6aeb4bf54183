/**
 * The emulator's model catalog: a few models of different kinds, their schemas (JSON-Schema-like,
 * with RunComfy's "float"), prices, paging and search, validation of a submit against the schema,
 * and what each kind of model returns.
 */

import type { CatalogModel } from './catalogModels';
import { MODELS } from './catalogModels';

export * from './catalogModels';

/** A catalog model by id (a FusionX submit is still validated by the emulator's own, stricter rules). */
export function catalogModel(id: string): CatalogModel | undefined {
	return MODELS.find((model) => model.model_id === id);
}

function publicEntry(model: CatalogModel, withSchema: boolean): Record<string, unknown> {
	const entry: Record<string, unknown> = { ...model };
	delete entry.output;
	if (!withSchema) delete entry.input_schema;
	return entry;
}

/**
 * `GET /v1/models`: `{models, total}` (the wrapper key is a guess the node must tolerate).
 * `pageCap`: a page holds at most that many models whatever `limit` asks (the answer still
 * echoes the `limit` asked and the `total`), as a server with its own page size would.
 */
export function listModels(
	query: Record<string, string>,
	pageCap?: number,
): Record<string, unknown> {
	const search = (query.search ?? '').toLowerCase();
	const category = query.category ?? '';
	const matching = MODELS.filter(
		(model) =>
			(!search || `${model.model_id} ${model.name}`.toLowerCase().includes(search)) &&
			(!category || model.categories.includes(category)),
	);
	const limit = Math.max(1, Math.min(100, Number(query.limit ?? 100) || 100));
	const offset = Math.max(0, Number(query.offset ?? 0) || 0);
	const withSchema = query.include_schema === 'true';
	const size = pageCap === undefined ? limit : Math.max(1, Math.min(limit, pageCap));
	const models = matching.slice(offset, offset + size).map((m) => publicEntry(m, withSchema));
	return { models, total: matching.length, limit, offset };
}

export function categories(): string[] {
	return [...new Set(MODELS.flatMap((model) => model.categories))].sort();
}

export function modelDetails(model: CatalogModel): Record<string, unknown> {
	return publicEntry(model, true);
}

export interface Detail {
	loc: string[];
	msg: string;
	type: string;
}

function typeProblem(type: string, value: unknown): string | undefined {
	switch (type) {
		case 'string':
			return typeof value === 'string' ? undefined : 'Input should be a valid string';
		case 'integer':
			return Number.isInteger(value) ? undefined : 'Input should be a valid integer';
		case 'float':
		case 'number':
			return typeof value === 'number' && Number.isFinite(value)
				? undefined
				: 'Input should be a valid number';
		case 'boolean':
			return typeof value === 'boolean' ? undefined : 'Input should be a valid boolean';
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value)
				? undefined
				: 'Input should be a valid dictionary';
		case 'array':
			return Array.isArray(value) ? undefined : 'Input should be a valid list';
		case 'null':
			return value === null ? undefined : 'Input should be None';
		default:
			return undefined; // a type the emulator does not know either: anything goes
	}
}

/** A submit's body checked against the model's schema, pydantic-style. */
export function validateAgainstSchema(
	model: CatalogModel,
	body: Record<string, unknown>,
): Detail[] {
	const schema = model.input_schema as {
		required?: string[];
		properties?: Record<string, Record<string, unknown>>;
	} | null;
	if (!schema?.properties) return [];
	const details: Detail[] = [];
	for (const key of schema.required ?? []) {
		if (!(key in body))
			details.push({ loc: ['body', key], msg: 'Field required', type: 'missing' });
	}
	for (const [key, property] of Object.entries(schema.properties)) {
		if (!(key in body)) continue;
		const value = body[key];
		const types = ([] as unknown[]).concat(property.type ?? []).map(String);
		const problems = types.map((type) => typeProblem(type, value));
		const msg = types.length > 0 && problems.every(Boolean) ? problems[0] : undefined;
		const enumOk = !Array.isArray(property.enum) || property.enum.includes(value) || value === null;
		const n = value as number;
		const range =
			typeof value === 'number'
				? (typeof property.minimum === 'number' && n < property.minimum) ||
					(typeof property.maximum === 'number' && n > property.maximum)
				: false;
		if (msg) details.push({ loc: ['body', key], msg, type: 'type_error' });
		else if (!enumOk)
			details.push({
				loc: ['body', key],
				msg: `Input should be one of ${(property.enum as unknown[]).join(', ')}`,
				type: 'literal_error',
			});
		else if (range) details.push({ loc: ['body', key], msg: 'Input out of range', type: 'range' });
	}
	return details;
}

export const FILE_TYPES: Record<string, string> = {
	mp4: 'video/mp4',
	png: 'image/png',
	mp3: 'audio/mpeg',
};

/** The `output` of a finished job of this model: its files under `/files/`. */
export function outputFor(
	model: CatalogModel,
	base: string,
	jobId: string,
): Record<string, unknown> {
	const file = (suffix: string, ext: string) => `${base}/files/${jobId}${suffix}.${ext}`;
	switch (model.output) {
		case 'image':
			return { image: file('', 'png') };
		case 'images':
			return { images: [file('-0', 'png'), file('-1', 'png')] };
		case 'audio':
			return { audio: file('', 'mp3') };
		default:
			return { video: file('', 'mp4') };
	}
}

/** A small MP3-looking file: an ID3 header, then silence. */
export const TINY_MP3 = Buffer.concat([
	Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1'),
	Buffer.alloc(512),
]);

/** A `data:` URI input: base64, not empty, at most 6 MiB decoded (RunComfy's limit elsewhere). */
export function dataUriProblem(uri: string): string | undefined {
	const comma = uri.indexOf(',');
	if (comma < 0 || !uri.slice(0, comma).toLowerCase().split(';').includes('base64')) {
		return 'data URI must be base64-encoded';
	}
	const payload = uri.slice(comma + 1);
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) return 'data URI is not valid base64';
	const size = Buffer.byteLength(payload, 'base64');
	if (size === 0) return 'data URI is empty';
	return size > 6 * 1024 * 1024 ? 'data URI is larger than 6 MiB' : undefined;
}
