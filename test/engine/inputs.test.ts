/**
 * Bad input of every kind is refused with the field's UI name before anything reaches RunComfy:
 * each case runs through n8n's engine and checks that the emulator received nothing.
 */
import type { IDataObject } from 'n8n-workflow';

import { TINY_PNG } from '../emulator/emulator';
import { setUpEmulator } from '../harness/context';

const t = setUpEmulator({ queueMs: 50, durationMs: 100 });

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
const dataUri = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;
const file = (bytes: Buffer, mimeType: string, property = 'data') => ({
	property,
	base64: bytes.toString('base64'),
	mimeType,
	fileName: 'start',
});

type Result = Awaited<ReturnType<typeof t.run>>;

function expectRefused(result: Result, message: string | RegExp, description = /Nothing was/) {
	expect(result.error?.name).toBe('NodeOperationError');
	if (typeof message === 'string') expect(result.error?.message).toBe(message);
	else expect(result.error?.message).toMatch(message);
	expect((result.error as { description?: string }).description).toMatch(description);
}

/** Runs Generate Video and Submit Job with `overrides`; both must refuse and send nothing. */
async function expectBothRefuse(
	overrides: IDataObject,
	message: string | RegExp,
	options: Parameters<typeof t.run>[1] = {},
) {
	for (const operation of ['generate', 'submit']) {
		expectRefused(await t.run(t.generate({ ...overrides, operation }), options), message);
	}
	expect(t.emulator.requests.filter((request) => request.route !== 'image')).toEqual([]);
}

describe('1. a data: URI typed into Image URL is checked like a binary start frame', () => {
	test.each([
		[
			'an SVG',
			dataUri('image/svg+xml', SVG),
			'The data: URI in Image URL holds image/svg+xml: only PNG, JPEG or WebP start frames are allowed',
		],
		[
			'7 MB',
			dataUri('image/png', Buffer.concat([TINY_PNG, Buffer.alloc(7 * 1024 * 1024)])),
			'The data: URI in Image URL is 7.1 MB; images sent as data: URIs may be at most 6 MB. Use a smaller image or a hosted URL.',
		],
		[
			'text labelled PNG',
			dataUri('image/png', Buffer.from('this is not an image')),
			'The data: URI in Image URL is labelled image/png but its content is not a PNG, JPEG or WebP image',
		],
		[
			'invalid base64',
			'data:image/png;base64,iVBORw0KGgo!!!',
			'The data: URI in Image URL is not valid base64 after "base64,"',
		],
		[
			'empty',
			'data:image/png;base64,',
			'The data: URI in Image URL is empty (0 bytes): use a PNG, JPEG or WebP start frame',
		],
	])('%s is refused', async (_name, imageUrl, message) => {
		await expectBothRefuse({ imageUrl }, message);
	});

	test('a good one is sent with the type its bytes have', async () => {
		const result = await t.run(t.generate({ imageUrl: dataUri('image/png', JPEG) }));
		expect(result.error).toBeUndefined();
		expect((t.submitted()[0].body as IDataObject)['608_image']).toBe(dataUri('image/jpeg', JPEG));
	});
});

describe('2. a binary start frame must really be PNG, JPEG or WebP', () => {
	test.each([
		[
			'an SVG',
			file(SVG, 'image/svg+xml'),
			'Input Binary Field "data" holds image/svg+xml: only PNG, JPEG or WebP start frames are allowed',
		],
		[
			'a HEIC',
			file(Buffer.from('\0\0\0\x18ftypheic'), 'image/heic'),
			'Input Binary Field "data" holds image/heic: only PNG, JPEG or WebP start frames are allowed',
		],
		[
			'a text file labelled PNG',
			file(Buffer.from('this is not an image'), 'image/png'),
			'Input Binary Field "data" is labelled image/png but its content is not a PNG, JPEG or WebP image',
		],
		[
			'an empty file',
			file(Buffer.alloc(0), 'image/png'),
			'Input Binary Field "data" is empty (0 bytes): use a PNG, JPEG or WebP start frame',
		],
	])('%s is refused', async (_name, binary, message) => {
		await expectBothRefuse({ imageSource: 'binary' }, message, { binary: [binary] });
	});

	test('a JPEG labelled PNG is sent as the JPEG it is', async () => {
		const result = await t.run(t.generate({ imageSource: 'binary' }), {
			binary: [file(JPEG, 'image/png')],
		});
		expect(result.error).toBeUndefined();
		expect((t.submitted()[0].body as IDataObject)['608_image']).toBe(dataUri('image/jpeg', JPEG));
	});
});

describe('3. Seed must survive JSON', () => {
	const range =
		'Seed must be between -9007199254740991 and 9007199254740991 (-1 picks a random seed)';
	test.each([
		['1e20', '={{ 1e20 }}', `${range}, got 100000000000000000000`],
		['1e300', '={{ 1e300 }}', `${range}, got 1e+300`],
		['2^53', '={{ 2 ** 53 }}', `${range}, got 9007199254740992`],
		['a 20-digit text', '={{ "12345678901234567890" }}', `${range}, got "12345678901234567890"`],
	])('%s is refused', async (_name, seed, message) => {
		await expectBothRefuse({ seed }, message);
	});

	test('the largest safe seed is sent as it is', async () => {
		const result = await t.run(t.generate({ seed: Number.MAX_SAFE_INTEGER, operation: 'submit' }));
		expect(result.error).toBeUndefined();
		expect((t.submitted()[0].body as IDataObject)['598_seed']).toBe(Number.MAX_SAFE_INTEGER);
	});
});

describe('4. Image URL: no whitespace inside, no user:password@', () => {
	test.each([
		[
			'a newline',
			(url: string) => `${url}\nhttps://example.com/other.png`,
			/^Image URL can't contain spaces, line breaks or control characters \(a space is %20 in a URL\), got ".*\\n/,
		],
		[
			'a space',
			(url: string) => url.replace('start', 'start frame'),
			/^Image URL can't contain spaces, line breaks/,
		],
		[
			'a tab',
			(url: string) => url.replace('start', 'start\t'),
			/^Image URL can't contain spaces, line breaks/,
		],
		[
			'credentials',
			(url: string) => url.replace('http://', 'http://user:hunter2@'),
			"Image URL can't contain a user name or password (user:password@…): RunComfy's workers would receive them. Use a pre-signed URL instead.",
		],
	])('%s is refused', async (_name, change, message) => {
		await expectBothRefuse({ imageUrl: change(t.imageUrl()) }, message);
	});

	test('the user name and password are not echoed in the message', async () => {
		const imageUrl = t.imageUrl().replace('http://', 'http://user:hunter2@');
		const result = await t.run(t.generate({ imageUrl }));
		const { message, description } = result.error as { message: string; description?: string };
		expect(`${message} ${description}`).not.toContain('hunter2');
	});

	test('a pre-signed URL with its secret in the query, and blanks around it, is fine', async () => {
		const signed = `${t.imageUrl()}?X-Amz-Credential=AKIA%2F20250101&X-Amz-Signature=abc123`;
		const result = await t.run(t.generate({ imageUrl: `  ${signed}\n`, operation: 'submit' }));
		expect(result.error).toBeUndefined();
		expect((t.submitted()[0].body as IDataObject)['608_image']).toBe(signed);
	});
});

describe('5. binary field names', () => {
	test.each([
		['__proto__', `Put Output in Field can't be "__proto__": pick another name, e.g. "data"`],
		['constructor', `Put Output in Field can't be "constructor": pick another name, e.g. "data"`],
		['prototype', `Put Output in Field can't be "prototype": pick another name, e.g. "data"`],
		['={{ "" }}', 'Put Output in Field is empty: give the binary field a name, e.g. "data"'],
		[
			'my video',
			'Put Output in Field may only contain letters, digits, "_", "-" and ".", got "my video"',
		],
	])('Put Output in Field %j is refused', async (binaryPropertyName, message) => {
		const options = { download: true, binaryPropertyName };
		expectRefused(await t.run(t.generate({ options })), message);
		expectRefused(await t.run({ operation: 'getResult', requestId: 'abc', options }), message);
		expectRefused(
			await t.run({ operation: 'waitForCompletion', requestId: 'abc', options }),
			message,
		);
		expect(t.emulator.requests).toEqual([]);
	});

	test('without Download Video the name is not used, so not checked', async () => {
		const result = await t.run(t.generate({ options: { binaryPropertyName: '__proto__' } }));
		expect(result.error).toBeUndefined();
	});

	test.each([
		['__proto__', `Input Binary Field can't be "__proto__": pick another name, e.g. "data"`],
		['constructor', `Input Binary Field can't be "constructor": pick another name, e.g. "data"`],
		['={{ "" }}', 'Input Binary Field is empty: give the binary field a name, e.g. "data"'],
		[
			'my photo',
			'Input Binary Field may only contain letters, digits, "_", "-" and ".", got "my photo"',
		],
	])('Input Binary Field %j is refused', async (imageBinaryProperty, message) => {
		await expectBothRefuse({ imageSource: 'binary', imageBinaryProperty }, message, {
			binary: [file(TINY_PNG, 'image/png')],
		});
	});
});

describe('6. Request ID must be one RunComfy could have returned', () => {
	const lookUps = ['getStatus', 'getResult', 'cancel', 'waitForCompletion'];
	const hint = /Submit Job returned.*Nothing was sent to RunComfy/;
	test.each([
		['an object', '={{ { id: "abc" } }}', 'Request ID must be text, got an object'],
		['an array', '={{ ["abc"] }}', 'Request ID must be text, got an array'],
		['"."', '.', `Request ID can't be "." or ".." or contain /, \\, ?, # or %, got "."`],
		['".."', '..', `Request ID can't be "." or ".." or contain /, \\, ?, # or %, got ".."`],
		[
			'a path',
			'../../v1/models',
			`Request ID can't be "." or ".." or contain /, \\, ?, # or %, got "../../v1/models"`,
		],
		[
			'a query',
			'abc?x=1',
			`Request ID can't be "." or ".." or contain /, \\, ?, # or %, got "abc?x=1"`,
		],
		[
			'an escape',
			'abc%2F..',
			`Request ID can't be "." or ".." or contain /, \\, ?, # or %, got "abc%2F.."`,
		],
		[
			'a line break',
			'abc\ndef',
			`Request ID can't contain spaces, line breaks or control characters, got "abc\\ndef"`,
		],
		[
			'too long',
			'x'.repeat(201),
			'Request ID is 201 characters long; a RunComfy request ID has at most 200',
		],
		[
			'a URL',
			'={{ "https://model-api.runcomfy.net/v1/requests/abc/status" }}',
			/^Request ID must be the request ID itself, not a URL/,
		],
	])('%s is refused', async (_name, requestId, message) => {
		for (const operation of lookUps) {
			expectRefused(await t.run({ operation, requestId }), message, hint);
		}
		expect(t.emulator.requests).toEqual([]);
	});

	test('a number from an expression is used as text', async () => {
		const result = await t.run({ operation: 'getStatus', requestId: '={{ 12345 }}' });
		expect(result.error?.message).toMatch(/does not know this request id|404/i);
		expect(t.emulator.requests.map((request) => request.requestId)).toEqual(['12345']);
	});
});

describe('7. values are shown as the user gave them', () => {
	test.each([
		['NaN', { steps: '={{ NaN }}' }, 'Steps must be an integer between 6 and 20, got NaN'],
		[
			'Infinity',
			{ guidanceScale: '={{ 1/0 }}' },
			'Guidance Scale must be a number between 0.6 and 2, got Infinity',
		],
		['text', { shift: '={{ "lots" }}' }, 'Shift must be a number between 1 and 15, got "lots"'],
		[
			'an object',
			{ frameRate: '={{ {} }}' },
			'Frames per Second must be an integer between 12 and 24, got {}',
		],
		[
			'a numeric text out of range',
			{ steps: '={{ "50" }}' },
			'Steps must be between 6 and 20, got "50"',
		],
		['NaN as a seed', { seed: '={{ NaN }}' }, 'Seed must be an integer, got NaN'],
	])('%s', async (_name, overrides, message) => {
		await expectBothRefuse(overrides, message);
	});
});

describe('8. options have ranges, checked once for the node', () => {
	const description = /^Nothing was submitted to RunComfy: correct the option under Options/;
	test.each([
		[{ timeout: 0 }, 'Timeout (Seconds) must be greater than 0, got 0'],
		[{ timeout: -10 }, 'Timeout (Seconds) must be greater than 0, got -10'],
		[{ timeout: '={{ NaN }}' }, 'Timeout (Seconds) must be a number greater than 0, got NaN'],
		[{ timeout: '={{ "soon" }}' }, 'Timeout (Seconds) must be a number greater than 0, got "soon"'],
		[
			{ pollInterval: '={{ 0.001 }}' },
			'Poll Interval (Seconds) must be between 1 and 600, got 0.001',
		],
		[{ pollInterval: 0 }, 'Poll Interval (Seconds) must be between 1 and 600, got 0'],
		[{ pollInterval: 601 }, 'Poll Interval (Seconds) must be between 1 and 600, got 601'],
		[{ maxConcurrency: 0 }, 'Max Concurrent Submits must be between 1 and 50, got 0'],
		[{ maxConcurrency: 51 }, 'Max Concurrent Submits must be between 1 and 50, got 51'],
		[
			{ maxConcurrency: 2.5 },
			'Max Concurrent Submits must be a whole number between 1 and 50, got 2.5',
		],
		[{ download: '={{ "yes" }}' }, 'Download Video must be true or false, got "yes"'],
	])('%j is refused', async (option, message) => {
		const result = await t.run(t.generate({ options: option }), { items: [{}, {}] });
		expectRefused(result, message, description);
		expect((result.error as { context?: IDataObject }).context?.itemIndex).toBeUndefined();
		expect(t.emulator.requests).toEqual([]);
	});

	test('Wait for Completion checks them before any look-up', async () => {
		const result = await t.run({
			operation: 'waitForCompletion',
			requestId: 'abc',
			options: { timeout: 0 },
		});
		expectRefused(result, 'Timeout (Seconds) must be greater than 0, got 0', description);
		expect(t.emulator.requests).toEqual([]);
	});

	test('Submit Job ignores a waiting option it does not use', async () => {
		const result = await t.run(t.generate({ operation: 'submit', options: { timeout: 0 } }));
		expect(result.error).toBeUndefined();
		expect(t.submitted()).toHaveLength(1);
	});

	test('numeric text from an expression is fine', async () => {
		const result = await t.run(
			t.generate({ options: { timeout: '={{ "120" }}', maxConcurrency: '={{ "2" }}' } }),
		);
		expect(result.error).toBeUndefined();
	});
});

describe('9. the rest of the body', () => {
	test.each([
		[
			'a Prompt that is an object',
			{ prompt: '={{ { text: "a" } }}' },
			'Prompt must be text, got {"text":"a"}',
		],
		['a Prompt that is a number', { prompt: '={{ 42 }}' }, 'Prompt must be text, got 42'],
		[
			'Additional Inputs with __proto__',
			{ additionalInputs: '{"__proto__": {"x": 1}}' },
			"Additional Inputs can't use the key __proto__",
		],
		[
			'Additional Inputs with constructor',
			{ additionalInputs: '{"constructor": 1}' },
			"Additional Inputs can't use the key constructor",
		],
	])('%s is refused', async (_name, overrides, message) => {
		await expectBothRefuse(overrides, message);
	});

	test('a body over 64 MB is refused', async () => {
		await expectBothRefuse(
			{ additionalInputs: '={{ { "extra": "x".repeat(65 * 1024 * 1024) } }}' },
			/^The request for this item would be 65\.1 MB; RunComfy accepts at most 64 MB/,
		);
	});
});
