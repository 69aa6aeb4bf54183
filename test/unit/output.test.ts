import {
	isUsableUrl,
	mediaOf,
	resultJson,
	shownInput,
	sizeText,
	urlsOf,
} from '../../nodes/shared/output/media';

describe('isUsableUrl', () => {
	test.each(['https://cdn.example/v.mp4', 'http://127.0.0.1:8080/files/a.mp4'])('%s', (url) =>
		expect(isUsableUrl(url)).toBe(true),
	);
	test.each([
		'',
		'file:///etc/passwd',
		'ftp://x/v.mp4',
		'/files/v.mp4',
		'https://a/b\n.mp4',
		'https://a/b c',
		42,
		null,
	])('%p is not', (url) => expect(isUsableUrl(url)).toBe(false));
});

describe('mediaOf and urlsOf', () => {
	test('video and videos, as strings or {url}, deduplicated, unusable ones dropped', () => {
		expect(
			urlsOf(
				{
					video: 'https://a/1.mp4',
					videos: ['https://a/1.mp4', { url: 'https://a/2.mp4' }, 'file:///x', '', null],
				},
				'video',
			),
		).toEqual(['https://a/1.mp4', 'https://a/2.mp4']);
	});

	test.each([[null], [{}], [{ videos: [] }], [{ video: '' }], [{ image: 'https://a/i.png' }]])(
		'%p holds no video',
		(output) => expect(urlsOf(output as never, 'video')).toEqual([]),
	);
});

test("resultJson never copies the job's error field: n8n would read it as a failure", () => {
	const json = resultJson(
		'r1',
		{ status: 'completed', output: { video: 'https://a/v.mp4' }, error: 'note', cost: 0.1 },
		'video',
		1234,
	);
	expect(json).toEqual({
		requestId: 'r1',
		status: 'completed',
		videoUrl: 'https://a/v.mp4',
		output: { video: 'https://a/v.mp4' },
		cost: 0.1,
		createdAt: null,
		finishedAt: null,
		waitedSeconds: 1.2,
	});
});

test('every kind of file a model returns, each once, in the order of the keys', () => {
	expect(
		mediaOf({
			images: ['https://a/1.png', { url: 'https://a/2.png' }],
			audio: 'https://a/s.mp3',
			video: 'https://a/v.mp4',
			files: ['https://a/1.png', 'https://a/x.zip'],
		}),
	).toEqual([
		{ url: 'https://a/v.mp4', kind: 'video' },
		{ url: 'https://a/1.png', kind: 'image' },
		{ url: 'https://a/2.png', kind: 'image' },
		{ url: 'https://a/s.mp3', kind: 'audio' },
		{ url: 'https://a/x.zip', kind: 'file' },
	]);
});

test('resultJson names the URLs of each kind, the primary one always', () => {
	const json = resultJson(
		'r',
		{ status: 'completed', output: { images: ['https://a/1.png', 'https://a/2.png'] } },
		'video',
	);
	expect(json).toMatchObject({
		videoUrl: null,
		imageUrl: 'https://a/1.png',
		imageUrls: ['https://a/1.png', 'https://a/2.png'],
	});
});

test('sizeText: bytes under 1 KB, then KB, then MB', () => {
	expect([70, 1024, 12_800, 3.4 * 1024 * 1024].map(sizeText)).toEqual([
		'70 bytes',
		'1 KB',
		'13 KB',
		'3.4 MB',
	]);
});

test('shownInput shows a data: URI by its size, a small file not as 0 KB', () => {
	const tiny = `data:image/png;base64,${Buffer.alloc(70).toString('base64')}`;
	expect(shownInput({ image: tiny, prompt: 'x' })).toEqual({
		image: 'data:image/png;base64,… (70 bytes from binary)',
		prompt: 'x',
	});
});
