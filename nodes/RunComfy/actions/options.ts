import type { INodeProperties } from 'n8n-workflow';

import { OPTION_LIMITS } from '../../shared/values';
import { OPERATIONS } from './descriptions';

/** The Options collection: each option shown only for the operations that read it. */

const waiting = [OPERATIONS.run, OPERATIONS.waitForCompletion];
const resulting = [...waiting, OPERATIONS.getResult];

export const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { operation: [...resulting, OPERATIONS.submit] } },
	options: [
		{
			displayName: 'Cancel on Timeout',
			name: 'cancelOnTimeout',
			type: 'boolean',
			default: true,
			description:
				'Whether to cancel a job that is still queued when the timeout passes (a running job cannot be cancelled)',
			displayOptions: { show: { '/operation': waiting } },
		},
		{
			displayName: 'Download Files',
			name: 'download',
			type: 'boolean',
			default: false,
			description:
				'Whether to attach every file the model returns as binary data (data, data_1, …). RunComfy URLs expire after some days.',
			displayOptions: { show: { '/operation': resulting } },
		},
		{
			displayName: 'Max Concurrent Submits',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: {
				minValue: OPTION_LIMITS.maxConcurrency.min,
				maxValue: OPTION_LIMITS.maxConcurrency.max,
				numberPrecision: 0,
			},
			default: 5,
			description: 'How many jobs are submitted at the same time',
			displayOptions: { show: { '/operation': [OPERATIONS.run, OPERATIONS.submit] } },
		},
		{
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: {
				minValue: OPTION_LIMITS.maxRequestsPerSecond.min,
				maxValue: OPTION_LIMITS.maxRequestsPerSecond.max,
			},
			default: 8,
			description:
				"The most requests this node sends to RunComfy per second, all jobs of the run together (submits, status checks, cancels); short bursts of up to 12 seconds' worth are allowed. Keeps big batches under the API's rate limit. 0 = no limit.",
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: {
				minValue: OPTION_LIMITS.pollInterval.min,
				maxValue: OPTION_LIMITS.pollInterval.max,
			},
			default: 5,
			description: `How often to check each job while waiting (${OPTION_LIMITS.pollInterval.min}–${OPTION_LIMITS.pollInterval.max} seconds)`,
			displayOptions: { show: { '/operation': waiting } },
		},
		{
			displayName: 'Put Output in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			hint: 'The name of the output binary field for the first file; further files get _1, _2, …',
			description: 'Binary field to put the downloaded files in',
			displayOptions: { show: { '/operation': resulting, download: [true] } },
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 900,
			description:
				'How long to wait for a job. When it passes, the item fails with the Request ID so you can resume with Wait for Completion.',
			displayOptions: { show: { '/operation': waiting } },
		},
	],
};
