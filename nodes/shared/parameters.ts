import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_MAX_JOBS } from './jobs/spending';
import { DEFAULT_REQUESTS_PER_SECOND, setBudget } from './transport/budget';
import type { ItemResult } from './results';
import { failure } from './results';
import {
	checkBinaryPropertyName,
	checkFlag,
	checkNumber,
	checkRequestId,
	OPTION_LIMITS,
	valueOf,
} from './values';

/** Reading the parameters every RunComfy node shares: options and request ids, item by item. */

export interface NodeOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	cancelOnTimeout: boolean;
	download: boolean;
	binaryPropertyName: string;
	maxConcurrency: number;
	maxJobs: number;
	/** 0 = no limit. */
	maxSpend: number;
	checkBalance: boolean;
	/** The run's request budget (0: none); every call to RunComfy draws from it. */
	maxRequestsPerSecond: number;
}

const OPTIONS_DESCRIPTION =
	'Nothing was submitted to RunComfy: correct the option under Options and run the node again.';

/** What an operation does, so only the options it uses are read: a hidden option's stale value must not stop the node. */
export type OptionGroup = 'waiting' | 'submitting' | 'resulting';

/** The node's options, checked once for all items; a bad one stops the node before any request. */
export function readOptions(
	ctx: IExecuteFunctions,
	groups: readonly OptionGroup[],
	labels: { download: string } = { download: 'Download Video' },
): NodeOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const reads = (group: OptionGroup) => groups.includes(group);
	const number = (name: keyof typeof OPTION_LIMITS, fallback: number, read: boolean) =>
		read && options[name] !== undefined
			? valueOf(checkNumber(OPTION_LIMITS[name].label, options[name], OPTION_LIMITS[name]))
			: fallback;
	const flag = (name: string, label: string, fallback: boolean, read: boolean) =>
		read ? valueOf(checkFlag(label, options[name], fallback)) : fallback;
	// An AI agent gets URLs only: binary data would flood its context.
	const isTool = ctx.getNode().type.endsWith('Tool');
	try {
		const download = flag('download', labels.download, false, reads('resulting')) && !isTool;
		// Read for every operation: the budget paces whatever the run sends.
		const maxRequestsPerSecond = number('maxRequestsPerSecond', DEFAULT_REQUESTS_PER_SECOND, true);
		setBudget(ctx, maxRequestsPerSecond);
		return {
			pollIntervalMs: number('pollInterval', 5, reads('waiting')) * 1000,
			timeoutMs: number('timeout', 900, reads('waiting')) * 1000,
			cancelOnTimeout: flag('cancelOnTimeout', 'Cancel on Timeout', true, reads('waiting')),
			download,
			binaryPropertyName:
				download && options.binaryPropertyName !== undefined
					? valueOf(checkBinaryPropertyName('Put Output in Field', options.binaryPropertyName))
					: 'data',
			maxConcurrency: number('maxConcurrency', 5, reads('submitting')),
			maxJobs: number('maxJobs', DEFAULT_MAX_JOBS, reads('submitting')),
			maxSpend: number('maxSpend', 0, reads('submitting')),
			checkBalance: flag('checkBalance', 'Check Balance First', false, reads('submitting')),
			maxRequestsPerSecond,
		};
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			description: OPTIONS_DESCRIPTION,
		});
	}
}

/**
 * Reads every item before any request, so bad input fails before anything is paid for. Without
 * Continue On Fail the first bad item stops the node; with it, bad items become error items.
 */
export async function readEach<T>(
	ctx: IExecuteFunctions,
	read: (itemIndex: number) => Promise<T> | T,
): Promise<{ valid: Array<{ itemIndex: number; value: T }>; invalid: ItemResult[] }> {
	const valid: Array<{ itemIndex: number; value: T }> = [];
	const invalid: ItemResult[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			valid.push({ itemIndex, value: await read(itemIndex) });
		} catch (error) {
			invalid.push(failure(ctx, itemIndex, error));
		}
		if (invalid.length > 0 && !ctx.continueOnFail()) throw invalid[0].error!;
	}
	return { valid, invalid };
}

/** The item's Request ID, trimmed; refused before any request when it can't be one. */
export function readRequestId(ctx: IExecuteFunctions, itemIndex: number): string {
	const checked = checkRequestId(ctx.getNodeParameter('requestId', itemIndex, ''));
	if ('problem' in checked) {
		throw new NodeOperationError(ctx.getNode(), checked.problem, {
			itemIndex,
			description:
				'Pass the requestId that Submit Job returned, e.g. {{ $json.requestId }}. Nothing was sent to RunComfy for this item.',
		});
	}
	return checked.value;
}

/**
 * The item's job as the client should follow it: its Request ID, and the deployment it belongs
 * to when the node has a Deployment ID for jobs (empty: a Model API job).
 */
export function readJob(
	ctx: IExecuteFunctions,
	client: { follow: (requestId: string, deploymentId?: string) => void },
	itemIndex: number,
	requestId: string,
): void {
	const raw = ctx.getNodeParameter('jobDeploymentId', itemIndex, '');
	const deploymentId = typeof raw === 'string' ? raw.trim() : '';
	if (/[/?#\\\s]/.test(deploymentId)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Deployment ID can't contain /, ?, #, \\ or spaces, got "${deploymentId}"`,
			{ itemIndex },
		);
	}
	client.follow(requestId, deploymentId || undefined);
}
