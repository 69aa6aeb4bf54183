import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fetchDeployment, deploymentJson, readDeploymentId } from '../../helpers/deployments';
import { workflowInputs } from '../../../shared/workflow/inputs';
import { eachItem } from './records';

/** A deployment's record, and the inputs its workflow exposes as the node reads them. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await eachItem(this, async (client, itemIndex) => {
		const info = await fetchDeployment(client, readDeploymentId(this, itemIndex));
		const json: IDataObject = deploymentJson(info.record);
		json.kind = info.workflow ? 'comfyui' : 'lora';
		if (info.workflow) {
			json.inputs = workflowInputs(info.workflow, 'exposed').inputs.map((input) => ({
				field: input.displayName,
				nodeId: input.nodeId,
				input: input.inputName,
				hint: input.hint,
			}));
			json.objectInfoRead = !info.objectInfoMissing;
		}
		return [json];
	});
}
