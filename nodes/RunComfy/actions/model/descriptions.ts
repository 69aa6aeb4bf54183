import type { INodeProperties } from 'n8n-workflow';

import { MODEL_URL_REGEX } from '../../../shared/catalog/models';

/** The Model resource's fields; an operation reads only those shown for it. */

/**
 * The Model resource's operations. n8n's community-package scanner requires five or more options
 * in name order (inline lint disables are ignored there), so Run Model, the default, is fourth.
 */
export const modelOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['model'] } },
	options: [
		{
			name: 'Dry Run',
			value: 'dryRun',
			action: 'Dry run the requests without paying',
			description:
				'Validate every item against the model and output the exact request each would send, with the price and the estimate; nothing is sent',
		},
		{
			name: 'Get Model',
			value: 'getModel',
			action: 'Get a model',
			description: "A model's inputs, price and unit, categories and page",
		},
		{
			name: 'List Models',
			value: 'listModels',
			action: 'List models',
			description: "Search RunComfy's model catalog",
		},
		{
			name: 'Run Model',
			value: 'run',
			action: 'Run a model',
			description: 'Submit a job, wait until it ends and return its files',
		},
		{
			name: 'Submit Job',
			value: 'submit',
			action: 'Submit a model job',
			description: 'Submit a job and return its request ID at once, without waiting',
		},
	],
	default: 'run',
};

const creating = { show: { operation: ['run', 'submit', 'dryRun'] } };

export const modelField: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The RunComfy model to run',
	displayOptions: {
		show: {
			operation: ['run', 'submit', 'dryRun', 'getModel'],
		},
	},
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a model…',
			typeOptions: { searchListMethod: 'searchModels', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. blackforestlabs/flux-2/flash/text-to-image',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[^?#\\\\%\\s]+$',
						errorMessage: 'A model id has no ?, #, \\, % or spaces',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder:
				'e.g. https://www.runcomfy.com/models/blackforestlabs/flux-2/flash/text-to-image',
			extractValue: { type: 'regex', regex: MODEL_URL_REGEX },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: MODEL_URL_REGEX,
						errorMessage: 'Not a RunComfy model page (https://www.runcomfy.com/models/…)',
					},
				},
			],
		},
	],
};

export const inputFields: INodeProperties[] = [
	{
		displayName: 'Inputs',
		name: 'inputs',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['model.value'],
			resourceMapper: {
				resourceMapperMethod: 'getInputFields',
				mode: 'add',
				fieldWords: { singular: 'input', plural: 'inputs' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
				// The editor shows a red noFieldsError whenever the list is empty; the method's
				// emptyFieldsNotice says what each empty case means instead.
				hideNoDataError: true,
			},
		},
		description: "The model's inputs, from its schema in RunComfy's catalog",
		displayOptions: creating,
	},
	{
		displayName: 'Binary Inputs',
		name: 'binaryInputs',
		type: 'fixedCollection',
		placeholder: 'Add Binary Input',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Fill inputs from files of the incoming item (sent as data: URIs, up to 6 MB each); they replace the same inputs above',
		displayOptions: creating,
		options: [
			{
				displayName: 'Input',
				name: 'input',
				values: [
					{
						displayName: 'Input Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. image_url',
						description: 'The API name of the input, as listed in Get Model (not its title)',
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
		displayName: 'Additional Inputs (JSON)',
		name: 'additionalInputs',
		type: 'json',
		default: '{}',
		description:
			'More inputs as a JSON object, sent as they are (checked against the schema when the model has one): for inputs the list does not show, or a model without a schema',
		displayOptions: creating,
	},
];

const listing = { show: { operation: ['listModels'] } };

export const listFields: INodeProperties[] = [
	{
		displayName: 'Search',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'e.g. flux',
		description: 'Only models whose ID or name contains this text',
		displayOptions: listing,
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'string',
		default: '',
		placeholder: 'e.g. text-to-image',
		description: 'Only models of this category (text-to-image, image-to-video, …)',
		displayOptions: listing,
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: listing,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...listing.show, returnAll: [false] } },
	},
];
