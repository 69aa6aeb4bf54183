/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run demo`: a Manual Trigger → RunComfy FusionX workflow run through n8n's engine.
 * Without RUNCOMFY_API_TOKEN it starts the embedded RunComfy emulator; with it, it calls the
 * live API (RUNCOMFY_IMAGE_URL is then required; RUNCOMFY_PROMPT and RUNCOMFY_BASE_URL optional).
 */
import { Workflow } from 'n8n-workflow';

import { RunComfyEmulator } from '../test/emulator/emulator';
import {
	cleanUpBinaryData,
	Engine,
	MANUAL_TRIGGER_TYPE,
	useBinaryMode,
} from '../test/harness/engine';

async function main() {
	const token = process.env.RUNCOMFY_API_TOKEN;
	let emulator: RunComfyEmulator | undefined;
	let baseUrl = process.env.RUNCOMFY_BASE_URL ?? 'https://model-api.runcomfy.net';
	let imageUrl = process.env.RUNCOMFY_IMAGE_URL ?? '';
	if (!token) {
		emulator = new RunComfyEmulator({ queueMs: 1000, durationMs: 4000 });
		baseUrl = await emulator.start();
		imageUrl = `${baseUrl}/images/start.png`;
		console.log(`No RUNCOMFY_API_TOKEN: using the embedded RunComfy emulator at ${baseUrl}`);
	} else if (!imageUrl) {
		throw new Error(
			'Set RUNCOMFY_IMAGE_URL to a public image URL to run the demo against the live API',
		);
	} else {
		console.log(`Using the live RunComfy API at ${baseUrl}`);
	}

	await useBinaryMode('filesystem');
	const engine = new Engine();
	engine.credentialsHelper.credentials = {
		runComfyApi: { apiToken: token ?? emulator!.token, baseUrl },
	};
	const trigger = 'When clicking ‘Execute workflow’';
	const workflow = new Workflow({
		id: 'demo',
		active: false,
		nodeTypes: engine.nodeTypes,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: '1',
				name: trigger,
				type: MANUAL_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '2',
				name: 'RunComfy FusionX',
				type: 'n8n-nodes-runcomfy.fusionX',
				typeVersion: 1,
				position: [220, 0],
				credentials: { runComfyApi: { id: '1', name: 'RunComfy account' } },
				parameters: {
					operation: 'generate',
					prompt:
						process.env.RUNCOMFY_PROMPT ??
						'The camera slowly pushes in while warm light sweeps across the scene, gentle wind, cinematic',
					imageUrl,
					options: { pollInterval: token ? 5 : 1 },
				},
			},
		],
		connections: { [trigger]: { main: [[{ node: 'RunComfy FusionX', type: 'main', index: 0 }]] } },
	});

	const started = Date.now();
	const result = await engine.execute(workflow, 'RunComfy FusionX', {}, trigger);
	await emulator?.stop();
	cleanUpBinaryData();
	if (result.error) {
		const { message, description } = result.error as { message: string; description?: string };
		console.error(`Failed: ${message}${description ? `\n${description}` : ''}`);
		process.exit(1);
	}
	const json = result.items[0].json;
	console.log(`request id: ${json.requestId}`);
	console.log(`status:     ${json.status}`);
	console.log(`video URL:  ${json.videoUrl}`);
	console.log(`seed:       ${json.seed}   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
