import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { JOB_NODE_OUTPUTS } from '../shared/descriptions/node';

import { generationFields, optionsField, requestIdField } from './actions/descriptions';
import { router } from './actions/router';

export class FusionX implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunComfy FusionX',
		name: 'fusionX',
		icon: { light: 'file:../../icons/fusionx.svg', dark: 'file:../../icons/fusionx.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ({ generate: "Generate Video", submit: "Submit Job", getStatus: "Get Status", waitForCompletion: "Wait for Completion", getResult: "Get Result", cancel: "Cancel Job", checkJob: "Check Job", dryRun: "Dry Run" })[$parameter["operation"]] }}',
		description:
			'Turn a still image and a prompt into a short video with RunComfy FusionX (Wan2.1-14B image-to-video)',
		defaults: { name: 'RunComfy FusionX' },
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
						action: 'Dry run the requests without paying',
						description:
							'Validate every item and output the exact request each would send to RunComfy, with the price and the estimate; nothing is sent',
					},
					{
						name: 'Generate Video',
						value: 'generate',
						action: 'Generate a video from an image',
						description: 'Submit a job, wait until it ends and return the video',
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
						name: 'Submit Job',
						value: 'submit',
						action: 'Submit a video job',
						description: 'Submit a job and return its request ID at once, without waiting',
					},
					{
						name: 'Wait for Completion',
						value: 'waitForCompletion',
						action: 'Wait for a job to complete',
						description: 'Wait for a submitted job to end, then return the video',
					},
				],
				default: 'generate',
			},
			...generationFields,
			requestIdField,
			optionsField,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
