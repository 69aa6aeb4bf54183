/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The Deployment examples under examples/deployments/: their RunComfy nodes use the node's own
 * parameters, and run in the workflow's order against the emulator (scale up, one job per row,
 * scale back to zero once).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INode, IWorkflowBase } from 'n8n-workflow';

import { RunComfy } from '../../nodes/RunComfy/RunComfy.node';
import { DEPLOYMENT_T2I } from '../emulator/emulator';
import { RUNCOMFY_TYPE } from '../harness/engine';
import { setUpDeployments } from './deployment.helpers';

const t = setUpDeployments();
const dir = path.resolve(__dirname, '../../examples/deployments');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
const parameterNames = new Set(new RunComfy().description.properties.map((p) => p.name));

function runComfyChain(workflow: IWorkflowBase): INode[] {
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const targets = new Set(
		Object.values(workflow.connections).flatMap((c) => c.main.flat().map((link) => link!.node)),
	);
	let current = workflow.nodes.find((node) => !targets.has(node.name));
	const chain: INode[] = [];
	while (current) {
		if (current.type === RUNCOMFY_TYPE) chain.push(current);
		const next = workflow.connections[current.name]?.main?.[0]?.[0]?.node;
		current = next ? byName.get(next) : undefined;
	}
	return chain;
}

describe.each(files)('%s', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as IWorkflowBase;

	test('its RunComfy nodes use only the node parameters', () => {
		for (const node of runComfyChain(workflow)) {
			expect(Object.keys(node.parameters).filter((name) => !parameterNames.has(name))).toEqual([]);
		}
	});

	test('runs in order: scale up, one job per row, scale back to zero once', async () => {
		const rows: IDataObject[] = [{ prompt: 'a lighthouse at dusk' }, { prompt: 'a fox in snow' }];
		for (const [index, node] of runComfyChain(workflow).entries()) {
			const parameters = JSON.parse(
				JSON.stringify(node.parameters).replaceAll('YOUR-DEPLOYMENT-ID', DEPLOYMENT_T2I),
			) as IDataObject;
			if (parameters.options) {
				parameters.options = { ...(parameters.options as IDataObject), pollInterval: 1 };
			}
			// The first runs on the trigger's one item; Execute Once runs on the first item only.
			const items = index === 0 ? [{}] : node.executeOnce ? [rows[0]] : rows;
			const result = await t.run(parameters, { items });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(items.length);
		}
		const patches = t.routes('deployments').filter((request) => request.method === 'PATCH');
		expect(patches.map((request) => (request.body as IDataObject).min_instances)).toEqual([1, 0]);
		expect(t.emulator.serverless.jobs.size).toBe(rows.length);
	});
});
