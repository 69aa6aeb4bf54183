import type { IDataObject } from 'n8n-workflow';

/**
 * `catalog`: the model list, categories and one model's details; `balance`: the account's balance
 * on the Account API URL. Both read-only, safe to repeat. `deployments`: the Serverless API's
 * deployment records (list, get, create, update, delete); `objectInfo`: a deployment's ComfyUI
 * node definitions.
 */
export type Call =
	| 'submit'
	| 'status'
	| 'result'
	| 'cancel'
	| 'catalog'
	| 'balance'
	| 'deployments'
	| 'objectInfo';

/** What RunComfy answers on the four calls; every field is optional because some are guesses. */
export interface JobAnswer extends IDataObject {
	request_id?: string;
	status?: string;
	queue_position?: number;
	status_url?: string;
	result_url?: string;
	cancel_url?: string;
	outcome?: string;
	output?: IDataObject | null;
	error?: IDataObject | string | null;
	created_at?: string;
	finished_at?: string;
	cost?: number;
}

/** An answer together with the Retry-After the server sent with it, if any. */
export interface Reply {
	answer: JobAnswer;
	retryAfterMs?: number;
}

export const REQUEST_TIMEOUT_MS: Record<Call, number> = {
	submit: 120_000,
	status: 30_000,
	result: 30_000,
	cancel: 30_000,
	catalog: 30_000,
	balance: 30_000,
	deployments: 30_000,
	objectInfo: 30_000,
};
