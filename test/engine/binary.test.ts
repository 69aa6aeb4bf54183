/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
import { BinaryDataService } from 'n8n-core';

import { FusionX } from '../../nodes/FusionX/FusionX.node';
import { TINY_PNG } from '../emulator/emulator';
import { setUpEmulator } from '../harness/context';
import { Container } from '../harness/core-deps';
import { Engine, FUSIONX_TYPE, useBinaryMode } from '../harness/engine';

const t = setUpEmulator({ queueMs: 50, durationMs: 200, videoBytes: 300_000 });

const pngFile = (property = 'data') => ({
	property,
	base64: TINY_PNG.toString('base64'),
	mimeType: 'image/png',
	fileName: 'start.png',
});

async function storedBytes(binary: { id?: string; data?: string }): Promise<number> {
	return (await Container.get(BinaryDataService).getAsBuffer(binary as never)).length;
}

afterEach(async () => await useBinaryMode('filesystem'));

describe('the video as binary', () => {
	test('is streamed into the binary store as <requestId>.mp4, the URL stays in json', async () => {
		const result = await t.run(t.generate({ options: { download: true } }));
		expect(result.error).toBeUndefined();
		const { json, binary } = result.items[0];
		const video = binary!.data;
		expect(video).toMatchObject({ mimeType: 'video/mp4', fileName: `${json.requestId}.mp4` });
		expect(video.id).toEqual(expect.stringMatching(/^filesystem/));
		expect(await storedBytes(video)).toBe(300_000);
		expect(json.videoUrl).toEqual(expect.stringContaining('/files/'));
	});

	test('a custom binary field, several videos each attached', async () => {
		t.emulator.scriptNextJobs({ videos: 3 });
		const result = await t.run(
			t.generate({ options: { download: true, binaryPropertyName: 'video' } }),
		);
		const { json, binary } = result.items[0];
		expect(Object.keys(binary!).sort()).toEqual(['video', 'video_1', 'video_2']);
		expect(binary!.video_2.fileName).toBe(`${json.requestId}_2.mp4`);
		expect(t.emulator.count('file')).toBe(3);
	});

	test('getResult and waitForCompletion download too', async () => {
		const submitted = await t.run({ ...t.generate(), operation: 'submit' });
		const requestId = submitted.items[0].json.requestId as string;
		const waited = await t.run({
			operation: 'waitForCompletion',
			requestId,
			options: { pollInterval: 1, download: true },
		});
		expect(waited.items[0].binary?.data.fileName).toBe(`${requestId}.mp4`);
		const fetched = await t.run({ operation: 'getResult', requestId, options: { download: true } });
		expect(fetched.items[0].binary?.data.fileName).toBe(`${requestId}.mp4`);
	});

	test('a failed download keeps the request id and the video URL in the error', async () => {
		t.emulator.addFault({ route: 'file', status: 404, times: Infinity });
		const result = await t.run(t.generate({ options: { download: true } }));
		const requestId = [...t.emulator.jobs.keys()][0];
		const description = String((result.error as { description?: string }).description);
		expect(result.error?.message).toMatch(/Downloading the video failed \(HTTP 404\)/);
		expect(description).toContain(requestId);
		expect(description).toContain(`/files/${requestId}.mp4`);
	});

	test('a 50 MB video costs far less than 50 MB of heap', async () => {
		const size = 50 * 1024 * 1024;
		t.emulator.scriptNextJobs({ videoBytes: size });
		global.gc?.();
		const before = process.memoryUsage().heapUsed;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
		const result = await t.run(t.generate({ options: { download: true } }));
		clearInterval(sampler);
		expect(result.error).toBeUndefined();
		expect(
			await Container.get(BinaryDataService).getMetadata(result.items[0].binary!.data.id!),
		).toMatchObject({
			fileSize: size,
		});
		console.log(
			`heap growth while downloading 50 MB: ${((peak - before) / 1048576).toFixed(1)} MB`,
		);
		expect(peak - before).toBeLessThan(size / 2);
	});

	test('as an AI agent tool the node returns URLs only', async () => {
		const engine = new Engine({
			[FUSIONX_TYPE]: new FusionX(),
			[`${FUSIONX_TYPE}Tool`]: new FusionX(),
		});
		const result = await engine.run(
			{ type: `${FUSIONX_TYPE}Tool`, parameters: t.generate({ options: { download: true } }) },
			{ credentials: t.credentials() },
		);
		expect(result.items[0].json.videoUrl).toEqual(expect.any(String));
		expect(result.items[0].binary).toBeUndefined();
		expect(t.emulator.count('file')).toBe(0);
	});
});

describe('the start frame from binary', () => {
	test.each(['default', 'filesystem'] as const)(
		'is sent as a data: URI (%s binary mode)',
		async (mode) => {
			await useBinaryMode(mode);
			const result = await t.run(
				t.generate({ imageSource: 'binary', imageBinaryProperty: 'photo' }),
				{
					binary: [pngFile('photo')],
				},
			);
			expect(result.error).toBeUndefined();
			const sent = (t.submitted()[0].body as Record<string, string>)['608_image'];
			expect(sent).toBe(`data:image/png;base64,${TINY_PNG.toString('base64')}`);
			expect((result.items[0].json.input as Record<string, string>)['608_image']).toMatch(
				/^data:image\/png;base64,… \(\d+ (bytes|KB) from binary\)$/,
			);
		},
	);

	test('a binary that is not an image is rejected before any submit', async () => {
		const result = await t.run(t.generate({ imageSource: 'binary' }), {
			binary: [
				{
					property: 'data',
					base64: Buffer.from('hello').toString('base64'),
					mimeType: 'text/plain',
					fileName: 'a.txt',
				},
			],
		});
		expect(result.error?.message).toBe(
			'Input Binary Field "data" holds text/plain, not an image: use a PNG, JPEG or WebP start frame',
		);
		expect(t.submitted()).toHaveLength(0);
	});

	test('a missing binary field is named', async () => {
		const result = await t.run(t.generate({ imageSource: 'binary', imageBinaryProperty: 'nope' }), {
			binary: [pngFile('data')],
		});
		expect(result.error?.message).toMatch(/nope/);
		expect(t.submitted()).toHaveLength(0);
	});

	test('an image over 6 MB is rejected with what to do', async () => {
		const big = Buffer.alloc(7 * 1024 * 1024, 1);
		const result = await t.run(t.generate({ imageSource: 'binary' }), {
			binary: [
				{
					property: 'data',
					base64: big.toString('base64'),
					mimeType: 'image/png',
					fileName: 'big.png',
				},
			],
		});
		expect(result.error?.message).toMatch(
			/is 7\.0 MB; images sent from binary may be at most 6 MB/,
		);
		expect(t.submitted()).toHaveLength(0);
	});
});
