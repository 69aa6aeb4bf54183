/** The RunComfy node's panel: Run Model with FLUX chosen From List and its inputs from the schema. */
import type { Shots } from './browser';
import { expectListed, quiet, save, steady } from './browser';
import { fitParameters, labels, openNode, openWorkflow, parametersColumn } from './editor';

export const RUNCOMFY_WORKFLOW_ID = 'rcDocsRunComfy01';
const FLUX_PATH = '/v1/models/blackforestlabs/flux-2/flash/text-to-image';

/**
 * `n8n-runcomfy-panel.png`. The workflow keeps only the values (`schema: []`), so the fields shown
 * come from the node's resource mapper method reading FLUX's schema through the emulator.
 */
export async function runComfyPanel(shots: Shots): Promise<void> {
	const { page, emulator } = shots;
	await openWorkflow(shots, RUNCOMFY_WORKFLOW_ID);
	const looked = () =>
		emulator.requests.filter((r) => r.path === FLUX_PATH && r.route === 'catalog');
	const before = looked().length;
	await openNode(shots, 'Text to Image');
	await page.getByText('Guidance Scale (0–20)').first().waitFor({ timeout: 30_000 });
	await quiet(shots);
	if (looked().length === before)
		throw new Error("the panel did not read FLUX's schema from the catalog");
	expectListed('RunComfy Run Model', await labels(page), [
		...[
			'Operation',
			'Model',
			'Values to Send',
			'Prompt',
			'Guidance Scale (0–20)',
			'Seed (whole number)',
		],
		...['Image Size', 'Output Format', 'Safety Checker', 'Binary Inputs', 'Additional Inputs'],
	]);
	await fitParameters(page);
	await steady(page, '[data-test-id="node-parameters"]');
	await save(shots, 'n8n-runcomfy-panel.png', await parametersColumn(page));
}
