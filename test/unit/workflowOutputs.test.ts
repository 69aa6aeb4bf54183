/** A deployment request's outputs as files and data, the output json, and its error message. */
import { deploymentErrorText } from '../../nodes/shared/workflow/deploymentError';
import { fileKind } from '../../nodes/shared/workflow/fileKind';
import { readOutputs, resultOutputs, textsOf } from '../../nodes/shared/workflow/outputs';
import { workflowResultJson } from '../../nodes/shared/workflow/resultJson';

const STORE = 'https://serverless-api-storage.runcomfy.net/deployment_requests/r-1/output';
const file = (filename: string, extra: Record<string, unknown> = {}) => ({
	filename,
	subfolder: '',
	type: 'output',
	url: `${STORE}/${filename}`,
	...extra,
});

// The video workflow's result: Video Combine's mp4 under `gifs`, a still and a .zip under
// `images`, SaveVideo's own channel, a caption node with a composite id, a preview without URL.
const OUTPUTS = {
	'58': { images: [file('ComfyUI_00010_.png'), file('frames.zip'), file('clip_00001.mp4')] },
	'50': { gifs: [file('wan_00001.mp4', { format: 'video/h264-mp4', frame_rate: 16 })] },
	'51': { videos: [file('video/wan_00001_')], audio: [file('wan_00001.flac')] },
	'38:42': { text: [['a caption']] },
	'9': {
		images: [{ filename: 'preview.png', subfolder: '', type: 'temp' }, file('ComfyUI_00011_.webp')],
		ratio: 1.5,
	},
	'70': { images: [{ url: '/view?filename=x.png' }, { url: 'ftp://example.com/x.png' }] },
};

describe('reading outputs', () => {
	test('files with their node, channel and file name; the kind from the extension first', () => {
		const { files } = readOutputs(OUTPUTS);
		expect(files).toEqual([
			{
				url: `${STORE}/ComfyUI_00011_.webp`,
				kind: 'image',
				nodeId: '9',
				channel: 'images',
				filename: 'ComfyUI_00011_.webp',
			},
			{
				url: `${STORE}/wan_00001.mp4`,
				kind: 'video',
				nodeId: '50',
				channel: 'gifs',
				filename: 'wan_00001.mp4',
			},
			{
				url: `${STORE}/video/wan_00001_`,
				kind: 'video',
				nodeId: '51',
				channel: 'videos',
				filename: 'video/wan_00001_',
			},
			{
				url: `${STORE}/wan_00001.flac`,
				kind: 'audio',
				nodeId: '51',
				channel: 'audio',
				filename: 'wan_00001.flac',
			},
			{
				url: `${STORE}/ComfyUI_00010_.png`,
				kind: 'image',
				nodeId: '58',
				channel: 'images',
				filename: 'ComfyUI_00010_.png',
			},
			{
				url: `${STORE}/frames.zip`,
				kind: 'file',
				nodeId: '58',
				channel: 'images',
				filename: 'frames.zip',
			},
			{
				url: `${STORE}/clip_00001.mp4`,
				kind: 'video',
				nodeId: '58',
				channel: 'images',
				filename: 'clip_00001.mp4',
			},
		]);
	});

	test('entries without a usable http(s) URL are data, kept with where they came from', () => {
		const { data } = readOutputs(OUTPUTS);
		expect(data).toEqual([
			{
				nodeId: '9',
				channel: 'images',
				values: [{ filename: 'preview.png', subfolder: '', type: 'temp' }],
			},
			{ nodeId: '9', channel: 'ratio', values: [1.5] },
			{ nodeId: '38:42', channel: 'text', values: ['a caption'] },
			{
				nodeId: '70',
				channel: 'images',
				values: [{ url: '/view?filename=x.png' }, { url: 'ftp://example.com/x.png' }],
			},
		]);
		expect(textsOf(readOutputs(OUTPUTS))).toEqual(['a caption']);
	});

	test('lists of lists are flattened; empty lists and nulls are nothing', () => {
		const { data } = readOutputs({
			'5': { text: [['one', ['two']], 'three', null, []], tags: [] },
			'6': null,
		});
		expect(data).toEqual([{ nodeId: '5', channel: 'text', values: ['one', 'two', 'three'] }]);
	});

	test('a node holding a bare value, a URL given twice, nothing readable', () => {
		expect(readOutputs({ '7': 'done' }).data).toEqual([
			{ nodeId: '7', channel: '', values: ['done'] },
		]);
		const twice = readOutputs({
			'1': { images: [file('a.png')] },
			'2': { images: [file('a.png')] },
		});
		expect(twice.files.map((entry) => entry.nodeId)).toEqual(['1']);
		for (const nothing of [undefined, null, 'x', [], {}])
			expect(readOutputs(nothing)).toEqual({ files: [], data: [] });
	});

	test('without a file name, the URL names the file', () => {
		const [entry] = readOutputs({
			'3': { images: [{ url: 'https://cdn.example/out/My%20Image.JPG?sig=1' }] },
		}).files;
		expect(entry).toMatchObject({ filename: 'My Image.JPG', kind: 'image' });
	});

	test.each([
		['a.GIF', 'gifs', 'image'],
		['a.webm', 'images', 'video'],
		['a.wav', 'images', 'audio'],
		['a.glb', 'images', 'file'],
		['a', 'gifs', 'video'],
		['a', 'audio', 'audio'],
		['a', 'images', 'image'],
		['a', '3d', 'file'],
	])('%s under %s is a %s', (filename, channel, kind) => {
		expect(fileKind(filename, 'https://x.example/f', channel)).toBe(kind);
	});

	test("a LoRA deployment's output is read as the Model API's", () => {
		const lora = resultOutputs({
			status: 'succeeded',
			output: { images: ['https://cdn.example/lora.png'], seed: 7 },
		});
		expect(lora).toEqual({
			files: [{ url: 'https://cdn.example/lora.png', kind: 'image' }],
			data: [],
		});
		expect(resultOutputs({ status: 'succeeded', outputs: OUTPUTS }).files).toHaveLength(7);
	});
});

describe('the output json', () => {
	test('URLs by kind (one and several), text, files, data and the raw outputs; never the error', () => {
		const answer = {
			request_id: 'r-1',
			status: 'succeeded',
			created_at: '2025-01-01T00:00:00Z',
			finished_at: '2025-01-01T00:01:00Z',
			outputs: OUTPUTS,
			error: null,
		};
		const json = workflowResultJson('r-1', answer, { waitedMs: 61_234 });
		expect(json).toMatchObject({
			requestId: 'r-1',
			status: 'succeeded',
			imageUrl: `${STORE}/ComfyUI_00011_.webp`,
			imageUrls: [`${STORE}/ComfyUI_00011_.webp`, `${STORE}/ComfyUI_00010_.png`],
			videoUrl: `${STORE}/wan_00001.mp4`,
			audioUrl: `${STORE}/wan_00001.flac`,
			fileUrl: `${STORE}/frames.zip`,
			text: 'a caption',
			outputs: OUTPUTS,
			createdAt: '2025-01-01T00:00:00Z',
			finishedAt: '2025-01-01T00:01:00Z',
			waitedSeconds: 61.2,
		});
		expect(json.videoUrls).toHaveLength(3);
		expect(json.audioUrls).toBeUndefined();
		expect(json.fileUrls).toBeUndefined();
		expect(json.texts).toBeUndefined();
		expect(json.files).toHaveLength(7);
		expect(json.data).toHaveLength(4);
		expect('error' in json).toBe(false);
		expect('output' in json).toBe(false);
	});

	test('several texts; the primary kind is always present; nothing at all', () => {
		const json = workflowResultJson(
			'r-2',
			{ status: 'succeeded', outputs: { '1': { text: ['a', 'b'] } } },
			{ primary: 'image' },
		);
		expect(json).toMatchObject({ imageUrl: null, text: 'a', texts: ['a', 'b'], files: [] });
		expect(workflowResultJson('r-3', { status: 'in_progress' })).toEqual({
			requestId: 'r-3',
			status: 'in_progress',
			files: [],
			data: [],
			outputs: null,
			createdAt: null,
			finishedAt: null,
		});
	});

	test("a LoRA result keeps its output, as the model's resultJson does", () => {
		const json = workflowResultJson('r-4', {
			status: 'completed',
			output: { image: 'https://cdn.example/a.png' },
		});
		expect(json).toMatchObject({
			imageUrl: 'https://cdn.example/a.png',
			output: { image: 'https://cdn.example/a.png' },
		});
		expect('outputs' in json).toBe(false);
	});
});

describe("a failed request's error", () => {
	test.each([
		['CUDA out of memory', 'CUDA out of memory'],
		[
			{ type: 'execution_error', message: 'CUDA out of memory' },
			'execution_error: CUDA out of memory',
		],
		[{ message: 'Prompt outputs failed validation' }, 'Prompt outputs failed validation'],
		[{ type: 'timeout' }, 'timeout'],
		[
			[
				{
					errorCode: 'E_NODE',
					error: 'KSampler failed',
					debugInfo: 'Traceback (most recent call last):\n  File …',
				},
			],
			'E_NODE: KSampler failed',
		],
		[[{ error: 'first' }, { error: 'second' }, { error: 'first' }], 'first; second'],
		[[{ debugInfo: 'Traceback: boom\n  at line 3' }], 'Traceback: boom'],
		[
			{
				type: 'execution_error',
				exception_message: 'Value 2 bigger than max',
				node_id: '31',
				node_type: 'KSampler',
			},
			'execution_error: Value 2 bigger than max (node 31, KSampler)',
		],
		[{ error: { message: 'nested reason' } }, 'nested reason'],
		[{ error_code: 500001, error_message: 'internal' }, '500001: internal'],
		[{ type: 'oom', message: 'oom: out of memory' }, 'oom: out of memory'],
	])('%p reads as %p', (error, message) => {
		expect(deploymentErrorText(error)).toBe(message);
	});

	test.each([undefined, null, '', '  ', {}, [], [{}], 42 as unknown])(
		'%p says nothing',
		(error) => {
			expect(deploymentErrorText(error)).toBeUndefined();
		},
	);

	test('a long message is cut to 500 characters', () => {
		const message = deploymentErrorText({ message: 'x'.repeat(2000) });
		expect(message).toHaveLength(500);
		expect(message?.endsWith('…')).toBe(true);
	});
});
