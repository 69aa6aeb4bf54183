import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { cancelJobs, checkJobs, getResults, getStatuses } from '../../shared/operations/lookUps';
import { waitForCompletion as waitForJobs } from '../../shared/operations/waitForCompletion';

/** The operations that look at jobs by request id, as every RunComfy node has them; FusionX delivers a video. */

export const cancel = {
	execute: async function (this: IExecuteFunctions) {
		return await cancelJobs(this);
	},
};
export const getStatus = {
	execute: async function (this: IExecuteFunctions) {
		return await getStatuses(this);
	},
};
export const getResult = {
	execute: async function (this: IExecuteFunctions): Promise<INodeExecutionData[]> {
		return await getResults(this, 'video');
	},
};
export const waitForCompletion = {
	execute: async function (this: IExecuteFunctions): Promise<INodeExecutionData[]> {
		return await waitForJobs(this, 'video');
	},
};
export const checkJob = {
	execute: async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await checkJobs(this, 'video');
	},
};
