import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

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

/** Documented for images; data URIs follow RunComfy's other endpoints (6 MiB). */
export const MAX_DATA_URI_IMAGE_BYTES = 6 * 1024 * 1024;

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

/** Accepts numbers and numeric strings (a sheet or an expression often yields "8"). */
function numeric(label: string, integer: boolean, min?: number, max?: number) {
	const range = min !== undefined && max !== undefined ? ` between ${min} and ${max}` : '';
	return z.preprocess(
		(value) =>
			typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
				? Number(value)
				: value,
		z.unknown().superRefine((value, ctx) => {
			const shown = JSON.stringify(value) ?? String(value);
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: `${label} must be a${integer ? 'n integer' : ' number'}${range}, got ${shown}`,
				});
			} else if (integer && !Number.isInteger(value)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: `${label} must be a whole number${range}, got ${shown}`,
				});
			} else if (min !== undefined && max !== undefined && (value < min || value > max)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: `${label} must be${range}, got ${shown}`,
				});
			}
		}),
	) as z.ZodType<number>;
}

function httpUrl(label: string) {
	return z
		.string({ message: `${label} is required: the start frame as a public http(s) URL` })
		.superRefine((value, ctx) => {
			if (value.startsWith('data:image/')) return; // built by the node from binary input
			let url: URL | undefined;
			try {
				url = new URL(value.trim());
			} catch {
				url = undefined;
			}
			if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: `${label} must be a public http(s) URL of the start frame, got ${JSON.stringify(value.slice(0, 100))}`,
				});
			}
		});
}

/** The API's input, keyed as the API names it; messages name the fields as the UI shows them. */
export const apiInputSchema = z.object({
	[FIELDS.prompt.apiName]: z
		.string({ message: 'Prompt is required: describe the motion and scene to generate' })
		.trim()
		.min(1, 'Prompt is required: describe the motion and scene to generate'),
	[FIELDS.imageUrl.apiName]: httpUrl(FIELDS.imageUrl.label),
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
	[FIELDS.numFrames.apiName]: numeric(FIELDS.numFrames.label, true).refine(
		(value) => (NUM_FRAMES as readonly number[]).includes(value),
		(value) => ({ message: `Number of Frames must be 81 or 141, got ${value}` }),
	),
	[FIELDS.frameRate.apiName]: numeric(
		FIELDS.frameRate.label,
		true,
		LIMITS.frameRate.min,
		LIMITS.frameRate.max,
	),
	[FIELDS.seed.apiName]: numeric(FIELDS.seed.label, true),
	[FIELDS.steps.apiName]: numeric(FIELDS.steps.label, true, LIMITS.steps.min, LIMITS.steps.max),
	[FIELDS.guidanceScale.apiName]: numeric(
		FIELDS.guidanceScale.label,
		false,
		LIMITS.guidanceScale.min,
		LIMITS.guidanceScale.max,
	),
	[FIELDS.shift.apiName]: numeric(FIELDS.shift.label, false, LIMITS.shift.min, LIMITS.shift.max),
});

export type FieldValues = Record<FieldName, unknown>;

export class InputError extends Error {}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function parseAdditionalInputs(raw: unknown): IDataObject {
	if (raw === undefined || raw === null || raw === '') return {};
	const value = typeof raw === 'string' ? parseJson(raw) : raw;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new InputError('Additional Inputs must be a JSON object, e.g. {"new_key": "value"}');
	}
	const clash = Object.keys(value).filter((key) => typedKeys.has(key));
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
	input[FIELDS.imageUrl.apiName] = String(input[FIELDS.imageUrl.apiName]).trim();
	return input;
}
