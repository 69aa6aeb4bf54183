import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RunComfyError, toNodeApiError } from './transport';

/** Each item's fate (an output item, or an error naming its job) and the node's output. */

/** One item's fate: an output item, or an error that names the job it belongs to. */
export interface ItemResult {
	itemIndex: number;
	item?: INodeExecutionData;
	error?: NodeApiError | NodeOperationError;
	requestId?: string;
	status?: string;
	/** Failed only because another item did: the other item's error is the one to report. */
	secondary?: boolean;
	/** Its submit may have created a job whose request id is unknown (the answer was lost). */
	mayHaveJob?: boolean;
}

export function failure(
	ctx: IExecuteFunctions,
	itemIndex: number,
	error: unknown,
	job: { requestId?: string; status?: string; extra?: string } = {},
): ItemResult {
	let nodeError: NodeApiError | NodeOperationError;
	if (error instanceof RunComfyError) {
		nodeError = toNodeApiError(ctx.getNode(), error, { itemIndex, ...job });
	} else if (
		error instanceof NodeOperationError ||
		(error as NodeApiError)?.name === 'NodeApiError'
	) {
		nodeError = error as NodeOperationError;
	} else {
		nodeError = new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
	if (job.requestId && !String(nodeError.description ?? '').includes(job.requestId)) {
		nodeError.description = [nodeError.description, `Request ID: ${job.requestId}`]
			.filter(Boolean)
			.join(' ');
		nodeError.context.requestId = job.requestId;
	}
	return { itemIndex, error: nodeError, requestId: job.requestId, status: job.status };
}

/**
 * Output items in input order. A failed item becomes an error item under Continue On Fail;
 * otherwise the first failure is thrown, listing every job this run created so none is lost.
 */
export function finishItems(
	ctx: IExecuteFunctions,
	results: ItemResult[],
	jobsLabel = 'Jobs created in this run',
): INodeExecutionData[] {
	const sorted = [...results].sort((a, b) => a.itemIndex - b.itemIndex);
	const failed = sorted.filter((result) => result.error);
	if (failed.length > 0 && !ctx.continueOnFail()) {
		const error = (failed.find((result) => !result.secondary) ?? failed[0]).error!;
		const jobs = sorted
			.filter((result) => result.requestId || result.mayHaveJob)
			.map((result) => {
				if (!result.requestId) {
					return `item ${result.itemIndex}: a job may have been created, its request id is unknown`;
				}
				const state = result.error
					? `failed${result.status ? `, ${result.status}` : ''}`
					: (result.status ?? 'ok');
				const file = firstFileUrl(result.item?.json);
				return `item ${result.itemIndex}: ${result.requestId} (${state}${file ? `, ${file}` : ''})`;
			});
		if (jobs.length > 0) {
			error.description = `${error.description ?? ''} ${jobsLabel}: ${jobs.join('; ')}.`.trim();
			error.context.requestIds = sorted
				.filter((result) => result.requestId)
				.map((result) => result.requestId);
		}
		throw error;
	}
	return sorted.map((result) => {
		if (result.item) return { ...result.item, pairedItem: { item: result.itemIndex } };
		const error = result.error!;
		const details: IDataObject = {};
		if (error.description) details.description = error.description;
		if (result.requestId) details.requestId = result.requestId;
		if (result.status) details.status = result.status;
		// n8n routes an item to the error output by its json alone only when that is `{ error }` or
		// `{ error, message }` (1.x, and 2.x before 2.34.6/2.35.3/2.36); `{ error, details }` stays
		// on the success output there. One `error` object routes on every line and keeps its fields.
		const json: IDataObject =
			ctx.getNode().onError === 'continueErrorOutput'
				? { error: { message: error.message, ...details } }
				: { error: error.message, ...details };
		return { json, pairedItem: { item: result.itemIndex } };
	});
}

/** The first `<kind>Url` of an output item, to name a delivered job's file in an error. */
function firstFileUrl(json: IDataObject | undefined): string | undefined {
	const key = Object.keys(json ?? {}).find(
		(name) => /Url$/.test(name) && typeof json?.[name] === 'string',
	);
	return key ? String(json![key]) : undefined;
}
