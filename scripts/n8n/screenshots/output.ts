/** Generate Video run in the editor: its output JSON, then its Binary tab with the video. */
import type { Shots } from './browser';
import { save, steady } from './browser';
import { openNode, openWorkflow } from './editor';
import { DOCS_WORKFLOW_ID } from './panels';

const OUTPUT = '[data-test-id="output-panel"]';

/** Shows one of the output panel's views (JSON, Binary) and waits until it holds `text`. */
async function showView(shots: Shots, view: string, text: RegExp): Promise<boolean> {
	const { page } = shots;
	const tab = page.locator(`${OUTPUT} [data-test-id="radio-button-${view}"]`).first();
	if (!(await tab.count())) return false;
	await tab.click();
	await page.locator(OUTPUT).first().getByText(text).first().waitFor({ timeout: 30_000 });
	await steady(page, OUTPUT);
	return true;
}

/** `n8n-output-generate.png` and `n8n-output-generate-binary.png`. */
export async function generateOutput(shots: Shots): Promise<void> {
	const { page, emulator } = shots;
	await openWorkflow(shots, DOCS_WORKFLOW_ID);
	const ndv = await openNode(shots, 'Generate Video');
	const submitsBefore = emulator.count('submit');
	await page.click('[data-test-id="node-execute-button"]');
	await page.waitForSelector(
		'[data-test-id="node-run-status-success"], [data-test-id="ndv-binary-data_0"]',
		{ timeout: 90_000 },
	);
	if (emulator.count('submit') !== submitsBefore + 1) throw new Error('the emulator saw no submit');
	await showView(shots, 'json', /videoUrl/);
	const text: string = await page.locator(OUTPUT).first().innerText();
	for (const wanted of ['requestId', 'completed', 'videoUrl']) {
		if (!text.includes(wanted)) throw new Error(`the output does not show "${wanted}"`);
	}
	await save(shots, 'n8n-output-generate.png', ndv);
	if (await showView(shots, 'binary', /video\/mp4/))
		await save(shots, 'n8n-output-generate-binary.png', ndv);
}
