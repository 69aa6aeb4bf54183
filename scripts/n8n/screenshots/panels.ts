/** The FusionX panel pictures: every operation's fields, the operation list, the options menu. */
import type { Shots } from './browser';
import { expectListed, save, steady, visibleTexts } from './browser';
import { fitParameters, labels, openNode, openWorkflow, parametersColumn } from './editor';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
type Element = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

export const DOCS_WORKFLOW_ID = 'rcDocsOperations1';
/** A FusionX node left at its defaults (no options set), for the operation list and the option menu. */
const DEFAULTS_NODE = 'RunComfy FusionX';

export const OPERATION_NODES: Array<{ operation: string; node: string; fields: string[] }> = [
	{
		operation: 'generate',
		node: 'Generate Video',
		fields: [
			...['Operation', 'Prompt', 'Image Source', 'Image URL', 'Resolution', 'Number of Frames'],
			...['Frames per Second', 'Seed', 'Steps', 'Guidance Scale', 'Shift', 'Additional Inputs'],
			'Options',
		],
	},
	{
		operation: 'submit',
		node: 'Submit Job',
		fields: [
			...['Operation', 'Prompt', 'Image Source', 'Input Binary Field', 'Resolution'],
			...['Number of Frames', 'Options'],
		],
	},
	{ operation: 'getStatus', node: 'Get Status', fields: ['Operation', 'Request ID'] },
	{
		operation: 'waitForCompletion',
		node: 'Wait for Completion',
		fields: ['Operation', 'Request ID', 'Options'],
	},
	{ operation: 'getResult', node: 'Get Result', fields: ['Operation', 'Request ID', 'Options'] },
	{ operation: 'cancel', node: 'Cancel Job', fields: ['Operation', 'Request ID'] },
];

/** `n8n-panel-<operation>.png`: the node's parameter column, every field shown. */
export async function operationPanel(
	shots: Shots,
	{ operation, node, fields }: (typeof OPERATION_NODES)[number],
): Promise<void> {
	await openWorkflow(shots, DOCS_WORKFLOW_ID);
	await openNode(shots, node);
	expectListed(operation, await labels(shots.page), fields);
	await fitParameters(shots.page);
	await save(shots, `n8n-panel-${operation}.png`, await parametersColumn(shots.page));
}

/** `n8n-operations.png`: the Operation dropdown open. */
export async function operationList(shots: Shots): Promise<void> {
	const { page } = shots;
	await openWorkflow(shots, DOCS_WORKFLOW_ID);
	await openNode(shots, DEFAULTS_NODE);
	await page.click('[data-test-id="parameter-input-operation"]');
	await page.locator('[role="option"]', { hasText: 'Wait for Completion' }).first().waitFor();
	await steady(page, '.el-select-dropdown, [role="listbox"]');
	const options = await visibleTexts(page, '.el-select-dropdown__item, [role="option"]');
	expectListed('operations', options, [
		...['Cancel Job', 'Generate Video', 'Get Result', 'Get Status', 'Submit Job'],
		'Wait for Completion',
	]);
	const column = await parametersColumn(page);
	await save(shots, 'n8n-operations.png', { ...column, height: Math.min(column.height, 620) });
	await page.keyboard.press('Escape');
}

/** `n8n-options-generate.png`: the "Add option" menu of Generate Video. */
export async function generateOptions(shots: Shots): Promise<void> {
	const { page } = shots;
	await openWorkflow(shots, DOCS_WORKFLOW_ID);
	await openNode(shots, DEFAULTS_NODE);
	await fitParameters(page);
	// Room below the button, so the menu opens downwards and hides nothing.
	const size = page.viewportSize();
	await page.setViewportSize({ width: size.width, height: size.height + 320 });
	await steady(page, '[data-test-id="collection-parameter-add"]');
	await page.click('[data-test-id="collection-parameter-add"]');
	await page.locator('[data-test-id="collection-parameter-option"]').last().waitFor();
	const options = await visibleTexts(page, '[data-test-id="collection-parameter-option"]');
	expectListed('options', options, [
		...['Cancel on Timeout', 'Download Video', 'Max Concurrent Submits', 'Poll Interval'],
		'Timeout',
	]);
	const column = await parametersColumn(page);
	const span = await optionsMenuSpan(page);
	const y = Math.max(column.y, span.top - 16);
	await save(shots, 'n8n-options-generate.png', {
		x: column.x,
		y,
		width: column.width,
		height: span.bottom + 20 - y,
	});
	await page.keyboard.press('Escape');
}

/** From the "Options" heading down to the open menu's last entry. */
async function optionsMenuSpan(page: Shots['page']): Promise<{ top: number; bottom: number }> {
	return await page.evaluate(() => {
		const rects = [
			...document.querySelectorAll('[data-test-id="collection-parameter-option"]'),
			document.querySelector('[data-test-id="collection-parameter-add"]'),
			[...document.querySelectorAll('[data-test-id="node-parameters"] *')].find(
				(element: Element) =>
					element.children.length === 0 && (element.textContent ?? '').trim() === 'Options',
			),
		]
			.filter(Boolean)
			.map((element: Element) => element.getBoundingClientRect());
		return {
			top: Math.min(...rects.map((rect: { top: number }) => rect.top)),
			bottom: Math.max(...rects.map((rect: { bottom: number }) => rect.bottom)),
		};
	});
}
