import type { INodeProperties } from 'n8n-workflow';

/** The Trigger's fields: which ended jobs to emit, and whether to download their files. */

export const TRIGGER_NOTICE: INodeProperties = {
	displayName:
		"Paste this node's Production URL (under Webhook URLs above) into Callback URL of a RunComfy node's Deployment → Submit Job. The URL is the secret: do not share it. Each call is checked with your RunComfy credential before anything is emitted.",
	name: 'notice',
	type: 'notice',
	default: '',
};

export const filterField: INodeProperties = {
	displayName: 'Emit',
	name: 'filter',
	type: 'options',
	options: [
		{
			name: 'Succeeded Jobs',
			value: 'succeeded',
			description: 'Only jobs that finished with a result',
		},
		{
			name: 'Failed Jobs',
			value: 'failed',
			description: 'Only jobs that failed or were cancelled',
		},
		{
			name: 'All Ended Jobs',
			value: 'all',
			description: 'Every job that ended, whatever its outcome',
		},
	],
	default: 'succeeded',
	description: 'Which finished jobs start the workflow',
};

export const triggerOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Download Files',
			name: 'download',
			type: 'boolean',
			default: false,
			description:
				'Whether to download the output files of a succeeded job into binary fields (else only their URLs are output)',
		},
		{
			displayName: 'Put Output in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'Binary field to put the downloaded file in; further files get _1, _2, …',
			displayOptions: { show: { download: [true] } },
		},
	],
};
