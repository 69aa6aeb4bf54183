import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ErrorKind, RunComfyError } from './errors';
import { describeDetail } from './errors';

/** The words a user reads for each kind of failure: what happened and what to do. */
const GUIDANCE: Record<ErrorKind, { message: string; description: string }> = {
	auth: {
		message: 'RunComfy rejected the API token',
		description:
			'The token in the RunComfy API credential is wrong or expired. Create a new one in your RunComfy dashboard and update the credential.',
	},
	balance: {
		message: 'Your RunComfy balance is too low to run this job',
		description: 'Top up your RunComfy account, then run the workflow again.',
	},
	permission: {
		message: 'RunComfy denied permission for this request',
		description:
			'The token is valid but may not use this model, deployment or request (a deployment of another account answers so). Check the ID, your RunComfy plan and the token.',
	},
	unknownModel: {
		message: 'RunComfy does not know this model id',
		description:
			'Check the Base URL in the RunComfy API credential; it should be https://model-api.runcomfy.net.',
	},
	notFound: {
		message: 'RunComfy does not know this request id',
		description:
			'The Request ID is wrong or has expired. Check the value passed to the Request ID field.',
	},
	unknownDeployment: {
		message: 'RunComfy does not know this deployment',
		description:
			'Check the Deployment field: pick the deployment from the list, or give its ID as RunComfy shows it. Deployments of another account are not listed. No job was created.',
	},
	deploymentOff: {
		message: 'This RunComfy deployment is disabled or deleted',
		description:
			'Enable the deployment in RunComfy (or with Deployment → Update, Enabled on), or pick another one. No job was created.',
	},
	invalidInput: {
		message: 'RunComfy rejected the input',
		description: 'Change the fields named in the message and run again. No job was created.',
	},
	rateLimited: {
		message: 'RunComfy is rate limiting requests',
		description:
			'The node waited and retried as RunComfy asked, but the limit persisted. Lower "Max Concurrent Submits" in the options or run later.',
	},
	server: {
		message: 'RunComfy answered with a server error',
		description: 'A temporary problem at RunComfy. The node retried with backoff; run again later.',
	},
	network: {
		message: 'Could not reach RunComfy',
		description: 'Check the network and the Base URL in the RunComfy API credential.',
	},
	badUrl: {
		message: 'RunComfy answered 404 Not Found for this URL',
		description:
			'Check the Base URL in the RunComfy API credential: it should be https://model-api.runcomfy.net, without a path.',
	},
	redirect: {
		message: 'RunComfy answered with a redirect',
		description:
			'The node never follows a redirect from the API, so your token and input are not sent to another address. Set the Base URL in the RunComfy API credential to the address that answers directly (https://model-api.runcomfy.net).',
	},
	badAnswer: {
		message: 'RunComfy answered with something that is not a JSON object',
		description:
			'A proxy or a temporary problem may be answering instead of RunComfy. Check the Base URL in the RunComfy API credential.',
	},
	cancelled: {
		message: 'The execution was stopped',
		description: 'Jobs still queued at RunComfy were cancelled.',
	},
	unexpected: {
		message: 'RunComfy gave an unexpected answer',
		description: 'The answer did not match the documented API.',
	},
};

/**
 * Turns a failed call into the error the user sees, with what to do. `requestId` is added so a
 * job that was already paid for is never lost.
 */
export function toNodeApiError(
	node: INode,
	error: RunComfyError,
	context: { itemIndex?: number; requestId?: string; extra?: string } = {},
): NodeApiError {
	const guidance = GUIDANCE[error.kind];
	const { httpCode, errorCode, apiMessage, detail, networkCode } = error.details;
	const reason = [apiMessage, describeDetail(detail)].filter(Boolean).join(': ');
	const message =
		error.kind === 'network' || error.kind === 'unexpected'
			? error.message
			: reason && error.kind !== 'auth'
				? `${guidance.message}: ${reason}`
				: guidance.message;
	const description = [
		guidance.description,
		networkCode ? `(${networkCode})` : undefined,
		context.extra,
		context.requestId ? `Request ID: ${context.requestId}` : undefined,
	]
		.filter(Boolean)
		.join(' ');
	const response: JsonObject = { kind: error.kind };
	if (errorCode) response.error_code = errorCode;
	if (apiMessage) response.error_message = apiMessage;
	if (context.requestId) response.request_id = context.requestId;
	const apiError = new NodeApiError(node, response, {
		message,
		description,
		httpCode: httpCode ? String(httpCode) : undefined,
		itemIndex: context.itemIndex,
	});
	if (context.requestId) apiError.context.requestId = context.requestId;
	return apiError;
}
