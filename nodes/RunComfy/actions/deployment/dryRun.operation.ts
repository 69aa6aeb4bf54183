import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dryRunItems } from '../../../shared/operations/dryRun';
import { RunComfyClient } from '../../../shared/transport';
import { DeploymentCache } from '../../helpers/deployments';
import { deploymentFacts, typesGuessedHint } from '../../helpers/deploymentJobs';
import { readWorkflowInputs } from '../../helpers/workflowInput';
import { deploymentsPriced } from './pricing';

/** Every item checked against its deployment's workflow and shown as the exact body; nothing is sent. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await RunComfyClient.create(this);
	const { inputs, invalid } = await readWorkflowInputs(this, new DeploymentCache(client));
	typesGuessedHint(this, inputs);
	const priced = deploymentsPriced(inputs);
	const previews = inputs.map((entry, i) => ({
		itemIndex: entry.itemIndex,
		input: entry.input,
		model: priced[i],
		path: client.submitPath({ deployment: entry.deployment.id }),
		extra: deploymentFacts(entry.deployment),
	}));
	return dryRunItems(this, previews, invalid);
}
