import type { INodeProperties } from 'n8n-workflow';

import { requestIdField as sharedRequestIdField } from '../../../shared/descriptions/requestId';
import { JOB_OPERATIONS } from '../operations';

/** The Job resource: one job of a model or of a deployment, by its request ID. */
export const jobOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['job'] } },
	options: [
		{
			name: 'Cancel Job',
			value: 'cancel',
			action: 'Cancel a job',
			description:
				'Cancel a job: a queued one is cancelled; a running deployment job is asked to stop and may still run (and bill) until it ends',
		},
		{
			name: 'Check Job',
			value: 'checkJob',
			action: 'Check a job and route it by whether it is done',
			description:
				'Look at a job once: finished ones go to Completed, the others to Still Running with a time to check again (for a Wait node)',
		},
		{
			name: 'Get Result',
			value: 'getResult',
			action: 'Get the result of a job',
			description: 'Look up the result of a job once',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the status of a job',
			description: 'Look up the status and queue position of a job once',
		},
		{
			name: 'Wait for Completion',
			value: 'waitForCompletion',
			action: 'Wait for a job to complete',
			description: 'Wait for a submitted job to end, then return its files',
		},
	],
	default: 'waitForCompletion',
};

export const requestIdField = sharedRequestIdField('Submit Job, Run Model or Run Workflow');

/** Which API a job lives on follows from this field: empty is a Model API job. */
export const jobDeploymentIdField: INodeProperties = {
	displayName: 'Deployment ID',
	name: 'jobDeploymentId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 3f0c6a1e-…',
	description:
		"For a job of a Serverless deployment: the deployment's ID (Submit Job and Run Workflow output it as deploymentId). Leave empty for a model's job.",
	displayOptions: { show: { operation: [...JOB_OPERATIONS] } },
};
