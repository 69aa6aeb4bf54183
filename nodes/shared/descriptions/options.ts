import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_JOBS } from '../jobs/spending';
import { DEFAULT_REQUESTS_PER_SECOND } from '../transport/budget';
import { OPTION_LIMITS } from '../values';

/** Which of a node's operations submit, wait, and return files: each option shows where it applies. */
export interface OperationGroups {
	submitting: string[];
	waiting: string[];
	resulting: string[];
}

/** How a node names what its jobs return: "video" for FusionX, "file" for any model. */
export interface FileWords {
	download: string;
	downloadDescription: string;
	binaryHint: string;
}

/** The options about paying: how many jobs, how fast, how much. */
function submittingOptions({ submitting }: OperationGroups): INodeProperties[] {
	return [
		{
			displayName: 'Check Balance First',
			name: 'checkBalance',
			type: 'boolean',
			default: false,
			description:
				"Whether to read the account's balance before submitting and refuse a run whose estimate is higher",
			displayOptions: { show: { '/operation': submitting } },
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
			description:
				'How many jobs are submitted at the same time; all submitted jobs are then waited for together',
			displayOptions: { show: { '/operation': submitting } },
		},
		{
			displayName: 'Max Estimated Spend (USD)',
			name: 'maxSpend',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			// Adding the option means wanting a limit: it starts at one (0, which shows as 0.00, means none).
			default: 10,
			description:
				"A run whose estimate (items × the model's catalog price) is higher is refused before anything is paid for. Without this option there is no limit (0 also turns it off).",
			displayOptions: { show: { '/operation': submitting } },
		},
		{
			displayName: 'Max Jobs per Execution',
			name: 'maxJobs',
			type: 'number',
			typeOptions: {
				minValue: OPTION_LIMITS.maxJobs.min,
				maxValue: OPTION_LIMITS.maxJobs.max,
				numberPrecision: 0,
			},
			default: DEFAULT_MAX_JOBS,
			description:
				'The most paid jobs this node submits in one execution, its earlier runs in a loop included; a run that would pass it is refused before anything is paid for',
			displayOptions: { show: { '/operation': submitting } },
		},
		{
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: {
				minValue: OPTION_LIMITS.maxRequestsPerSecond.min,
				maxValue: OPTION_LIMITS.maxRequestsPerSecond.max,
			},
			default: DEFAULT_REQUESTS_PER_SECOND,
			description:
				"The most requests this node sends to one RunComfy host per second, all jobs of the run together (submits, status checks, cancels); short bursts of up to 12 seconds' worth are allowed. A ceiling, never passed: below it the node finds RunComfy's real limit by itself, slowing down when RunComfy answers 429 (Too Many Requests) and speeding up again while answers are clean. 0 = no limit and no slowing down.",
		},
	];
}

/** The options about waiting for jobs and what they return. */
function waitingOptions(
	{ waiting, resulting }: OperationGroups,
	words: FileWords,
): INodeProperties[] {
	return [
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
			displayName: words.download,
			name: 'download',
			type: 'boolean',
			default: false,
			description: words.downloadDescription,
			displayOptions: { show: { '/operation': resulting } },
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
			hint: words.binaryHint,
			description: 'Binary field to put the downloaded file in; further files get _1, _2, …',
			displayOptions: { show: { '/operation': resulting, download: [true] } },
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			// Any positive number is accepted from an expression; the field itself asks for 1 s or more.
			typeOptions: { minValue: 1 },
			default: 900,
			description:
				'How long to wait for a job. When it passes, the item fails with the Request ID so you can resume with Wait for Completion.',
			displayOptions: { show: { '/operation': waiting } },
		},
	];
}

/** The Options collection every RunComfy node has (n8n shows them sorted by name); limits come from OPTION_LIMITS. */
export function optionsField(groups: OperationGroups, words: FileWords): INodeProperties {
	const { submitting, resulting } = groups;
	const options = [...submittingOptions(groups), ...waitingOptions(groups, words)];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: [...new Set([...resulting, ...submitting])] } },
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
