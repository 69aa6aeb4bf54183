import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { JOB_NODE_OUTPUTS } from '../shared/descriptions/node';

import { accountOperationField } from './actions/account/descriptions';
import { createFields, deleteNotice, updateFields } from './actions/deployment/capacityFields';
import {
	callbackUrlField,
	deploymentField,
	deploymentOperationField,
	workflowInputFields,
} from './actions/deployment/descriptions';
import {
	jobDeploymentIdField,
	jobOperationField,
	requestIdField,
} from './actions/job/descriptions';
import {
	inputFields,
	listFields,
	modelField,
	modelOperationField,
} from './actions/model/descriptions';
import { resourceField } from './actions/resource';
import { optionsField } from './actions/options';
import { router } from './actions/router';
import { searchModels } from './methods/listSearch';
import { searchDeployments } from './methods/listSearch.deployments';
import { getWorkflowInputs } from './methods/deploymentInputs';
import { getInputFields } from './methods/resourceMapping';

export class RunComfy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunComfy',
		name: 'runComfy',
		icon: { light: 'file:../../icons/runcomfy.svg', dark: 'file:../../icons/runcomfy.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ({ run: "Run Model", submit: "Submit Job", getStatus: "Get Status", waitForCompletion: "Wait for Completion", getResult: "Get Result", cancel: "Cancel Job", listModels: "List Models", getModel: "Get Model", checkJob: "Check Job", dryRun: "Dry Run", runWorkflow: "Run Workflow", submitWorkflow: "Submit Workflow Job", dryRunWorkflow: "Dry Run Workflow", getDeployment: "Get Deployment", listDeployments: "List Deployments", createDeployment: "Create Deployment", updateDeployment: "Update Deployment", deleteDeployment: "Delete Deployment", getBalance: "Get Balance" })[$parameter["operation"]] }}',
		description:
			"Run any model of RunComfy's catalog or your own ComfyUI workflows deployed on RunComfy",
		defaults: { name: 'RunComfy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: JOB_NODE_OUTPUTS,
		credentials: [{ name: 'runComfyApi', required: true }],
		properties: [
			resourceField,
			modelOperationField,
			deploymentOperationField,
			jobOperationField,
			accountOperationField,
			modelField,
			...inputFields,
			...listFields,
			deploymentField,
			...workflowInputFields,
			callbackUrlField,
			...createFields,
			...updateFields,
			deleteNotice,
			requestIdField,
			jobDeploymentIdField,
			optionsField,
		],
	};

	methods = {
		listSearch: { searchModels, searchDeployments },
		resourceMapping: { getInputFields, getWorkflowInputs },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
