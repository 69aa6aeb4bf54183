import type { INodeProperties } from 'n8n-workflow';

/** The operations every RunComfy node has that take a Request ID. */
export const LOOK_UP_OPERATIONS = [
	'getStatus',
	'waitForCompletion',
	'getResult',
	'checkJob',
	'cancel',
];

/** The Request ID field; `returnedBy` names the node's operations that return one. */
export function requestIdField(returnedBy: string): INodeProperties {
	return {
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 6a0e4b3c-…',
		description: `The request ID that ${returnedBy} returned`,
		displayOptions: { show: { operation: LOOK_UP_OPERATIONS } },
	};
}
