/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions */
/**
 * The built package, loaded the way n8n loads a community package. Catches a missing dist file,
 * icon or codex that the source-level tests cannot see.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PackageDirectoryLoader } from 'n8n-core';
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { setUpEmulator } from '../harness/context';
import { Engine, FUSIONX_TYPE, RUNCOMFY_TYPE } from '../harness/engine';

const root = path.resolve(__dirname, '../..');
const t = setUpEmulator();
let loader: PackageDirectoryLoader;

beforeAll(async () => {
	if (!existsSync(path.join(root, 'dist/nodes/FusionX/FusionX.node.js')))
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
	loader = new PackageDirectoryLoader(root);
	await loader.loadAll();
}, 120_000);

describe('the built package', () => {
	test('n8n finds the node and the credential under their contract names', () => {
		expect(loader.packageName).toBe('n8n-nodes-runcomfy');
		expect(Object.keys(loader.nodeTypes)).toEqual(['fusionX', 'runComfy', 'runComfyTrigger']);
		expect(Object.keys(loader.credentialTypes)).toEqual(['runComfyApi']);
		const description = loader.types.nodes.find((node) => node.name === 'fusionX')!;
		expect(description).toMatchObject({
			displayName: 'RunComfy FusionX',
			version: 1,
			usableAsTool: true,
		});
		expect(description.properties.find((property) => property.name === 'operation')?.default).toBe(
			'generate',
		);
	});

	test('icons and codex are in dist and resolve to files', () => {
		const node = loader.types.nodes.find((description) => description.name === 'fusionX')!;
		const credential = loader.types.credentials.find((type) => type.name === 'runComfyApi')!;
		for (const icon of [node.iconUrl, credential.iconUrl]) {
			for (const file of Object.values(icon as Record<string, string>)) {
				expect(existsSync(path.join(root, file.replace(/^icons\/n8n-nodes-runcomfy\//, '')))).toBe(
					true,
				);
			}
		}
		const codex = JSON.parse(
			readFileSync(path.join(root, 'dist/nodes/FusionX/FusionX.node.json'), 'utf8'),
		);
		expect(codex.node).toBe(FUSIONX_TYPE);
		expect((node as unknown as { codex?: { categories?: string[] } }).codex?.categories).toEqual(
			codex.categories,
		);
	});

	test('a workflow runs with the loaded types', async () => {
		const engine = new Engine(
			{ [FUSIONX_TYPE]: loader.nodeTypes.fusionX.type as INodeType },
			{ runComfyApi: loader.credentialTypes.runComfyApi.type as ICredentialType },
		);
		const result = await engine.run({ parameters: t.generate() }, { credentials: t.credentials() });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.videoUrl).toEqual(expect.stringContaining('/files/'));
	});

	test('the RunComfy node loads with its codex, list search and resource mapper', async () => {
		const description = loader.types.nodes.find((node) => node.name === 'runComfy')!;
		expect(description).toMatchObject({ displayName: 'RunComfy', version: 1, usableAsTool: true });
		const codex = JSON.parse(
			readFileSync(path.join(root, 'dist/nodes/RunComfy/RunComfy.node.json'), 'utf8'),
		);
		expect(codex.node).toBe(RUNCOMFY_TYPE);
		const type = loader.nodeTypes.runComfy.type as INodeType;
		expect(Object.keys(type.methods?.listSearch ?? {})).toEqual([
			'searchModels',
			'searchDeployments',
		]);
		expect(Object.keys(type.methods?.resourceMapping ?? {})).toEqual([
			'getInputFields',
			'getWorkflowInputs',
		]);
		const engine = new Engine(
			{ [RUNCOMFY_TYPE]: type },
			{ runComfyApi: loader.credentialTypes.runComfyApi.type as ICredentialType },
		);
		const result = await engine.run(
			{
				type: RUNCOMFY_TYPE,
				name: 'RunComfy',
				parameters: {
					operation: 'run',
					model: { __rl: true, mode: 'id', value: 'blackforestlabs/flux-2/flash/text-to-image' },
					inputs: { mappingMode: 'defineBelow', value: { prompt: 'a fox' } },
					options: { pollInterval: 1 },
				},
			},
			{ credentials: t.credentials() },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.imageUrl).toEqual(expect.stringContaining('/files/'));
	});

	test('npm pack holds the built node, credential, icons and codex, and no tests', () => {
		const [pack] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: root,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			}),
		) as Array<{ files: Array<{ path: string }> }>;
		const files = pack.files.map((file) => file.path);
		expect(files).toEqual(
			expect.arrayContaining([
				'package.json',
				'README.md',
				'dist/nodes/FusionX/FusionX.node.js',
				'dist/nodes/FusionX/FusionX.node.json',
				'dist/nodes/RunComfy/RunComfy.node.js',
				'dist/nodes/RunComfy/RunComfy.node.json',
				'dist/credentials/RunComfyApi.credentials.js',
				'dist/icons/runcomfy.svg',
				'dist/icons/runcomfy.dark.svg',
				'dist/icons/fusionx.svg',
				'dist/icons/fusionx.dark.svg',
			]),
		);
		expect(files.filter((file) => /(^|\/)test\/|\.test\.|emulator|\.map$/.test(file))).toEqual([]);
	});
});
