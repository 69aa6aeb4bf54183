import type { INodeProperties } from 'n8n-workflow';

/** Create and Update: what a deployment runs on and how far it scales. */

const HARDWARE = [
	['TURING_16', 'Turing 16 GB'],
	['AMPERE_24', 'Ampere 24 GB'],
	['AMPERE_48', 'Ampere 48 GB'],
	['ADA_48_PLUS', 'Ada 48 GB Plus'],
	['AMPERE_80', 'Ampere 80 GB'],
	['ADA_80_PLUS', 'Ada 80 GB Plus'],
	['HOPPER_141', 'Hopper 141 GB'],
];

const capacity: INodeProperties[] = [
	{
		displayName: 'Min Instances',
		name: 'minInstances',
		type: 'number',
		default: 0,
		description: 'Instances kept running; above 0 they bill while idle',
	},
	{
		displayName: 'Max Instances',
		name: 'maxInstances',
		type: 'number',
		default: 1,
		description: 'The most instances the deployment scales up to',
	},
	{
		displayName: 'Queue Size',
		name: 'queueSize',
		type: 'number',
		default: 1,
		description: 'Requests waiting per instance before another one is started',
	},
	{
		displayName: 'Keep Warm (Seconds)',
		name: 'keepWarmSeconds',
		type: 'number',
		default: 60,
		description: 'How long an idle instance stays up (and bills) before it stops',
	},
];

const creatingOnly = { show: { operation: ['createDeployment'] } };

export const createFields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'deploymentName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: creatingOnly,
	},
	{
		displayName: 'Workflow ID',
		name: 'workflowId',
		type: 'string',
		required: true,
		default: '',
		description: "The saved workflow's ID in RunComfy",
		displayOptions: creatingOnly,
	},
	{
		displayName: 'Workflow Version',
		name: 'workflowVersion',
		type: 'string',
		required: true,
		default: 'v1',
		displayOptions: creatingOnly,
	},
	{
		displayName: 'Hardware',
		name: 'hardware',
		type: 'options',
		options: HARDWARE.map(([value, name]) => ({ name, value })),
		default: 'AMPERE_24',
		displayOptions: creatingOnly,
	},
	{
		displayName: 'Capacity',
		name: 'capacity',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		displayOptions: creatingOnly,
		options: capacity,
	},
];

export const updateFields: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: ['updateDeployment'] } },
		options: [
			{
				displayName: 'Enabled',
				name: 'enabled',
				type: 'boolean',
				default: true,
				description:
					'Whether the deployment takes requests; disabling it fails its queued and running requests',
			},
			...capacity,
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'A new name; without one the current name is sent again (the API requires it)',
			},
		],
	},
];

export const deleteNotice: INodeProperties = {
	displayName: 'Deleting a deployment is permanent: its queued and running requests fail',
	name: 'deleteNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { operation: ['deleteDeployment'] } },
};
