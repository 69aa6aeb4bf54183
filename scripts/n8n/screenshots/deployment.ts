/** The RunComfy node's Deployment panel: Run Workflow with its inputs read from the workflow. */
import type { Shots } from './browser';
import { expectListed, quiet, save, steady } from './browser';
import { fitParameters, labels, openNode, openWorkflow, parametersColumn } from './editor';

const WORKFLOW_ID = 'rcDocsDeploy01';

/**
 * `n8n-deployment-panel.png`. The workflow keeps only the values (`schema: []`): the fields come
 * from the node's resource mapper reading the deployment's payload and object_info.
 */
export async function deploymentPanel(shots: Shots): Promise<void> {
	const { page, emulator } = shots;
	await openWorkflow(shots, WORKFLOW_ID);
	const read = () => emulator.requests.filter((r) => r.route === 'objectInfo').length;
	const before = read();
	await openNode(shots, 'Run my workflow');
	await page.getByText('Positive Prompt').first().waitFor({ timeout: 30_000 });
	await quiet(shots);
	if (read() === before) throw new Error("the panel did not read the deployment's object_info");
	expectListed('Deployment Run Workflow', await labels(page), [
		...['Resource', 'Operation', 'Deployment', 'Send', 'All Workflow Inputs'],
		...['Positive Prompt', 'Binary Inputs', 'Additional Overrides'],
	]);
	await fitParameters(page);
	await steady(page, '[data-test-id="node-parameters"]');
	await save(shots, 'n8n-deployment-panel.png', await parametersColumn(page));
}
