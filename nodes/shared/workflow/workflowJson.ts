import { isEmpty } from '../catalog/validate';
import type { Checked } from '../values';
import { RESERVED_KEYS, show } from '../values';
import { parseExactJson } from './exactJson';
import type { Raw, WorkflowGraph } from './graph';
import { isLink, isRecord } from './graph';

/**
 * A whole workflow given inline (`workflow_api_json` in the submit body): ComfyUI's API format,
 * an object of nodes each with `class_type` and `inputs`, every link to a node it has. Big
 * integers are kept exact. The UI format (nodes and links lists) is named as such.
 */

const EXPORT = 'export it from ComfyUI with "Export (API)"';
const MAX_LISTED = 3;

function parsed(raw: unknown, label: string): Checked<unknown> {
	if (typeof raw !== 'string') return { value: raw };
	try {
		return { value: parseExactJson(raw) };
	} catch (error) {
		return { problem: `${label} is not valid JSON (${(error as Error).message})` };
	}
}

function nodeProblem(id: string, node: unknown): string | undefined {
	if (RESERVED_KEYS.has(id)) return `the node id "${id}" can't be used`;
	if (!isRecord(node)) return `node "${id}" is ${show(node)}, not an object`;
	if (typeof node.class_type !== 'string' || !node.class_type.trim()) {
		return `node "${id}" has no "class_type"`;
	}
	if (!isRecord(node.inputs)) return `node "${id}" (${node.class_type}) has no "inputs" object`;
	return undefined;
}

function linkProblems(graph: Record<string, Raw>): string[] {
	const problems: string[] = [];
	for (const [id, node] of Object.entries(graph)) {
		for (const [name, value] of Object.entries(node.inputs as Raw)) {
			if (isLink(value) && !Object.prototype.hasOwnProperty.call(graph, String(value[0]))) {
				problems.push(
					`"${name}" of node "${id}" links to node "${value[0]}", which the workflow does not have`,
				);
			}
		}
	}
	return problems;
}

function shapeProblem(value: unknown, label: string): string | undefined {
	if (!isRecord(value)) {
		return `${label} must be an object of nodes in ComfyUI's API format, got ${show(value)}: ${EXPORT}`;
	}
	if (Array.isArray(value.nodes) || Array.isArray(value.links)) {
		return `${label} is in ComfyUI's UI format (a list of nodes and links); the API takes the API format: ${EXPORT}`;
	}
	for (const wrapper of ['workflow_api_json', 'prompt']) {
		if (isRecord(value[wrapper]) && Object.keys(value).length === 1) {
			return `${label} is wrapped in "${wrapper}": give the object inside it`;
		}
	}
	if (Object.keys(value).length === 0) return `${label} has no nodes: ${EXPORT}`;
	return undefined;
}

function listed(problems: string[]): string {
	const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : '';
	return `${problems.slice(0, MAX_LISTED).join('; ')}${more}`;
}

/** The workflow to send, or one message that names what is wrong (at most 3 cases shown). */
export function checkWorkflowJson(raw: unknown, label = 'Workflow JSON'): Checked<WorkflowGraph> {
	if (isEmpty(raw)) return { problem: `${label} is empty: ${EXPORT} and paste it here` };
	const value = parsed(raw, label);
	if ('problem' in value) return value;
	const shape = shapeProblem(value.value, label);
	if (shape) return { problem: shape };
	const graph = value.value as Record<string, Raw>;
	const bad = Object.entries(graph)
		.map(([id, node]) => nodeProblem(id, node))
		.filter((problem): problem is string => problem !== undefined);
	if (bad.length > 0) {
		return {
			problem: `${label} must be an object of nodes, each with "class_type" and "inputs": ${listed(bad)}`,
		};
	}
	const links = linkProblems(graph);
	if (links.length > 0) return { problem: `${label} has a broken link: ${listed(links)}` };
	return { value: graph as unknown as WorkflowGraph };
}
