import type { INodeProperties } from 'n8n-workflow';

import { requestIdField as sharedRequestIdField } from '../../shared/descriptions/requestId';

import { MODEL_URL_REGEX } from '../../shared/catalog/models';

/** The RunComfy node's fields; an operation reads only those shown for it. */

export const OPERATIONS = {
	run: 'run',
	submit: 'submit',
	getStatus: 'getStatus',
	waitForCompletion: 'waitForCompletion',
	getResult: 'getResult',
	cancel: 'cancel',
	listModels: 'listModels',
	getModel: 'getModel',
	checkJob: 'checkJob',
	dryRun: 'dryRun',
} as const;

export type Operation = keyof typeof OPERATIONS;

const creating = { show: { operation: [OPERATIONS.run, OPERATIONS.submit, OPERATIONS.dryRun] } };

export const modelField: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The RunComfy model to run',
	displayOptions: {
		show: {
			operation: [OPERATIONS.run, OPERATIONS.submit, OPERATIONS.dryRun, OPERATIONS.getModel],
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

export const requestIdField = sharedRequestIdField('Submit Job or Run Model');

const listing = { show: { operation: [OPERATIONS.listModels] } };

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
