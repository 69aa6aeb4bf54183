/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console */
import { RunComfyEmulator } from '../emulator/emulator';
import { Engine, generateParams, useBinaryMode } from '../harness/engine';

const emulator = new RunComfyEmulator({ queueMs: 100, durationMs: 300 });
const engine = new Engine();

beforeAll(async () => {
	await emulator.start();
	await useBinaryMode('filesystem');
});
afterAll(async () => await emulator.stop());

test('smoke', async () => {
	const result = await engine.run(
		{ parameters: generateParams({ imageUrl: `${emulator.baseUrl}/images/start.png` }) },
		{ credentials: { apiToken: emulator.token, baseUrl: emulator.baseUrl } },
	);
	console.log(JSON.stringify(result.items, null, 1), result.error);
	expect(result.items).toHaveLength(1);
});
