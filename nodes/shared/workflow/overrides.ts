import { isEmpty } from '../catalog/validate';
import type { Checked } from '../values';
import { checkWorkflowValue } from './checkValue';
import type { WorkflowInput } from './inputs';
import type { Overrides } from './overridesMap';
import { setOverride } from './overridesMap';

/**
 * The submit body's `overrides` from the resource mapper's values (keyed by field id): empty
 * values are not sent (the deployment's saved value applies), the rest checked first. Values may
 * hold ExactInteger: send the body as `jsonText`.
 */

export interface OverridesBody {
	overrides: Overrides;
}

function unknownFields(inputs: WorkflowInput[], values: Readonly<Record<string, unknown>>) {
	const known = new Set(inputs.map((input) => input.id));
	return Object.entries(values)
		.filter(([id, value]) => !known.has(id) && !isEmpty(value))
		.map(([id]) => `"${id}"`);
}

/** Every problem together, as the catalog's checkInputs reports them. */
export function buildOverrides(
	inputs: WorkflowInput[],
	values: Readonly<Record<string, unknown>>,
): Checked<OverridesBody> {
	const unknown = unknownFields(inputs, values);
	if (unknown.length > 0) {
		return {
			problem: `Inputs has ${unknown.join(', ')}, which this deployment does not take: refresh the inputs list (the deployment may have changed)`,
		};
	}
	const overrides: Overrides = {};
	const problems: string[] = [];
	for (const input of inputs) {
		const raw = values[input.id];
		if (isEmpty(raw)) continue;
		const checked = checkWorkflowValue(input.spec, raw);
		if ('problem' in checked) problems.push(checked.problem);
		else setOverride(overrides, input.nodeId, input.inputName, checked.value);
	}
	return problems.length > 0 ? { problem: problems.join('; ') } : { value: { overrides } };
}
