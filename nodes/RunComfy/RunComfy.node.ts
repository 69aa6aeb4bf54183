import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { JOB_NODE_OUTPUTS } from '../shared/descriptions/node';

import { inputFields, listFields, modelField, requestIdField } from './actions/descriptions';
import { optionsField } from './actions/options';
import { router } from './actions/router';
import { searchModels } from './methods/listSearch';
import { getInputFields } from './methods/resourceMapping';

export class RunComfy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunComfy',
		name: 'runComfy',
		icon: { light: 'file:../../icons/runcomfy.svg', dark: 'file:../../icons/runcomfy.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ({ run: "Run Model", submit: "Submit Job", getStatus: "Get Status", waitForCompletion: "Wait for Completion", getResult: "Get Result", cancel: "Cancel Job", listModels: "List Models", getModel: "Get Model", checkJob: "Check Job", dryRun: "Dry Run" })[$parameter["operation"]] }}',
		description:
			"Run any model of RunComfy's catalog: images, videos and audio from text, images or files",
		defaults: { name: 'RunComfy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: JOB_NODE_OUTPUTS,
		credentials: [{ name: 'runComfyApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Cancel Job',
						value: 'cancel',
						action: 'Cancel a queued job',
						description: 'Cancel a job that has not started yet',
					},
					{
						name: 'Check Job',
						value: 'checkJob',
						action: 'Check a job and route it by whether it is done',
						description:
							'Look at a job once: finished ones go to Completed, the others to Still Running with a time to check again (for a Wait node)',
					},
					{
						name: 'Dry Run',
						value: 'dryRun',
						action: 'Preview the requests without paying',
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
						action: 'Submit a job',
						description: 'Submit a job and return its request ID at once, without waiting',
					},
					{
						name: 'Wait for Completion',
						value: 'waitForCompletion',
						action: 'Wait for a job to complete',
						description: 'Wait for a submitted job to end, then return its files',
					},
				],
				default: 'run',
			},
			modelField,
			...inputFields,
			requestIdField,
			...listFields,
			optionsField,
		],
	};

	methods = {
		listSearch: { searchModels },
		resourceMapping: { getInputFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
