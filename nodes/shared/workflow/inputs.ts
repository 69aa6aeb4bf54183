import { RESERVED_KEYS } from '../values';
import { fieldIdOf } from './fieldId';
import type { Raw, WorkflowGraph, WorkflowNode } from './graph';
import {
	compareNodeIds,
	isLink,
	isRecord,
	nodeOf,
	objectOf,
	ownValue,
	readGraph,
	titleOf,
} from './graph';
import { fieldLabel, hintOf, inputTitle } from './label';
import type { ObjectInfo } from './objectInfo';
import { displayNameOf, inputDefinition, readObjectInfo } from './objectInfo';
import type { Overrides } from './overridesMap';
import { overrideOf, setOverride } from './overridesMap';
import type { WorkflowSpec } from './spec';
import { describedSpec, guessedSpec } from './spec';

/**
 * A deployment's inputs, from its `payload` ({workflow_api_json, overrides, object_info_url}) and
 * ComfyUI's object_info when it could be read. `exposed`: the inputs the deployment's author
 * exposed (its overrides). `all`: those first, then every other literal input of the workflow.
 * Each group is in node id order (3, 10, 38, 38:42), each node's inputs in the workflow's order.
 * A link (`["4", 0]`) is never an input.
 */

export type InputMode = 'exposed' | 'all';

export interface WorkflowInput {
	/** The field id: node id and input name (fieldId.ts). */
	id: string;
	nodeId: string;
	inputName: string;
	/** '' when the workflow does not have the node. */
	classType: string;
	/** `_meta.title`, else object_info's display_name, else the class. */
	nodeTitle: string;
	/** The mapper's label, short enough not to be cut: "Positive Prompt › text (node 6)". */
	displayName: string;
	/** Everything the label can't hold: "whole number 0–18446744073709551615, default 42". */
	hint: string;
	/** key = id, title = "Positive Prompt › text (node 6)" (messages), default = the saved value. */
	spec: WorkflowSpec;
	/** One of the deployment's overrides; its value is the default. */
	exposed: boolean;
	/** object_info described its type; else it was guessed from the value. */
	described: boolean;
}

export interface Deployment {
	graph?: WorkflowGraph;
	/** The payload's overrides: what the author exposed, with the defaults. */
	exposed: Overrides;
	objectInfo?: ObjectInfo;
	/** Every input `all` offers, exposed ones first. */
	inputs: WorkflowInput[];
	/** Why no input can be listed. */
	problem?: string;
}

/** The payload's overrides, `{node: {inputs: {…}}}` (a flat `{node: {…}}` tolerated), links out. */
function readExposed(value: unknown, graph: WorkflowGraph | undefined): Overrides {
	const exposed: Overrides = {};
	for (const [nodeId, entry] of Object.entries(objectOf(value) ?? {})) {
		if (!isRecord(entry) || RESERVED_KEYS.has(nodeId)) continue;
		const inputs = isRecord(entry.inputs) ? entry.inputs : entry;
		for (const [name, given] of Object.entries(inputs)) {
			const saved = ownValue(nodeOf(graph, nodeId)?.inputs, name);
			if (RESERVED_KEYS.has(name) || isLink(given) || isLink(saved)) continue;
			setOverride(exposed, nodeId, name, given);
		}
	}
	return exposed;
}

interface Place {
	nodeId: string;
	inputName: string;
	value: unknown;
	exposed: boolean;
}

/** `_meta.title`, else object_info's display_name, else the class. */
export function nodeTitleOf(node: WorkflowNode | undefined, info: ObjectInfo | undefined): string {
	const classType = node?.class_type ?? '';
	return titleOf(node) ?? displayNameOf(info, classType) ?? (classType || 'Unknown node');
}

function describe(place: Place, node: WorkflowNode | undefined, info: ObjectInfo | undefined) {
	const { nodeId, inputName, value } = place;
	const classType = node?.class_type ?? '';
	const nodeTitle = nodeTitleOf(node, info);
	const id = fieldIdOf(nodeId, inputName);
	const title = inputTitle(nodeTitle, inputName, nodeId);
	const definition = inputDefinition(info, classType, inputName);
	const described = definition && describedSpec(id, title, definition, value);
	const spec = described ?? guessedSpec(id, title, inputName, value);
	const input: WorkflowInput = {
		id,
		nodeId,
		inputName,
		classType,
		nodeTitle,
		displayName: fieldLabel(spec, { nodeTitle, inputName, nodeId }),
		hint: hintOf(spec),
		spec,
		exposed: place.exposed,
		described: described !== undefined,
	};
	return input;
}

/** Node id order, then the node's own input order; places the workflow lacks keep theirs, last. */
function inOrder(places: Place[], graph: WorkflowGraph | undefined): Place[] {
	const rank = (place: Place) => {
		const names = Object.keys(nodeOf(graph, place.nodeId)?.inputs ?? {});
		const at = names.indexOf(place.inputName);
		return at === -1 ? names.length : at;
	};
	return [...places].sort((a, b) => compareNodeIds(a.nodeId, b.nodeId) || rank(a) - rank(b));
}

function literalPlaces(graph: WorkflowGraph, exposed: Overrides): Place[] {
	const places: Place[] = [];
	for (const [nodeId, node] of Object.entries(graph)) {
		if (RESERVED_KEYS.has(nodeId)) continue;
		for (const [inputName, value] of Object.entries(node.inputs)) {
			if (isLink(value) || RESERVED_KEYS.has(inputName)) continue;
			if (overrideOf(exposed, nodeId, inputName) !== undefined) continue;
			places.push({ nodeId, inputName, value, exposed: false });
		}
	}
	return places;
}

function problemOf(payload: Raw | undefined, graph: WorkflowGraph | undefined, exposed: Overrides) {
	if (!payload) return "the deployment's payload is missing (it is read with includes=payload)";
	if (!graph && Object.keys(exposed).length === 0) {
		return "the deployment's payload holds neither a readable workflow_api_json nor overrides";
	}
	return undefined;
}

/** The deployment's graph, exposed inputs and every input it offers; object_info may be absent. */
export function readDeployment(payload: unknown, objectInfo?: unknown): Deployment {
	const raw = objectOf(payload);
	const graph = readGraph(raw?.workflow_api_json);
	const exposed = readExposed(raw?.overrides, graph);
	const info = readObjectInfo(objectInfo);
	const exposedPlaces = Object.entries(exposed).flatMap(([nodeId, { inputs }]) =>
		Object.entries(inputs).map(([inputName, value]) => ({
			nodeId,
			inputName,
			value,
			exposed: true,
		})),
	);
	const places = [
		...inOrder(exposedPlaces, graph),
		...inOrder(graph ? literalPlaces(graph, exposed) : [], graph),
	];
	const deployment: Deployment = {
		exposed,
		inputs: places.map((place) => describe(place, nodeOf(graph, place.nodeId), info)),
	};
	if (graph) deployment.graph = graph;
	if (info) deployment.objectInfo = info;
	const problem = problemOf(raw, graph, exposed);
	if (problem) deployment.problem = problem;
	return deployment;
}

export interface WorkflowInputList {
	inputs: WorkflowInput[];
	/** Some types were guessed from the workflow's values (no object_info for them). */
	typesGuessed: boolean;
	/** No object_info at all. */
	objectInfoMissing: boolean;
	problem?: string;
}

/** The inputs a mode offers. */
export function workflowInputs(deployment: Deployment, mode: InputMode): WorkflowInputList {
	const inputs =
		mode === 'exposed' ? deployment.inputs.filter((input) => input.exposed) : deployment.inputs;
	const list: WorkflowInputList = {
		inputs,
		typesGuessed: inputs.some((input) => !input.described),
		objectInfoMissing: deployment.objectInfo === undefined,
	};
	if (deployment.problem) list.problem = deployment.problem;
	return list;
}

/** `workflowInputs(readDeployment(payload, objectInfo), mode)`. */
export function listWorkflowInputs(
	payload: unknown,
	objectInfo: unknown,
	mode: InputMode,
): WorkflowInputList {
	return workflowInputs(readDeployment(payload, objectInfo), mode);
}
