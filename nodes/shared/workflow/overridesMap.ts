/** The submit body's `overrides`: `{node id: {inputs: {name: value}}}`, built key by own key. */

export type Overrides = Record<string, { inputs: Record<string, unknown> }>;

const own = (record: object, key: string) => Object.prototype.hasOwnProperty.call(record, key);

export function setOverride(overrides: Overrides, nodeId: string, name: string, value: unknown) {
	if (!own(overrides, nodeId)) overrides[nodeId] = { inputs: {} };
	overrides[nodeId].inputs[name] = value;
}

/** The value set for a node's input, or undefined. */
export function overrideOf(overrides: Overrides, nodeId: string, name: string): unknown {
	const inputs = own(overrides, nodeId) ? overrides[nodeId].inputs : undefined;
	return inputs && own(inputs, name) ? inputs[name] : undefined;
}
