import { isEmpty } from '../catalog/validate';
import type { Checked } from '../values';
import { RESERVED_KEYS, show } from '../values';
import { checkWorkflowValue } from './checkValue';
import { parseExactJson } from './exactJson';
import { fieldIdOf } from './fieldId';
import { isLink, isRecord, nodeOf, ownValue } from './graph';
import type { Deployment, WorkflowInput } from './inputs';
import { nodeTitleOf } from './inputs';
import { inputTitle } from './label';
import { inputDefinition } from './objectInfo';
import type { OverridesBody } from './overrides';
import type { Overrides } from './overridesMap';
import { overrideOf, setOverride } from './overridesMap';
import type { WorkflowSpec } from './spec';
import { describedSpec } from './spec';

/**
 * Additional Overrides (JSON): inputs the mapper does not offer, in the API's own shape
 * `{"6": {"inputs": {"text": "…"}}}` or flat `{"6": {"text": "…"}}` (a node entry is the API
 * shape when its only key is "inputs" holding an object). As with the catalog's Additional
 * Inputs, it may not set what a mapped field sets ("keep one"). Node ids and inputs the workflow
 * lacks, and links, are refused by name; the rest is checked like a mapped value.
 */

const LABEL = 'Additional Overrides';
const EXAMPLE = '{"6": {"inputs": {"text": "a red fox"}}}';

interface Entry {
	nodeId: string;
	name: string;
	value: unknown;
}

function parseText(raw: unknown): Checked<unknown> {
	if (typeof raw !== 'string') return { value: raw };
	try {
		return { value: parseExactJson(raw) };
	} catch (error) {
		return {
			problem: `${LABEL} is not valid JSON (${(error as Error).message}): give an object like ${EXAMPLE}`,
		};
	}
}

function inputsOf(nodeId: string, entry: unknown): Checked<Record<string, unknown>> {
	if (!isRecord(entry)) {
		return {
			problem: `${LABEL}: node "${nodeId}" must be an object of inputs like {"inputs": {"text": "…"}}, got ${show(entry)}`,
		};
	}
	const keys = Object.keys(entry);
	const nested = keys.length === 1 && keys[0] === 'inputs' && isRecord(entry.inputs);
	return { value: nested ? (entry.inputs as Record<string, unknown>) : entry };
}

/** The entries of Additional Overrides, in their order; only the shape is checked here. */
export function parseAdditionalOverrides(raw: unknown): Checked<Entry[]> {
	if (isEmpty(raw)) return { value: [] };
	const parsed = parseText(raw);
	if ('problem' in parsed) return parsed;
	const value = parsed.value;
	if (!isRecord(value)) {
		return {
			problem: `${LABEL} must be a JSON object of node ids like ${EXAMPLE}, got ${show(value)}`,
		};
	}
	if ('overrides' in value || 'workflow_api_json' in value) {
		return { problem: `${LABEL} takes what goes inside "overrides", by node id: ${EXAMPLE}` };
	}
	const entries: Entry[] = [];
	for (const [nodeId, entry] of Object.entries(value)) {
		const inputs = inputsOf(nodeId, entry);
		if ('problem' in inputs) return inputs;
		for (const [name, given] of Object.entries(inputs.value)) {
			if (RESERVED_KEYS.has(nodeId) || RESERVED_KEYS.has(name)) {
				return {
					problem: `${LABEL} can't use the key ${RESERVED_KEYS.has(nodeId) ? nodeId : name}`,
				};
			}
			entries.push({ nodeId, name, value: given });
		}
	}
	return { value: entries };
}

function listed(names: string[]): string {
	const shown = names.slice(0, 12).join(', ');
	return names.length > 12 ? `${shown}, … (${names.length} in all)` : shown;
}

/** The spec an entry is checked against, or why the workflow can't take it. */
function specFor(
	deployment: Deployment,
	byId: Map<string, WorkflowInput>,
	entry: Entry,
): Checked<WorkflowSpec | undefined> {
	const { graph } = deployment;
	const { nodeId, name } = entry;
	// Without the workflow nothing can be judged: sent as given, as Additional Inputs are.
	if (!graph) return { value: byId.get(fieldIdOf(nodeId, name))?.spec };
	const node = nodeOf(graph, nodeId);
	if (!node) {
		return {
			problem: `${LABEL} names node "${nodeId}", which the deployment's workflow does not have; its nodes are ${listed(Object.keys(graph))}`,
		};
	}
	const where = `node ${nodeId} (${node.class_type})`;
	const saved = ownValue(node.inputs, name);
	if (isLink(saved)) {
		return {
			problem: `${LABEL} can't set "${name}" of ${where}: it is a link from node ${saved[0]}, not a value`,
		};
	}
	const known = byId.get(fieldIdOf(nodeId, name));
	if (known) return { value: known.spec };
	// An optional input the workflow leaves out, still defined by object_info.
	const definition = inputDefinition(deployment.objectInfo, node.class_type, name);
	const title = inputTitle(nodeTitleOf(node, deployment.objectInfo), name, nodeId);
	const spec = definition && describedSpec(fieldIdOf(nodeId, name), title, definition, undefined);
	if (spec) return { value: spec };
	if (definition) {
		return {
			problem: `${LABEL} can't set "${name}" of ${where}: it takes a link (${String(definition.type)}), not a value`,
		};
	}
	return {
		problem: `${LABEL} names input "${name}" of ${where}, which it does not have; its inputs are ${listed(Object.keys(node.inputs))}`,
	};
}

/**
 * The mapped overrides with Additional Overrides added, every entry checked; all problems
 * together. `deployment.inputs` (every input of `all` mode) gives each known input its checks.
 */
export function mergeAdditionalOverrides(
	deployment: Deployment,
	body: OverridesBody,
	raw: unknown,
): Checked<OverridesBody> {
	const parsed = parseAdditionalOverrides(raw);
	if ('problem' in parsed) return parsed;
	const byId = new Map(deployment.inputs.map((input) => [input.id, input]));
	const overrides: Overrides = {};
	for (const [nodeId, { inputs }] of Object.entries(body.overrides)) {
		for (const [name, value] of Object.entries(inputs)) setOverride(overrides, nodeId, name, value);
	}
	const problems: string[] = [];
	const clashes: string[] = [];
	for (const entry of parsed.value) {
		const spec = specFor(deployment, byId, entry);
		if ('problem' in spec) {
			problems.push(spec.problem);
			continue;
		}
		if (overrideOf(body.overrides, entry.nodeId, entry.name) !== undefined) {
			clashes.push(spec.value?.title ?? `"${entry.name}" of node ${entry.nodeId}`);
			continue;
		}
		const checked = spec.value
			? checkWorkflowValue(spec.value, entry.value)
			: { value: entry.value };
		if ('problem' in checked) problems.push(`${LABEL}: ${checked.problem}`);
		else setOverride(overrides, entry.nodeId, entry.name, checked.value);
	}
	if (clashes.length > 0) {
		problems.unshift(
			`${LABEL} sets ${clashes.join(', ')}, which the Inputs above set too: keep one`,
		);
	}
	return problems.length > 0 ? { problem: problems.join('; ') } : { value: { overrides } };
}
