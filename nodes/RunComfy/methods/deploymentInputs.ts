import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { toMapperFields } from '../../shared/catalog/fields';
import { RunComfyClient } from '../../shared/transport';
import { toWorkflowFields } from '../../shared/workflow/mapperFields';
import { workflowInputs } from '../../shared/workflow/inputs';
import { deploymentIdOf, fetchDeployment } from '../helpers/deployments';

/**
 * The Inputs fields of the chosen deployment, from its workflow: the inputs it exposes, or with
 * All Workflow Inputs every literal input. One notice per case where there are none to show.
 */
export async function getWorkflowInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const deploymentId = deploymentIdOf(this.getNodeParameter('deployment', ''));
	if (!deploymentId) {
		return {
			fields: [],
			emptyFieldsNotice: 'Choose a deployment first: its inputs are listed here.',
		};
	}
	const client = await RunComfyClient.create(this);
	let info;
	try {
		info = await fetchDeployment(client, deploymentId);
	} catch (error) {
		const failed = client.toError(error);
		if (failed.kind === 'unknownDeployment' || failed.kind === 'permission') {
			return {
				fields: [],
				emptyFieldsNotice: `RunComfy knows no deployment ${deploymentId} of this account: pick one from the list.`,
			};
		}
		throw failed;
	}
	if (!info.workflow && info.flatSchema) return { fields: toMapperFields(info.flatSchema.inputs) };
	if (!info.workflow) {
		return {
			fields: [],
			emptyFieldsNotice: `This deployment has no ComfyUI workflow (a Serverless LoRA deployment): set Send to "Flat Inputs (JSON)" and give the inputs shown on its RunComfy page.`,
		};
	}
	const all = this.getNodeParameter('allWorkflowInputs', false) === true;
	const list = workflowInputs(info.workflow, all ? 'all' : 'exposed');
	if (list.inputs.length === 0) {
		return {
			fields: [],
			emptyFieldsNotice: all
				? `The workflow has no input that takes a value${list.problem ? ` (${list.problem})` : ''}: use Additional Overrides (JSON) or Send "Whole Workflow JSON".`
				: 'This deployment exposes no inputs: turn on All Workflow Inputs to list every input of its workflow.',
		};
	}
	const fields = toWorkflowFields(list.inputs);
	// The editor shows this notice only with no fields: guessed types are said in the labels' place.
	return list.objectInfoMissing
		? {
				fields,
				emptyFieldsNotice:
					"RunComfy's node definitions (object_info) could not be read: types and ranges come from the workflow's own values.",
			}
		: { fields };
}
