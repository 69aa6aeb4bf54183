import type { INodeProperties } from 'n8n-workflow';

/** The Deployment resource: the user's own ComfyUI workflows on RunComfy's Serverless API. */
export const deploymentOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['deployment'] } },
	options: [
		{
			name: 'Create Deployment',
			value: 'createDeployment',
			action: 'Create a deployment',
			description: 'Deploy a saved workflow version on the hardware chosen',
		},
		{
			name: 'Delete Deployment',
			value: 'deleteDeployment',
			action: 'Delete a deployment',
			description: 'Delete a deployment for good',
		},
		{
			name: 'Dry Run',
			value: 'dryRunWorkflow',
			action: 'Dry run the requests without paying',
			description:
				'Check every item against the workflow and output the exact body each would send; nothing is sent',
		},
		{
			name: 'Get Deployment',
			value: 'getDeployment',
			action: 'Get a deployment',
			description: "A deployment's settings, hardware and the inputs its workflow exposes",
		},
		{
			name: 'List Deployments',
			value: 'listDeployments',
			action: 'List deployments',
			description: "Your account's deployments",
		},
		{
			name: 'Run Workflow',
			value: 'runWorkflow',
			action: 'Run a deployed workflow',
			description:
				'Submit a job to the deployment, wait until it ends and return every output file',
		},
		{
			name: 'Submit Job',
			value: 'submitWorkflow',
			action: 'Submit a workflow job',
			description: 'Submit a job to the deployment and return its request ID at once',
		},
		{
			name: 'Update Deployment',
			value: 'updateDeployment',
			action: 'Update a deployment',
			description: 'Change instances, keep-warm, queue size or whether it is enabled',
		},
	],
	default: 'runWorkflow',
};

const creating = { show: { operation: ['runWorkflow', 'submitWorkflow', 'dryRunWorkflow'] } };
const byFields = { show: { ...creating.show, inputMode: ['fields'] } };

export const deploymentField: INodeProperties = {
	displayName: 'Deployment',
	name: 'deployment',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The Serverless deployment of your ComfyUI workflow',
	displayOptions: {
		show: {
			operation: [
				...['runWorkflow', 'submitWorkflow', 'dryRunWorkflow', 'getDeployment'],
				...['updateDeployment', 'deleteDeployment'],
			],
		},
	},
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a deployment…',
			typeOptions: { searchListMethod: 'searchDeployments', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 3f0c6a1e-5b7d-4e2a-9c1f-0d8e6b4a2c10',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[^/?#\\\\\\s]+$',
						errorMessage: 'A deployment ID has no /, ?, #, \\ or spaces',
					},
				},
			],
		},
	],
};

/** RunComfy calls this URL when the job ends: the Serverless API's `webhook` query parameter. */
export const callbackUrlField: INodeProperties = {
	displayName: 'Callback URL',
	name: 'callbackUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $execution.resumeUrl }}',
	description:
		"An http(s) URL RunComfy calls (POST) once the job has ended, e.g. a Wait node's resume URL ({{ $execution.resumeUrl }} with Resume: On Webhook Call). RunComfy signs nothing: read the job's result (Job → Get Result) before believing a call. Leave empty to poll instead.",
	displayOptions: { show: { operation: ['submitWorkflow'] } },
};

export const workflowInputFields: INodeProperties[] = [
	{
		displayName: 'Send',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Workflow Inputs',
				value: 'fields',
				description: "The deployment's saved workflow, with the inputs below changed",
			},
			{
				name: 'Whole Workflow JSON',
				value: 'workflowJson',
				description: 'Another workflow in API format, run on this deployment instead',
			},
			{
				name: 'Flat Inputs (JSON)',
				value: 'flat',
				description: 'A flat body, for a Serverless LoRA deployment',
			},
		],
		default: 'fields',
		displayOptions: creating,
	},
	{
		displayName: 'All Workflow Inputs',
		name: 'allWorkflowInputs',
		type: 'boolean',
		default: false,
		description:
			'Whether to list every input of the workflow that takes a value, not only those the deployment exposes',
		displayOptions: byFields,
	},
	{
		displayName: 'Inputs',
		name: 'workflowInputs',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['deployment.value', 'allWorkflowInputs'],
			resourceMapper: {
				resourceMapperMethod: 'getWorkflowInputs',
				mode: 'add',
				fieldWords: { singular: 'input', plural: 'inputs' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
				// The method's notice says what each empty case means.
				hideNoDataError: true,
			},
		},
		description:
			"The workflow's inputs, named by node title, input and node ID; empty ones keep the deployment's saved value",
		displayOptions: byFields,
	},
	{
		displayName: 'Binary Inputs',
		name: 'workflowBinaryInputs',
		type: 'fixedCollection',
		placeholder: 'Add Binary Input',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Fill node inputs (a LoadImage image, …) from files of the incoming item, sent as data: URIs of up to 6 MB',
		displayOptions: byFields,
		options: [
			{
				displayName: 'Input',
				name: 'input',
				values: [
					{
						displayName: 'Node ID',
						name: 'nodeId',
						type: 'string',
						default: '',
						placeholder: 'e.g. 10',
					},
					{
						displayName: 'Input Name',
						name: 'inputName',
						type: 'string',
						default: 'image',
					},
					{
						displayName: 'Input Binary Field',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						description: 'The binary field of the incoming item that holds the file',
					},
				],
			},
		],
	},
	{
		displayName: 'Additional Overrides (JSON)',
		name: 'additionalOverrides',
		type: 'json',
		default: '{}',
		description:
			'More inputs by node ID, e.g. {"6": {"inputs": {"text": "a red fox"}}}: for inputs the list does not show',
		displayOptions: byFields,
	},
	{
		displayName: 'Workflow JSON',
		name: 'workflowJson',
		type: 'json',
		default: '{}',
		description: 'A whole workflow in ComfyUI API format (Export (API) in ComfyUI)',
		displayOptions: { show: { ...creating.show, inputMode: ['workflowJson'] } },
	},
	{
		displayName: 'Flat Inputs (JSON)',
		name: 'flatInputs',
		type: 'json',
		default: '{}',
		description:
			'The body as the deployment takes it, e.g. {"prompt": "a red fox", "width": 1024} (a LoRA deployment shows its inputs on its RunComfy page)',
		displayOptions: { show: { ...creating.show, inputMode: ['flat'] } },
	},
];
