import type { INodeProperties } from 'n8n-workflow';

import { requestIdField as sharedRequestIdField } from '../../shared/descriptions/requestId';

import { LIMITS, NUM_FRAMES, RESOLUTIONS } from '../helpers/input';
import { optionsField as sharedOptionsField } from '../../shared/descriptions/options';

/**
 * Fields shared by several operations. Limits come from helpers/input, the API's schema; defaults
 * are literals because n8n's linter reads them (a test checks they match the schema's).
 */

export const OPERATIONS = {
	generate: 'generate',
	submit: 'submit',
	getStatus: 'getStatus',
	waitForCompletion: 'waitForCompletion',
	getResult: 'getResult',
	cancel: 'cancel',
	checkJob: 'checkJob',
	dryRun: 'dryRun',
} as const;

export type Operation = keyof typeof OPERATIONS;

const creating = {
	show: { operation: [OPERATIONS.generate, OPERATIONS.submit, OPERATIONS.dryRun] },
};

export const generationFields: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder:
			'e.g. The camera slowly pushes in as she turns toward the window, hair moving in the wind',
		description:
			'What should happen in the video: the motion, the camera and the mood. The image sets the look; the prompt sets what moves.',
		displayOptions: creating,
	},
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{
				name: 'URL',
				value: 'url',
				description: 'A public http(s) URL of the start frame (the documented way)',
			},
			{
				name: 'Binary File',
				value: 'binary',
				description:
					'An image from a previous node (form upload, Drive download…), sent as a data: URI. RunComfy documents hosted URLs; data URIs are accepted by its other models.',
			},
		],
		default: 'url',
		description: 'Where the start frame comes from',
		displayOptions: creating,
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/start-frame.png',
		description:
			'The first frame of the video: a public http(s) URL RunComfy can download without a login (a pre-signed URL works for private files). Up to 50 MB.',
		displayOptions: { show: { ...creating.show, imageSource: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'imageBinaryProperty',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field that holds the start image (PNG, JPEG or WebP, up to 6 MB)',
		description: 'The binary field of the incoming item that holds the start frame',
		displayOptions: { show: { ...creating.show, imageSource: ['binary'] } },
	},
	{
		displayName: 'Resolution',
		name: 'resolution',
		type: 'options',
		options: RESOLUTIONS.map((value) => ({ name: value, value })),
		default: '720x480 (3:2)',
		description:
			'Width x height of the video. Pick the aspect ratio of your image; larger sizes take longer.',
		displayOptions: creating,
	},
	{
		displayName: 'Number of Frames',
		name: 'numFrames',
		type: 'options',
		options: NUM_FRAMES.map((value) => ({ name: `${value} Frames`, value })),
		default: 81,
		description:
			'Length of the video in frames; divide by Frames per Second for seconds (81 frames at 16 per second is about 5 s, 141 about 9 s)',
		displayOptions: creating,
	},
	{
		displayName: `Frames per Second (${LIMITS.frameRate.min}–${LIMITS.frameRate.max})`,
		name: 'frameRate',
		type: 'number',
		default: 16,
		description: `Playback speed (${LIMITS.frameRate.min}–${LIMITS.frameRate.max}). Higher is smoother and makes the video shorter for the same number of frames.`,
		displayOptions: creating,
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: -1,
		description:
			'Start value of the randomness, a whole number. -1 picks a random seed (shown in the output); reuse a seed with the same inputs to get the same video again.',
		displayOptions: creating,
	},
	{
		displayName: `Steps (${LIMITS.steps.min}–${LIMITS.steps.max})`,
		name: 'steps',
		type: 'number',
		default: 10,
		description: `Denoising steps (${LIMITS.steps.min}–${LIMITS.steps.max}). More steps refine detail and stability but take longer; FusionX is tuned for 6–10.`,
		displayOptions: creating,
	},
	{
		displayName: `Guidance Scale (${LIMITS.guidanceScale.min}–${LIMITS.guidanceScale.max})`,
		name: 'guidanceScale',
		type: 'number',
		default: 1,
		description: `How strongly the video follows the prompt (${LIMITS.guidanceScale.min}–${LIMITS.guidanceScale.max}). FusionX works best at 1.`,
		displayOptions: creating,
	},
	{
		displayName: `Shift (${LIMITS.shift.min}–${LIMITS.shift.max})`,
		name: 'shift',
		type: 'number',
		default: 5,
		description: `Offsets the sampling schedule (${LIMITS.shift.min}–${LIMITS.shift.max}): higher gives more motion and style, lower more stability`,
		displayOptions: creating,
	},
	{
		displayName: 'Additional Inputs (JSON)',
		name: 'additionalInputs',
		type: 'json',
		default: '{}',
		description:
			'Extra API keys to send as they are, for inputs RunComfy adds later. Keys of the fields above are not allowed here.',
		displayOptions: creating,
	},
];

export const requestIdField = sharedRequestIdField('Submit Job or Generate Video');

const waiting = [OPERATIONS.generate, OPERATIONS.waitForCompletion];

export const optionsField = sharedOptionsField(
	{
		submitting: [OPERATIONS.generate, OPERATIONS.submit],
		waiting,
		resulting: [...waiting, OPERATIONS.getResult, OPERATIONS.checkJob],
	},
	{
		download: 'Download Video',
		downloadDescription:
			'Whether to attach the video as binary data for storage nodes (S3, Google Drive, …). RunComfy URLs expire after some days.',
		binaryHint:
			'The name of the output binary field for the video (letters, digits, _, - and .); further videos get _1, _2, …',
	},
);
