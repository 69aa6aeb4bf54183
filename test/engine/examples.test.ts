/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The ready-made workflows under examples/: they parse, use only real node types and this
 * package's contract names, and their FusionX nodes run against the emulator.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INode, IWorkflowBase } from 'n8n-workflow';

import { FusionX } from '../../nodes/FusionX/FusionX.node';
import { TINY_PNG } from '../emulator/emulator';
import { setUpEmulator } from '../harness/context';
import { FUSIONX_TYPE } from '../harness/engine';
import { until } from '../harness/wait';

const t = setUpEmulator({ queueMs: 50, durationMs: 200, videoBytes: 100_000 });
const dir = path.resolve(__dirname, '../../examples');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

/** n8n 2.41 built-in node types (and versions) the examples may use. */
const BUILT_IN: Record<string, number[]> = {
	'n8n-nodes-base.scheduleTrigger': [1, 1.1, 1.2],
	'n8n-nodes-base.googleSheets': [4, 4.1, 4.2, 4.3, 4.4, 4.5],
	'n8n-nodes-base.awsS3': [1, 2],
	'n8n-nodes-base.formTrigger': [2, 2.1, 2.2],
	'n8n-nodes-base.form': [1],
	'n8n-nodes-base.wait': [1, 1.1],
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.noOp': [1],
};

const description = new FusionX().description;
const parameterNames = new Set(description.properties.map((property) => property.name));
const optionNames = new Set(
	(description.properties.find((property) => property.name === 'options')?.options ?? []).map(
		(option) => (option as { name: string }).name,
	),
);
const operations = new Set(
	(description.properties.find((property) => property.name === 'operation')?.options ?? []).map(
		(option) => (option as { value: string }).value,
	),
);

/** What the upstream nodes would hand to the first FusionX node, with the emulator's image. */
const upstream: Record<
	string,
	{
		items: IDataObject[];
		binary?: Array<{ property: string; base64: string; mimeType: string; fileName: string }>;
	}
> = {
	'schedule-prompts-to-s3.json': {
		items: [
			{ prompt: 'A fox runs through snow', image_url: 'IMAGE' },
			{ prompt: 'Neon rain on a city street', image_url: 'IMAGE' },
		],
	},
	'form-image-to-video.json': {
		items: [{ Prompt: 'The statue slowly turns its head' }],
		binary: [
			{
				property: 'Image',
				base64: TINY_PNG.toString('base64'),
				mimeType: 'image/png',
				fileName: 'a.png',
			},
		],
	},
	'submit-wait-resume.json': { items: [{}] },
	'submit-park-check.json': { items: [{}, {}] },
};

function fusionXChain(workflow: IWorkflowBase): INode[] {
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const targets = new Set(
		Object.values(workflow.connections).flatMap((connection) =>
			connection.main.flat().map((link) => link!.node),
		),
	);
	let current = workflow.nodes.find((node) => !targets.has(node.name));
	const chain: INode[] = [];
	while (current) {
		if (current.type === FUSIONX_TYPE) chain.push(current);
		const next = workflow.connections[current.name]?.main?.[0]?.[0]?.node;
		current = next ? byName.get(next) : undefined;
	}
	return chain;
}

test('there are ready-made workflows', () => {
	expect(files.sort()).toEqual(Object.keys(upstream).sort());
});

describe.each(files)('%s', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as IWorkflowBase;

	test('uses only real node types and the package contract names', () => {
		for (const node of workflow.nodes) {
			if (node.type === FUSIONX_TYPE) {
				expect(node.typeVersion).toBe(1);
				expect(Object.keys(node.parameters).filter((name) => !parameterNames.has(name))).toEqual(
					[],
				);
				expect(operations.has(node.parameters.operation as string)).toBe(true);
				const options = Object.keys((node.parameters.options as IDataObject) ?? {});
				expect(options.filter((name) => !optionNames.has(name))).toEqual([]);
				expect(Object.keys(node.credentials ?? {})).toEqual(['runComfyApi']);
			} else {
				expect(BUILT_IN[node.type]).toContain(node.typeVersion);
			}
		}
		for (const [source, connection] of Object.entries(workflow.connections)) {
			expect(workflow.nodes.some((node) => node.name === source)).toBe(true);
			for (const link of connection.main.flat())
				expect(workflow.nodes.some((node) => node.name === link!.node)).toBe(true);
		}
	});

	test('its FusionX part runs against the emulator', async () => {
		const chain = fusionXChain(workflow);
		expect(chain.length).toBeGreaterThan(0);
		const fixture = upstream[file];
		let items = fixture.items.map((item) =>
			Object.fromEntries(
				Object.entries(item).map(([key, value]) => [key, value === 'IMAGE' ? t.imageUrl() : value]),
			),
		);
		let binary = fixture.binary;
		for (const node of chain) {
			const parameters = { ...node.parameters } as IDataObject;
			if (typeof parameters.imageUrl === 'string' && !parameters.imageUrl.startsWith('='))
				parameters.imageUrl = t.imageUrl();
			parameters.options = { ...(parameters.options as IDataObject), pollInterval: 1 };
			const result =
				parameters.operation === 'checkJob'
					? await checkUntilCompleted(parameters, items)
					: await t.run(parameters, { items, binary });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(items.length);
			items = result.items.map((item) => item.json);
			binary = undefined;
			if (parameters.operation !== 'submit') {
				expect(result.items.every((item) => typeof item.json.videoUrl === 'string')).toBe(true);
				if ((parameters.options as IDataObject).download) {
					expect(result.items.every((item) => item.binary?.data?.mimeType === 'video/mp4')).toBe(
						true,
					);
				}
			}
		}
		expect(t.emulator.jobs.size).toBe(fixture.items.length);
	});
});

/** Check Job as the park-and-check loop runs it: Still Running items come back until done. */
async function checkUntilCompleted(parameters: IDataObject, items: IDataObject[]) {
	for (;;) {
		const result = await t.run(parameters, { items });
		const [completed, running] = result.outputs;
		if (completed.length === items.length) return result;
		expect(completed.length + running.length).toBe(items.length);
		for (const item of running) {
			expect(Date.parse(String(item.json.checkAgainAt)) - Date.now()).toBeGreaterThan(60_000);
		}
		await until(() => [...t.emulator.jobs.values()].some((job) => job.status === 'completed'));
	}
}
