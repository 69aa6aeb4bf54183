/** One emulator and one engine per jest file, reset before each test. */
import type { IDataObject } from 'n8n-workflow';

import type { EmulatorOptions } from '../emulator/emulator';
import { RunComfyEmulator } from '../emulator/emulator';
import type { NodeSpec, RunOptions } from './engine';
import { cleanUpBinaryData, Engine, useBinaryMode } from './engine';

export function setUpEmulator(options: EmulatorOptions = { queueMs: 100, durationMs: 300 }) {
	const emulator = new RunComfyEmulator(options);
	const engine = new Engine();

	beforeAll(async () => {
		await emulator.start();
		await useBinaryMode('filesystem');
	});
	beforeEach(() => emulator.reset());
	afterAll(async () => {
		await emulator.stop();
		cleanUpBinaryData();
	});

	const credentials = () => ({ apiToken: emulator.token, baseUrl: emulator.baseUrl });
	const imageUrl = () => `${emulator.baseUrl}/images/start.png`;

	return {
		emulator,
		engine,
		credentials,
		imageUrl,
		/** Runs the FusionX node with the emulator's credentials. */
		run: async (
			parameters: IDataObject,
			options: RunOptions & { settings?: NodeSpec['settings'] } = {},
		) =>
			await engine.run(
				{ parameters, settings: options.settings },
				{ credentials: credentials(), ...options },
			),
		/** `generate` with the emulator's test image and a fast poll interval. */
		generate: (overrides: IDataObject = {}): IDataObject => ({
			operation: 'generate',
			prompt: 'A slow push-in on a lighthouse at dusk',
			imageUrl: imageUrl(),
			...overrides,
			options: { pollInterval: 1, ...((overrides.options as IDataObject) ?? {}) },
		}),
		submitted: () => emulator.requests.filter((request) => request.route === 'submit'),
	};
}
