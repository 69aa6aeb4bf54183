import { isUsableUrl, resultJson, videoUrlsOf } from '../../nodes/FusionX/helpers/output';

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

describe('videoUrlsOf', () => {
	test('video and videos, as strings or {url}, deduplicated, unusable ones dropped', () => {
		expect(
			videoUrlsOf({
				video: 'https://a/1.mp4',
				videos: ['https://a/1.mp4', { url: 'https://a/2.mp4' }, 'file:///x', '', null],
			}),
		).toEqual(['https://a/1.mp4', 'https://a/2.mp4']);
	});

	test.each([[null], [{}], [{ videos: [] }], [{ video: '' }], [{ image: 'https://a/i.png' }]])(
		'%p holds no video',
		(output) => expect(videoUrlsOf(output as never)).toEqual([]),
	);
});

test("resultJson never copies the job's error field: n8n would read it as a failure", () => {
	const json = resultJson(
		'r1',
		{ status: 'completed', output: { video: 'https://a/v.mp4' }, error: 'note', cost: 0.1 },
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
