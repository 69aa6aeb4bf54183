/** The pure checks behind the node's input validation, without the engine. */
import {
	checkImageBytes,
	checkImageDataUri,
	declaredTypeProblem,
	detectImageType,
	MAX_DATA_URI_IMAGE_BYTES,
} from '../../nodes/FusionX/helpers/image';
import { buildApiInput, checkImageUrl, FIELDS } from '../../nodes/FusionX/helpers/input';
import {
	checkBinaryPropertyName,
	checkFlag,
	checkNumber,
	checkRequestId,
	OPTION_LIMITS,
	show,
} from '../../nodes/shared/values';
import { TINY_PNG } from '../emulator/emulator';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP = Buffer.concat([
	Buffer.from('RIFF'),
	Buffer.from([0x24, 0, 0, 0]),
	Buffer.from('WEBPVP8 '),
]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
const dataUri = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;
const problemOf = (checked: { value: unknown } | { problem: string }) =>
	'problem' in checked ? checked.problem : undefined;

const valid = {
	prompt: 'A slow push-in',
	imageUrl: 'https://example.com/a.png',
	resolution: '720x480 (3:2)',
	numFrames: 81,
	frameRate: 16,
	seed: 7,
	steps: 10,
	guidanceScale: 1,
	shift: 5,
};

describe('magic bytes', () => {
	test.each([
		['PNG', TINY_PNG, 'image/png'],
		['JPEG', JPEG, 'image/jpeg'],
		['WebP', WEBP, 'image/webp'],
		['SVG', SVG, undefined],
		['text', Buffer.from('hello, this is text'), undefined],
		['a RIFF that is not WebP (WAV)', Buffer.from('RIFF\x24\0\0\0WAVEfmt '), undefined],
		['a truncated PNG signature', TINY_PNG.subarray(0, 7), undefined],
		['nothing', Buffer.alloc(0), undefined],
	])('%s', (_name, bytes, type) => {
		expect(detectImageType(bytes)).toBe(type);
	});

	const binary = { subject: 'Input Binary Field "data"', via: 'from binary' };

	test('declared types: PNG, JPEG (also image/jpg) and WebP only', () => {
		for (const type of ['image/png', 'IMAGE/JPEG', 'image/jpg', 'image/webp; q=1']) {
			expect(declaredTypeProblem(binary, type)).toBeUndefined();
		}
		expect(declaredTypeProblem(binary, 'image/svg+xml')).toBe(
			'Input Binary Field "data" holds image/svg+xml: only PNG, JPEG or WebP start frames are allowed',
		);
		expect(declaredTypeProblem(binary, 'image/heic')).toMatch(/holds image\/heic: only PNG/);
		expect(declaredTypeProblem(binary, 'text/plain')).toBe(
			'Input Binary Field "data" holds text/plain, not an image: use a PNG, JPEG or WebP start frame',
		);
		expect(declaredTypeProblem(binary, undefined)).toMatch(/holds a file of unknown type/);
	});

	test('bytes: the real type wins, empty, too big and mislabelled files are refused', () => {
		expect(checkImageBytes(binary, JPEG.length, JPEG, 'image/png')).toEqual({
			value: 'image/jpeg',
		});
		expect(problemOf(checkImageBytes(binary, 0, Buffer.alloc(0), 'image/png'))).toBe(
			'Input Binary Field "data" is empty (0 bytes): use a PNG, JPEG or WebP start frame',
		);
		expect(
			problemOf(checkImageBytes(binary, MAX_DATA_URI_IMAGE_BYTES, TINY_PNG, 'image/png')),
		).toBe(undefined);
		expect(
			problemOf(checkImageBytes(binary, MAX_DATA_URI_IMAGE_BYTES + 1, TINY_PNG, 'image/png')),
		).toBe(
			'Input Binary Field "data" is 6.1 MB; images sent from binary may be at most 6 MB. Use a smaller image or a hosted URL.',
		);
		expect(problemOf(checkImageBytes(binary, 5, Buffer.from('hello'), 'image/png'))).toBe(
			'Input Binary Field "data" is labelled image/png but its content is not a PNG, JPEG or WebP image',
		);
	});
});

describe('data: URIs in Image URL', () => {
	test('PNG, JPEG and WebP pass, sent with the type their bytes have', () => {
		expect(checkImageDataUri(dataUri('image/png', TINY_PNG))).toEqual({
			value: dataUri('image/png', TINY_PNG),
		});
		expect(checkImageDataUri(dataUri('image/png', JPEG))).toEqual({
			value: dataUri('image/jpeg', JPEG),
		});
		expect(checkImageDataUri(dataUri('image/webp', WEBP))).toEqual({
			value: dataUri('image/webp', WEBP),
		});
		expect(checkImageDataUri(`DATA:IMAGE/PNG;BASE64,${TINY_PNG.toString('base64')}`)).toEqual({
			value: dataUri('image/png', TINY_PNG),
		});
	});

	test.each([
		[
			'an SVG',
			dataUri('image/svg+xml', SVG),
			'The data: URI in Image URL holds image/svg+xml: only PNG, JPEG or WebP start frames are allowed',
		],
		[
			'text',
			'data:text/plain;base64,aGVsbG8=',
			'The data: URI in Image URL holds text/plain, not an image: use a PNG, JPEG or WebP start frame',
		],
		[
			'not base64',
			`data:image/png,${TINY_PNG.toString('hex')}`,
			'The data: URI in Image URL must be base64-encoded, like data:image/png;base64,iVBORw0…',
		],
		[
			'no comma',
			'data:image/png;base64',
			'The data: URI in Image URL must be base64-encoded, like data:image/png;base64,iVBORw0…',
		],
		[
			'broken base64',
			'data:image/png;base64,iVBORw0KGgo*',
			'The data: URI in Image URL is not valid base64 after "base64,"',
		],
		[
			'base64 without padding',
			'data:image/png;base64,iVBORw0KGgoAAA',
			'The data: URI in Image URL is not valid base64 after "base64,"',
		],
		[
			'URL-safe base64',
			'data:image/png;base64,iVBORw0KGgo_-A==',
			'The data: URI in Image URL is not valid base64 after "base64,"',
		],
		[
			'empty',
			'data:image/png;base64,',
			'The data: URI in Image URL is empty (0 bytes): use a PNG, JPEG or WebP start frame',
		],
		[
			'text labelled PNG',
			dataUri('image/png', Buffer.from('not really a png')),
			'The data: URI in Image URL is labelled image/png but its content is not a PNG, JPEG or WebP image',
		],
	])('refuses %s', (_name, uri, message) => {
		expect(problemOf(checkImageDataUri(uri))).toBe(message);
	});

	test('size: 6 MB decoded passes, one byte more is refused without decoding it all', () => {
		const atLimit = Buffer.concat([
			TINY_PNG,
			Buffer.alloc(MAX_DATA_URI_IMAGE_BYTES - TINY_PNG.length),
		]);
		expect(problemOf(checkImageDataUri(dataUri('image/png', atLimit)))).toBeUndefined();
		const over = Buffer.concat([atLimit, Buffer.alloc(1)]);
		expect(problemOf(checkImageDataUri(dataUri('image/png', over)))).toBe(
			'The data: URI in Image URL is 6.1 MB; images sent as data: URIs may be at most 6 MB. Use a smaller image or a hosted URL.',
		);
	});
});

describe('Image URL', () => {
	test.each([
		['https://example.com/a.png', 'https://example.com/a.png'],
		['  https://example.com/a.png\n', 'https://example.com/a.png'],
		[
			'https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=abc&X-Amz-Credential=x%2Fy',
			'https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=abc&X-Amz-Credential=x%2Fy',
		],
		['http://example.com/a%20b.png', 'http://example.com/a%20b.png'],
	])('accepts %j', (raw, sent) => {
		expect(checkImageUrl(raw)).toEqual({ value: sent });
	});

	test.each([
		[
			'https://example.com/a.png\nhttps://evil.example/b.png',
			`Image URL can't contain spaces, line breaks or control characters (a space is %20 in a URL), got "https://example.com/a.png\\nhttps://evil.example/b.png"`,
		],
		[
			'https://example.com/a b.png',
			`Image URL can't contain spaces, line breaks or control characters (a space is %20 in a URL), got "https://example.com/a b.png"`,
		],
		['https://example.com/a\u0000.png', /^Image URL can't contain spaces, line breaks or control/],
		['https://example.com/a\u00a0.png', /^Image URL can't contain spaces/],
		[
			'https://user:secret@example.com/a.png',
			"Image URL can't contain a user name or password (user:password@…): RunComfy's workers would receive them. Use a pre-signed URL instead.",
		],
		['https://user@example.com/a.png', /^Image URL can't contain a user name or password/],
		[42, 'Image URL must be text: a public http(s) URL, got 42'],
		[{ url: 'x' }, 'Image URL must be text: a public http(s) URL, got {"url":"x"}'],
		[undefined, 'Image URL is required: the start frame as a public http(s) URL'],
		['javascript:alert(1)', /^Image URL must be a public http\(s\) URL/],
	])('refuses %j', (raw, message) => {
		const problem = problemOf(checkImageUrl(raw));
		if (typeof message === 'string') expect(problem).toBe(message);
		else expect(problem).toMatch(message);
		expect(problem).not.toContain('secret');
	});
});

describe('numbers', () => {
	const steps = { integer: true, min: 6, max: 20 };

	test('values are shown as the user gave them', () => {
		expect(show(NaN)).toBe('NaN');
		expect(show(Infinity)).toBe('Infinity');
		expect(show(-Infinity)).toBe('-Infinity');
		expect(show('many')).toBe('"many"');
		expect(show({})).toBe('{}');
		expect(show([])).toBe('[]');
		expect(show({ a: 'x'.repeat(100) })).toBe('an object');
		expect(show(['x'.repeat(100)])).toBe('an array');
		expect(show(null)).toBe('null');
		expect(show(undefined)).toBe('nothing');
		expect(show('x'.repeat(150))).toBe(`"${'x'.repeat(100)}…"`);
	});

	test.each([
		[NaN, 'Steps must be an integer between 6 and 20, got NaN'],
		[Infinity, 'Steps must be an integer between 6 and 20, got Infinity'],
		['many', 'Steps must be an integer between 6 and 20, got "many"'],
		['', 'Steps must be an integer between 6 and 20, got ""'],
		['0x10', 'Steps must be an integer between 6 and 20, got "0x10"'],
		['Infinity', 'Steps must be an integer between 6 and 20, got "Infinity"'],
		[{}, 'Steps must be an integer between 6 and 20, got {}'],
		[null, 'Steps must be an integer between 6 and 20, got null'],
		[undefined, 'Steps must be an integer between 6 and 20, got nothing'],
		[true, 'Steps must be an integer between 6 and 20, got true'],
		[7.5, 'Steps must be a whole number between 6 and 20, got 7.5'],
		['50', 'Steps must be between 6 and 20, got "50"'],
	])('refuses %j', (raw, message) => {
		expect(problemOf(checkNumber('Steps', raw, steps))).toBe(message);
	});

	test('numeric text is read as a number', () => {
		expect(checkNumber('Steps', ' 8 ', steps)).toEqual({ value: 8 });
		expect(checkNumber('Steps', '1e1', steps)).toEqual({ value: 10 });
	});
});

describe('Seed', () => {
	const seed = (value: unknown) => buildApiInput({ ...valid, seed: value })[FIELDS.seed.apiName];

	test('whole numbers within ±2^53-1 pass as they are; -1 picks a random one', () => {
		for (const value of [0, 42, -5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
			expect(seed(value)).toBe(value);
		}
		expect(seed('123')).toBe(123);
		expect(seed(-1)).toEqual(expect.any(Number));
		expect(seed(-1)).toBeGreaterThanOrEqual(0);
	});

	test.each([
		[
			1e20,
			'Seed must be between -9007199254740991 and 9007199254740991 (-1 picks a random seed), got 100000000000000000000',
		],
		[
			1e300,
			'Seed must be between -9007199254740991 and 9007199254740991 (-1 picks a random seed), got 1e+300',
		],
		[
			2 ** 53,
			'Seed must be between -9007199254740991 and 9007199254740991 (-1 picks a random seed), got 9007199254740992',
		],
		[
			-(2 ** 53),
			'Seed must be between -9007199254740991 and 9007199254740991 (-1 picks a random seed), got -9007199254740992',
		],
		[
			'12345678901234567890',
			'Seed must be between -9007199254740991 and 9007199254740991 (-1 picks a random seed), got "12345678901234567890"',
		],
		[1.5, 'Seed must be a whole number, got 1.5'],
		[NaN, 'Seed must be an integer, got NaN'],
	])('refuses %p', (value, message) => {
		expect(() => seed(value)).toThrow(message);
	});
});

describe('Request ID', () => {
	test.each([
		['6a0e4b3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c', '6a0e4b3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c'],
		['  req_123  ', 'req_123'],
		[12345, '12345'],
		['a.b', 'a.b'],
		['x'.repeat(200), 'x'.repeat(200)],
	])('accepts %j', (raw, id) => {
		expect(checkRequestId(raw)).toEqual({ value: id });
	});

	test.each([
		[{ id: 'x' }, 'Request ID must be text, got an object'],
		[['x'], 'Request ID must be text, got an array'],
		[NaN, 'Request ID must be text, got NaN'],
		[true, 'Request ID must be text, got true'],
		[undefined, 'Request ID is required'],
		[null, 'Request ID is required'],
		['  ', 'Request ID is required'],
		['.', `Request ID can't be "." or ".." or contain /, \\, ?, # or %, got "."`],
		['..', `Request ID can't be "." or ".." or contain /, \\, ?, # or %, got ".."`],
		[' .. ', `Request ID can't be "." or ".." or contain /, \\, ?, # or %, got ".."`],
		['a/b', `Request ID can't be "." or ".." or contain /, \\, ?, # or %, got "a/b"`],
		['a\\b', /^Request ID can't be/],
		['a?b', /^Request ID can't be/],
		['a#b', /^Request ID can't be/],
		['a%2Fb', /^Request ID can't be/],
		['a b', `Request ID can't contain spaces, line breaks or control characters, got "a b"`],
		['a\nb', /^Request ID can't contain spaces, line breaks/],
		['a\u0007b', /^Request ID can't contain spaces, line breaks/],
		['a\u200bb', /^Request ID can't contain spaces, line breaks/],
		['x'.repeat(201), 'Request ID is 201 characters long; a RunComfy request ID has at most 200'],
		[
			'https://model-api.runcomfy.net/v1/requests/abc/status',
			'Request ID must be the request ID itself, not a URL, got "https://model-api.runcomfy.net/v1/requests/abc/status"',
		],
	])('refuses %j', (raw, message) => {
		const problem = problemOf(checkRequestId(raw));
		if (typeof message === 'string') expect(problem).toBe(message);
		else expect(problem).toMatch(message);
	});
});

describe('binary field names and flags', () => {
	test.each(['data', 'video_1', 'my-video.mp4', ' data '])('accepts %j', (name) => {
		expect(checkBinaryPropertyName('Put Output in Field', name)).toEqual({ value: name.trim() });
	});

	test.each([
		['__proto__', `Put Output in Field can't be "__proto__": pick another name, e.g. "data"`],
		['constructor', `Put Output in Field can't be "constructor": pick another name, e.g. "data"`],
		['prototype', `Put Output in Field can't be "prototype": pick another name, e.g. "data"`],
		['', 'Put Output in Field is empty: give the binary field a name, e.g. "data"'],
		[
			'my video',
			'Put Output in Field may only contain letters, digits, "_", "-" and ".", got "my video"',
		],
		['a/b', /may only contain letters/],
		['vidéo', /may only contain letters/],
		[{}, 'Put Output in Field must be the name of a binary field, got {}'],
	])('refuses %j', (raw, message) => {
		const problem = problemOf(checkBinaryPropertyName('Put Output in Field', raw));
		if (typeof message === 'string') expect(problem).toBe(message);
		else expect(problem).toMatch(message);
	});

	test('flags: booleans and "true"/"false"; anything else is refused', () => {
		expect(checkFlag('Download Video', undefined, false)).toEqual({ value: false });
		expect(checkFlag('Download Video', 'true', false)).toEqual({ value: true });
		expect(checkFlag('Cancel on Timeout', 'false', true)).toEqual({ value: false });
		expect(problemOf(checkFlag('Download Video', 'yes', false))).toBe(
			'Download Video must be true or false, got "yes"',
		);
	});
});

describe('options', () => {
	const check = (name: keyof typeof OPTION_LIMITS, raw: unknown) =>
		problemOf(checkNumber(OPTION_LIMITS[name].label, raw, OPTION_LIMITS[name]));

	test.each([
		['timeout', 0, 'Timeout (Seconds) must be greater than 0, got 0'],
		['timeout', -5, 'Timeout (Seconds) must be greater than 0, got -5'],
		['timeout', NaN, 'Timeout (Seconds) must be a number greater than 0, got NaN'],
		['timeout', 'soon', 'Timeout (Seconds) must be a number greater than 0, got "soon"'],
		['pollInterval', 0.001, 'Poll Interval (Seconds) must be between 1 and 600, got 0.001'],
		['pollInterval', 601, 'Poll Interval (Seconds) must be between 1 and 600, got 601'],
		['maxConcurrency', 0, 'Max Concurrent Submits must be between 1 and 50, got 0'],
		['maxConcurrency', 51, 'Max Concurrent Submits must be between 1 and 50, got 51'],
		[
			'maxConcurrency',
			2.5,
			'Max Concurrent Submits must be a whole number between 1 and 50, got 2.5',
		],
	] as const)('%s %p', (name, raw, message) => {
		expect(check(name, raw)).toBe(message);
	});

	test.each([
		['timeout', 0.5],
		['timeout', '30'],
		['pollInterval', 1],
		['pollInterval', 600],
		['maxConcurrency', 50],
	] as const)('%s %p passes', (name, raw) => {
		expect(check(name, raw)).toBeUndefined();
	});
});

describe('the API body', () => {
	test('Prompt must be text', () => {
		expect(() => buildApiInput({ ...valid, prompt: 42 })).toThrow('Prompt must be text, got 42');
		expect(() => buildApiInput({ ...valid, prompt: { text: 'a' } })).toThrow(
			'Prompt must be text, got {"text":"a"}',
		);
		expect(() => buildApiInput({ ...valid, prompt: null })).toThrow(/^Prompt is required/);
		expect(buildApiInput({ ...valid, prompt: '  hi  ' })[FIELDS.prompt.apiName]).toBe('hi');
	});

	test('a long prompt is fine', () => {
		const prompt = 'word '.repeat(20_000).trim();
		expect(buildApiInput({ ...valid, prompt })[FIELDS.prompt.apiName]).toBe(prompt);
	});

	test.each(['__proto__', 'constructor', 'prototype'])(
		'Additional Inputs can not use the key %s',
		(key) => {
			expect(() => buildApiInput(valid, `{"${key}": {"x": 1}}`)).toThrow(
				`Additional Inputs can't use the key ${key}`,
			);
		},
	);

	test('Additional Inputs: blank means none; extra keys are sent', () => {
		expect(buildApiInput(valid, '  ')).not.toHaveProperty('extra');
		expect(buildApiInput(valid, '{"extra": 1}')).toMatchObject({ extra: 1 });
	});

	test('a body over 64 MB is refused before it is sent', () => {
		const big = { extra: 'x'.repeat(64 * 1024 * 1024) };
		expect(() => buildApiInput(valid, big)).toThrow(
			/^The request for this item would be 64\.1 MB; RunComfy accepts at most 64 MB: shorten the Prompt or the Additional Inputs$/,
		);
	});

	test('a data: URI in Image URL is sent with the type its bytes have', () => {
		const input = buildApiInput({ ...valid, imageUrl: ` ${dataUri('image/jpg', JPEG)} ` });
		expect(input[FIELDS.imageUrl.apiName]).toBe(dataUri('image/jpeg', JPEG));
	});
});
