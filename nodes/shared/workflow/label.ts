import { fieldNote } from '../catalog/fields';
import { shown } from './shown';
import type { WorkflowSpec } from './spec';

/**
 * A workflow input's label, "KSampler › steps (node 3) (1–10000)", kept within
 * what n8n's resource mapper shows uncut (~40 characters): the hint shrinks, then goes, then the
 * node title is shortened. The whole hint is kept apart (`hintOf`) for a description or notice.
 */

export const LABEL_MAX = 40;

const length = (text: string) => [...text].length;

/** "Positive Prompt › text (node 6)": the name messages use. */
export function inputTitle(nodeTitle: string, inputName: string, nodeId: string): string {
	return `${nodeTitle} › ${inputName} (node ${nodeId})`;
}

function rangeOf(low: string | undefined, high: string | undefined): string | undefined {
	if (low !== undefined && high !== undefined) return `${low}–${high}`;
	if (low !== undefined) return `≥ ${low}`;
	if (high !== undefined) return `≤ ${high}`;
	return undefined;
}

/** The kind as a user reads it, without range: "whole number", "image URL", "JSON". */
function kindText(spec: WorkflowSpec): string | undefined {
	if (spec.upload) return `${spec.upload} URL`;
	if (spec.kind === 'integer') return 'whole number';
	if (spec.kind === 'json') return spec.jsonType === 'array' ? 'JSON list' : 'JSON';
	return undefined;
}

/** The label's hint, longest first: the catalog's note (range), the kind alone, nothing. */
function labelHints(spec: WorkflowSpec): string[] {
	const kind = kindText(spec);
	const detailed = spec.exact
		? ` (${['whole number', rangeOf(spec.exact.min, spec.exact.max)].filter(Boolean).join(' ')})`
		: spec.upload
			? ` (${kind})`
			: fieldNote(spec);
	return [...new Set([detailed, kind ? ` (${kind})` : '', ''])];
}

function shortened(text: string, room: number): string {
	const chars = [...text];
	return chars.length <= room ? text : `${chars.slice(0, Math.max(room - 1, 1)).join('')}…`;
}

/** The label shown in the mapper, at most LABEL_MAX characters when the names allow it. */
export function fieldLabel(
	spec: WorkflowSpec,
	parts: { nodeTitle: string; inputName: string; nodeId: string },
): string {
	const full = inputTitle(parts.nodeTitle, parts.inputName, parts.nodeId);
	for (const hint of labelHints(spec)) {
		if (length(full) + length(hint) <= LABEL_MAX) return `${full}${hint}`;
	}
	// Input name and node id say which input it is: the title gives way, down to a few letters.
	const rest = length(full) - length(parts.nodeTitle);
	const title = shortened(parts.nodeTitle, Math.max(LABEL_MAX - rest, 6));
	return inputTitle(title, parts.inputName, parts.nodeId);
}

function optionsText(options: ReadonlyArray<string | number | boolean>): string {
	const listed = options.slice(0, 5).map((option) => shown(option));
	return `one of ${listed.join(', ')}${options.length > 5 ? ` (${options.length} in all)` : ''}`;
}

function numberText(spec: WorkflowSpec): string | undefined {
	const low = spec.min ?? spec.exclusiveMin;
	const high = spec.max ?? spec.exclusiveMax;
	const range = rangeOf(low?.toString(), high?.toString());
	if (spec.kind === 'integer') return range ? `whole number ${range}` : 'whole number';
	return range ?? 'number';
}

function kindAndRange(spec: WorkflowSpec): string | undefined {
	if (spec.exact) {
		return ['whole number', rangeOf(spec.exact.min, spec.exact.max)].filter(Boolean).join(' ');
	}
	if (spec.upload) return `${spec.upload}: an http(s) URL or a data: URI`;
	switch (spec.kind) {
		case 'options':
			return optionsText(spec.options ?? []);
		case 'boolean':
			return 'true or false';
		case 'string':
			return spec.multiline ? 'multi-line text' : 'text';
		case 'integer':
		case 'number':
			return numberText(spec);
		default:
			return kindText(spec);
	}
}

/** The whole hint: "whole number 0–18446744073709551615, default 42", "0–100, step 0.5". */
export function hintOf(spec: WorkflowSpec): string {
	const parts = [kindAndRange(spec)];
	if (spec.step !== undefined) parts.push(`step ${spec.step}`);
	if (spec.hasDefault && spec.default !== null && !spec.upload) {
		parts.push(`default ${shown(spec.default)}`);
	}
	return parts.filter(Boolean).join(', ');
}
