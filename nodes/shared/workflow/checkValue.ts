import { checkValue } from '../catalog/validate';
import type { Checked } from '../values';
import { checkExactInteger } from './exactCheck';
import { ExactInteger } from './exactInteger';
import { checkFileValue } from './fileValue';
import type { WorkflowSpec } from './spec';

/**
 * One value that is not empty, checked against a workflow input before anything is paid: the
 * catalog's checks (range, whole number, option list, true/false, JSON), plus files by URL and
 * exact 64-bit whole numbers. Each message names the input as the user sees it.
 */

function withinBounds(spec: WorkflowSpec, value: number): boolean {
	return (
		(spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max)
	);
}

/** An exact integer from JSON (Additional Overrides) against a number input's plain bounds. */
function checkExactAgainstPlain(spec: WorkflowSpec, raw: ExactInteger): Checked<unknown> {
	const numeric = spec.kind === 'integer' || spec.kind === 'number';
	// Past 2^53 and within the bounds only when a bound is missing: kept exact then.
	if (numeric && withinBounds(spec, Number(raw.digits))) return { value: raw };
	if (spec.kind === 'json' || spec.kind === 'unknown') return { value: raw };
	const checked = checkValue(spec, raw.digits);
	// The message shows the number as given, not as the text it was checked as.
	return 'problem' in checked
		? { problem: checked.problem.replace(`"${raw.digits}"`, raw.digits) }
		: checked;
}

export function checkWorkflowValue(spec: WorkflowSpec, raw: unknown): Checked<unknown> {
	if (spec.upload) return checkFileValue(spec, raw);
	if (spec.exact) return checkExactInteger(spec, raw);
	if (raw instanceof ExactInteger) return checkExactAgainstPlain(spec, raw);
	return checkValue(spec, raw);
}
