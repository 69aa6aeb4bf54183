import { setUpEmulator } from '../harness/context';

const t = setUpEmulator();

const cases: Array<[string, Record<string, unknown>, RegExp]> = [
	['empty prompt', { prompt: '  ' }, /^Prompt is required/],
	[
		'image URL empty from an expression',
		{ imageUrl: '={{ $json.missing }}' },
		/^Image URL is required/,
	],
	[
		'image URL that is not a URL',
		{ imageUrl: 'start.png' },
		/^Image URL must be a public http\(s\) URL.*"start\.png"/,
	],
	[
		'image URL with another scheme',
		{ imageUrl: 'ftp://example.com/a.png' },
		/^Image URL must be a public http\(s\) URL/,
	],
	[
		'resolution outside the list',
		{ resolution: '1920x1080 (16:9)' },
		/^Resolution must be one of 480x480 \(1:1\), .*1280x720 \(16:9\)$/,
	],
	[
		'number of frames other than 81/141',
		{ numFrames: 100 },
		/^Number of Frames must be 81 or 141, got 100$/,
	],
	[
		'frame rate too low',
		{ frameRate: 11 },
		/^Frames per Second must be between 12 and 24, got 11$/,
	],
	[
		'frame rate not whole',
		{ frameRate: 15.5 },
		/^Frames per Second must be a whole number between 12 and 24, got 15.5$/,
	],
	['steps too high', { steps: 50 }, /^Steps must be between 6 and 20, got 50$/],
	['steps too low', { steps: 5 }, /^Steps must be between 6 and 20, got 5$/],
	[
		'guidance scale too high',
		{ guidanceScale: 2.5 },
		/^Guidance Scale must be between 0.6 and 2, got 2.5$/,
	],
	[
		'guidance scale too low',
		{ guidanceScale: 0.5 },
		/^Guidance Scale must be between 0.6 and 2, got 0.5$/,
	],
	['shift too high', { shift: 16 }, /^Shift must be between 1 and 15, got 16$/],
	['shift too low', { shift: 0.5 }, /^Shift must be between 1 and 15, got 0.5$/],
	['seed not whole', { seed: 1.5 }, /^Seed must be a whole number, got 1.5$/],
	[
		'steps from an expression that is not a number',
		{ steps: '={{ "many" }}' },
		/^Steps must be an integer between 6 and 20, got "many"$/,
	],
	[
		'additional inputs not JSON',
		{ additionalInputs: '{nope' },
		/^Additional Inputs must be a JSON object/,
	],
	[
		'additional inputs an array',
		{ additionalInputs: '[1]' },
		/^Additional Inputs must be a JSON object/,
	],
	[
		'additional inputs overriding a typed field',
		{ additionalInputs: '{"598_steps": 30}' },
		/^Additional Inputs can't set 598_steps: use the Steps field instead$/,
	],
];

describe('validation happens before anything is paid for', () => {
	test.each(cases)('%s', async (_name, overrides, message) => {
		for (const operation of ['generate', 'submit']) {
			const result = await t.run(t.generate({ ...overrides, operation }));
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toMatch(message);
			expect((result.error as { description?: string }).description).toMatch(
				/Nothing was submitted/,
			);
		}
		expect(t.emulator.requests.filter((request) => request.route !== 'image')).toEqual([]);
	});

	test('one bad item stops the node before any job is submitted', async () => {
		const result = await t.run(t.generate({ steps: '={{ $json.steps }}' }), {
			items: [{ steps: 8 }, { steps: 8 }, { steps: 99 }],
		});
		expect(result.error?.message).toBe('Steps must be between 6 and 20, got 99');
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(2);
		expect(t.submitted()).toHaveLength(0);
	});

	test('with Continue On Fail the bad item becomes an error item and the others run', async () => {
		const result = await t.run(t.generate({ steps: '={{ $json.steps }}' }), {
			items: [{ steps: 8 }, { steps: 99 }, { steps: 7 }],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[1].json.error).toBe('Steps must be between 6 and 20, got 99');
		expect(result.items[1].json.requestId).toBeUndefined();
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[0].json.videoUrl).toEqual(expect.any(String));
		expect(result.items[2].json.videoUrl).toEqual(expect.any(String));
		expect(t.submitted()).toHaveLength(2);
	});

	test('look-up operations need a Request ID', async () => {
		for (const operation of ['getStatus', 'getResult', 'cancel', 'waitForCompletion']) {
			const result = await t.run({ operation, requestId: ' ' });
			expect(result.error?.message).toBe('Request ID is required');
		}
		expect(t.emulator.requests).toHaveLength(0);
	});
});
