import { RESERVED_KEYS } from '../values';
import { parseExactJson } from './exactJson';

/** A ComfyUI workflow in API format (`workflow_api_json`): nodes by id, each with its inputs. */

export interface WorkflowNode {
	class_type: string;
	inputs: Record<string, unknown>;
	_meta?: { title?: unknown };
}

export type WorkflowGraph = Record<string, WorkflowNode>;

export type Raw = Record<string, unknown>;

export const isRecord = (value: unknown): value is Raw =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A key's own value: a node id or input name like "toString" never reads Object.prototype. */
export function ownValue(record: Raw | undefined, key: string): unknown {
	return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export const nodeOf = (graph: WorkflowGraph | undefined, id: string) =>
	ownValue(graph as Raw | undefined, id) as WorkflowNode | undefined;

/** `[node_id, slot]`: the input is wired to another node's output, not a value. */
export function isLink(value: unknown): value is [string | number, number] {
	return (
		Array.isArray(value) &&
		value.length === 2 &&
		(typeof value[0] === 'string' || typeof value[0] === 'number') &&
		Number.isInteger(value[1]) &&
		(value[1] as number) >= 0
	);
}

/** An object, or JSON text of one (kept exact), else undefined. */
export function objectOf(value: unknown): Raw | undefined {
	if (typeof value !== 'string') return isRecord(value) ? value : undefined;
	try {
		const parsed = parseExactJson(value);
		return isRecord(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** The nodes that are readable (class_type and inputs); others are skipped, never a crash. */
export function readGraph(value: unknown): WorkflowGraph | undefined {
	const raw = objectOf(value);
	if (!raw) return undefined;
	const graph: WorkflowGraph = {};
	for (const [id, node] of Object.entries(raw)) {
		if (!isRecord(node) || typeof node.class_type !== 'string' || RESERVED_KEYS.has(id)) continue;
		graph[id] = {
			class_type: node.class_type,
			inputs: isRecord(node.inputs) ? node.inputs : {},
			...(isRecord(node._meta) ? { _meta: node._meta } : {}),
		};
	}
	return graph;
}

/** `_meta.title` when the workflow's author named the node. */
export function titleOf(node: WorkflowNode | undefined): string | undefined {
	const title = node?._meta?.title;
	return typeof title === 'string' && title.trim() ? title.trim() : undefined;
}

const NUMERIC = /^\d+$/;

/** Node ids in the order a user reads them: 3 < 10 < 38 < 38:42 < 39 (composite ids part by part). */
export function compareNodeIds(a: string, b: string): number {
	const left = a.split(':');
	const right = b.split(':');
	for (let index = 0; index < Math.min(left.length, right.length); index++) {
		const [x, y] = [left[index], right[index]];
		if (x === y) continue;
		if (NUMERIC.test(x) && NUMERIC.test(y)) {
			const [nx, ny] = [x.replace(/^0+(?=\d)/, ''), y.replace(/^0+(?=\d)/, '')];
			if (nx.length !== ny.length) return nx.length - ny.length;
			if (nx !== ny) return nx < ny ? -1 : 1;
			continue;
		}
		// Numbers before names; names in code-point order (the same everywhere).
		if (NUMERIC.test(x) !== NUMERIC.test(y)) return NUMERIC.test(x) ? -1 : 1;
		return x < y ? -1 : 1;
	}
	return left.length - right.length;
}
