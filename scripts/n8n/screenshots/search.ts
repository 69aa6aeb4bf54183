/** The node found in n8n's node panel, with its actions. */
import type { Page, Shots } from './browser';
import { save, steady, visibleTexts } from './browser';
import { fitCanvas, openWorkflow } from './editor';

const ITEM = '[data-test-id="item-iterator-item"]';
const NAME = 'RunComfy FusionX';

/** Types into the node panel's search and waits for the list to show `name` (or time out). */
async function search(page: Page, text: string): Promise<boolean> {
	await page.keyboard.type(text, { delay: 40 });
	return await page
		.locator(ITEM, { hasText: new RegExp(`^${NAME}`) })
		.first()
		.waitFor({ timeout: 5_000 })
		.then(() => true)
		.catch(() => false);
}

/** `n8n-node-search.png`: the node in the node panel, with its actions. */
export async function nodeSearch(shots: Shots, workflowId: string): Promise<void> {
	const { page } = shots;
	await openWorkflow(shots, workflowId);
	await fitCanvas(page, false);
	await page.click('[data-test-id="node-creator-plus-button"]');
	await page.locator('[data-test-id="node-creator"]').first().waitFor();
	if (!(await search(page, 'RunComfy'))) {
		shots.notes.push(
			`The node panel's top-level search ("What happens next?") does not list ${NAME}: n8n keeps nodes ` +
				'whose codex categories include "AI" out of that search. It is found under AI → search "RunComfy".',
		);
		await page.keyboard.press('Control+A');
		await page.keyboard.press('Backspace');
		await page.locator(ITEM, { hasText: /^AI/ }).first().click();
		if (!(await search(page, 'RunComfy'))) {
			const shown = await visibleTexts(page, ITEM);
			throw new Error(`${NAME} not found in the node panel (${shown.join(' | ')})`);
		}
	}
	await page
		.locator(ITEM, { hasText: new RegExp(`^${NAME}(?! Tool)`) })
		.first()
		.click();
	const actions = ['Generate a video from an image', 'Submit a video job', 'Cancel a queued job'];
	for (const action of actions) await page.getByText(action).first().waitFor({ timeout: 10_000 });
	await steady(page, '[data-test-id="node-creator"]');
	await save(shots, 'n8n-node-search.png');
}
