import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { checkImageDataUri, megabytes } from './image';
import type { Checked, NumberRule } from '../../shared/values';
import { checkNumber, InputError, RESERVED_KEYS, show } from '../../shared/values';

/**
 * The one place that knows the API's input schema: the limits, the mapping from the node's
 * fields to RunComfy's `598_…` keys, and the validation. The UI fields read their limits from
 * here too, so a range is written once.
 */

export const RESOLUTIONS = [
	'480x480 (1:1)',
	'720x720 (1:1)',
	'480x720 (2:3)',
	'720x480 (3:2)',
	'540x960 (9:16)',
	'576x1024 (9:16)',
	'720x1280 (9:16)',
	'960x540 (16:9)',
	'1024x576 (16:9)',
	'1280x720 (16:9)',
] as const;

export const NUM_FRAMES = [81, 141] as const;

export const LIMITS = {
	frameRate: { min: 12, max: 24, default: 16 },
	steps: { min: 6, max: 20, default: 10 },
	guidanceScale: { min: 0.6, max: 2, default: 1 },
	shift: { min: 1, max: 15, default: 5 },
} as const;

/** RunComfy's request limit (its other endpoints; none is documented for this model). */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** Whole numbers that survive JSON: beyond 2^53 a seed would be sent as another number. */
const SEED_RANGE = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** Node field name, API key and the label the user sees in the UI. */
export const FIELDS = {
	prompt: { apiName: '600_prompt', label: 'Prompt' },
	imageUrl: { apiName: '608_image', label: 'Image URL' },
	resolution: { apiName: '602_widthx602_height', label: 'Resolution' },
	numFrames: { apiName: '602_num_frames', label: 'Number of Frames' },
	frameRate: { apiName: '609_frame_rate', label: 'Frames per Second' },
	seed: { apiName: '598_seed', label: 'Seed' },
	steps: { apiName: '598_steps', label: 'Steps' },
	guidanceScale: { apiName: '598_cfg', label: 'Guidance Scale' },
	shift: { apiName: '598_shift', label: 'Shift' },
} as const;

export type FieldName = keyof typeof FIELDS;

const typedKeys = new Set<string>(Object.values(FIELDS).map((field) => field.apiName));

/** A zod field from one of the pure checks; its message is the user's. */
function checked<T>(check: (raw: unknown) => Checked<T>) {
	return z.unknown().transform((raw, ctx) => {
		const result = check(raw);
		if ('value' in result) return result.value;
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.problem });
		return z.NEVER;
	});
}

const numeric = (label: string, rule: NumberRule) =>
	checked((raw) => checkNumber(label, raw, rule));

const PROMPT_REQUIRED = 'Prompt is required: describe the motion and scene to generate';

function checkPrompt(raw: unknown): Checked<string> {
	if (raw === undefined || raw === null) return { problem: PROMPT_REQUIRED };
	if (typeof raw !== 'string') return { problem: `Prompt must be text, got ${show(raw)}` };
	return raw.trim() === '' ? { problem: PROMPT_REQUIRED } : { value: raw.trim() };
}

/** An http(s) URL RunComfy's workers fetch, or a data: URI checked like a binary start frame. */
export function checkImageUrl(raw: unknown): Checked<string> {
	const label = FIELDS.imageUrl.label;
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		return { problem: `${label} is required: the start frame as a public http(s) URL` };
	}
	if (typeof raw !== 'string') {
		return { problem: `${label} must be text: a public http(s) URL, got ${show(raw)}` };
	}
	const value = raw.trim();
	if (/[\s\p{Cc}]/u.test(value)) {
		return {
			problem: `${label} can't contain spaces, line breaks or control characters (a space is %20 in a URL), got ${show(value)}`,
		};
	}
	if (/^data:/i.test(value)) return checkImageDataUri(value);
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		return {
			problem: `${label} must be a public http(s) URL of the start frame, got ${show(value)}`,
		};
	}
	if (url.username || url.password) {
		// Not echoed: it holds a password. A pre-signed URL keeps its secret in the query instead.
		return {
			problem: `${label} can't contain a user name or password (user:password@…): RunComfy's workers would receive them. Use a pre-signed URL instead.`,
		};
	}
	return { value };
}

/** The API's input, keyed as the API names it; messages name the fields as the UI shows them. */
export const apiInputSchema = z.object({
	[FIELDS.prompt.apiName]: checked(checkPrompt),
	[FIELDS.imageUrl.apiName]: checked(checkImageUrl),
	[FIELDS.resolution.apiName]: z.preprocess(
		// "1280x720" from a sheet means the one option of that size, "1280x720 (16:9)".
		(value) =>
			typeof value === 'string' && /^\s*\d+\s*x\s*\d+\s*$/i.test(value)
				? (RESOLUTIONS.find((option) =>
						option.startsWith(`${value.replace(/\s/g, '').toLowerCase()} `),
					) ?? value)
				: value,
		z
			.string({ message: `Resolution must be one of ${RESOLUTIONS.join(', ')}` })
			.refine((value) => (RESOLUTIONS as readonly string[]).includes(value), {
				message: `Resolution must be one of ${RESOLUTIONS.join(', ')}`,
			}),
	),
	[FIELDS.numFrames.apiName]: numeric(FIELDS.numFrames.label, { integer: true, oneOf: NUM_FRAMES }),
	[FIELDS.frameRate.apiName]: numeric(FIELDS.frameRate.label, {
		integer: true,
		...LIMITS.frameRate,
	}),
	[FIELDS.seed.apiName]: numeric(FIELDS.seed.label, {
		integer: true,
		...SEED_RANGE,
		quietRange: true,
		note: ' (-1 picks a random seed)',
	}),
	[FIELDS.steps.apiName]: numeric(FIELDS.steps.label, { integer: true, ...LIMITS.steps }),
	[FIELDS.guidanceScale.apiName]: numeric(FIELDS.guidanceScale.label, LIMITS.guidanceScale),
	[FIELDS.shift.apiName]: numeric(FIELDS.shift.label, LIMITS.shift),
});

export type FieldValues = Record<FieldName, unknown>;

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function parseAdditionalInputs(raw: unknown): IDataObject {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))
		return {};
	const value = typeof raw === 'string' ? parseJson(raw) : raw;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new InputError('Additional Inputs must be a JSON object, e.g. {"new_key": "value"}');
	}
	const keys = Object.keys(value);
	const reserved = keys.filter((key) => RESERVED_KEYS.has(key));
	if (reserved.length > 0) {
		throw new InputError(`Additional Inputs can't use the key ${reserved.join(', ')}`);
	}
	const clash = keys.filter((key) => typedKeys.has(key));
	if (clash.length > 0) {
		const names = clash.map(
			(key) => Object.values(FIELDS).find((field) => field.apiName === key)?.label ?? key,
		);
		throw new InputError(
			`Additional Inputs can't set ${clash.join(', ')}: use the ${names.join(', ')} field${names.length > 1 ? 's' : ''} instead`,
		);
	}
	return value as IDataObject;
}

/** A random seed the API accepts; the chosen value is echoed in the output. */
export function randomSeed(): number {
	return Math.floor(Math.random() * 2_147_483_647);
}

/**
 * Turns the node's field values into the API body, or throws an InputError that names the field
 * as the UI shows it. Nothing is sent before this passes.
 */
export function buildApiInput(fields: FieldValues, additionalInputs?: unknown): IDataObject {
	const body: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(FIELDS)) {
		body[field.apiName] = fields[name as FieldName];
	}
	const parsed = apiInputSchema.safeParse(body);
	if (!parsed.success) {
		throw new InputError(parsed.error.issues.map((issue) => issue.message).join('; '));
	}
	const input: IDataObject = { ...parseAdditionalInputs(additionalInputs), ...parsed.data };
	if (input[FIELDS.seed.apiName] === -1) input[FIELDS.seed.apiName] = randomSeed();
	const bytes = Buffer.byteLength(JSON.stringify(input));
	if (bytes > MAX_REQUEST_BYTES) {
		// A long prompt is fine; only a body RunComfy would refuse (after we paid nothing) is not.
		throw new InputError(
			`The request for this item would be ${megabytes(bytes)} MB; RunComfy accepts at most 64 MB: shorten the Prompt or the Additional Inputs`,
		);
	}
	return input;
}
