/**
 * The package as a new user meets it in the node panel: each node found by its name and by each
 * of its aliases, its actions in the order the panel shows them, and a fresh panel of every
 * action without an error message. Pictures: n8n-node-search*.png.
 */
import type { Page, Shots } from './browser';
import { save, steady, visibleTexts } from './browser';
import { fitCanvas, openWorkflow } from './editor';
import { PACKAGE_NODES, type PackageNode } from './packageNodes';

const ITEM = '[data-test-id="item-iterator-item"]';
const CREATOR = '[data-test-id="node-creator"]';
const SEARCH = `${CREATOR} input`;

/** What a user types, and the nodes of the package each must find. */
function queries(): Array<{ text: string; finds: string[] }> {
	const all = PACKAGE_NODES.map((node) => node.displayName);
	const list = [{ text: 'RunComfy', finds: all }];
	for (const node of PACKAGE_NODES) {
		list.push({ text: node.displayName, finds: [node.displayName] });
		for (const alias of node.aliases) list.push({ text: alias, finds: [node.displayName] });
	}
	return list;
}

async function openCreator(shots: Shots, workflowId: string): Promise<void> {
	const { page } = shots;
	await openWorkflow(shots, workflowId);
	await fitCanvas(page, false);
	await page.click('[data-test-id="node-creator-plus-button"]');
	await page.locator(CREATOR).first().waitFor();
}

/** Types `text` into the panel's search; the nodes it lists once `expected` shows (or 5 s pass). */
async function search(page: Page, text: string, expected: string): Promise<string[]> {
	await page.fill(SEARCH, '');
	await page.keyboard.type(text, { delay: 20 });
	await page
		.locator(ITEM, { hasText: expected })
		.first()
		.waitFor({ timeout: 5_000 })
		.catch(() => undefined);
	return await visibleTexts(page, ITEM);
}

/** A listed entry is the node itself when its text starts with the name (not "… Tool"). */
function lists(shown: string[], name: string): boolean {
	return shown.some((text) => text.startsWith(name) && !text.startsWith(`${name} Tool`));
}

/** `n8n-node-search.png` and every name and alias searched; throws listing what was not found. */
export async function nodeSearch(shots: Shots, workflowId: string): Promise<void> {
	const { page } = shots;
	await openCreator(shots, workflowId);
	const missed: string[] = [];
	for (const { text, finds } of queries()) {
		const shown = await search(page, text, finds[0]);
		const absent = finds.filter((name) => !lists(shown, name));
		if (absent.length > 0) missed.push(`"${text}" lists no ${absent.join(', ')}`);
		if (text === 'RunComfy') {
			await steady(page, CREATOR);
			await save(shots, 'n8n-node-search.png');
		}
	}
	shots.notes.push(`Node search: ${queries().length} searches, ${missed.length} missed`);
	if (missed.length > 0) throw new Error(`node search: ${missed.join('; ')}`);
}

/** The entries of the node's action list in the order shown, headings included. */
async function actionList(page: Page, node: PackageNode): Promise<string[]> {
	await page.fill(SEARCH, '');
	await page.keyboard.type(node.displayName, { delay: 20 });
	await page
		.locator(ITEM, { hasText: new RegExp(`^${node.displayName}(?! Tool)`) })
		.first()
		.click();
	await page.getByText(node.mainAction).first().waitFor({ timeout: 10_000 });
	await steady(page, CREATOR);
	return (await visibleTexts(page, `${CREATOR} [data-test-id="item-iterator-item"]`)).filter(
		Boolean,
	);
}

/**
 * `n8n-node-actions-<node>.png`: each node's actions, all listed. Then each
 * action is added as a user adds it and its fresh panel is checked for red (danger) messages.
 */
export async function nodeActions(shots: Shots, workflowId: string): Promise<void> {
	const { page } = shots;
	const problems: string[] = [];
	for (const node of PACKAGE_NODES) {
		await openCreator(shots, workflowId);
		const shown = await actionList(page, node);
		shots.notes.push(`${node.displayName} actions as listed: ${shown.join(' | ')}`);
		// n8n's scanner makes five or more operations go in name order, so the main action is
		// where that order puts it: it must be listed, and every action of the node with it.
		const absent = node.actions.filter((action) => !shown.some((text) => text.startsWith(action)));
		if (absent.length > 0) problems.push(`${node.displayName}: not listed: ${absent.join(', ')}`);
		await save(shots, `n8n-node-actions-${node.name}.png`);
		for (const action of node.actions) {
			const red = await freshPanelErrors(shots, workflowId, node, action);
			if (red.length > 0) problems.push(`${node.displayName} › ${action}: ${red.join(' / ')}`);
		}
	}
	if (problems.length > 0) throw new Error(`node actions: ${problems.join('; ')}`);
}

/** Adds the node with `action` from the panel and returns the red texts its fresh panel shows. */
async function freshPanelErrors(
	shots: Shots,
	workflowId: string,
	node: PackageNode,
	action: string,
): Promise<string[]> {
	const { page } = shots;
	await openCreator(shots, workflowId);
	await actionList(page, node);
	await page.locator(ITEM, { hasText: action }).first().click();
	await page.locator('[data-test-id="node-parameters"]').first().waitFor({ timeout: 15_000 });
	await steady(page, '[data-test-id="node-parameters"]');
	const red = await visibleTexts(
		page,
		'[data-test-id="node-parameters"] [class*="danger"], [data-test-id="node-parameters"] .el-form-item__error',
	);
	await page.keyboard.press('Escape');
	return red.filter(Boolean);
}
