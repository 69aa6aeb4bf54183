import type { IExecuteFunctions } from 'n8n-workflow';

import type { NodeProfile } from './lookUps';
import { cancelJobs, checkJobs, getResults, getStatuses } from './lookUps';
import type { Operation, RoutingOperation } from './router';
import { waitForCompletion } from './waitForCompletion';

export type { NodeProfile } from './lookUps';
export { route } from './router';

/** The look-up operations of a node whose jobs deliver what `profile` says. */
export function lookUpOperations(profile: NodeProfile): {
	single: Record<'cancel' | 'getStatus' | 'getResult' | 'waitForCompletion', Operation>;
	routing: Record<'checkJob', RoutingOperation>;
} {
	return {
		single: {
			cancel: {
				execute: async function (this: IExecuteFunctions) {
					return await cancelJobs(this);
				},
			},
			getStatus: {
				execute: async function (this: IExecuteFunctions) {
					return await getStatuses(this);
				},
			},
			getResult: {
				execute: async function (this: IExecuteFunctions) {
					return await getResults(this, profile);
				},
			},
			waitForCompletion: {
				execute: async function (this: IExecuteFunctions) {
					return await waitForCompletion(this, profile);
				},
			},
		},
		routing: {
			checkJob: {
				execute: async function (this: IExecuteFunctions) {
					return await checkJobs(this, profile);
				},
			},
		},
	};
}
