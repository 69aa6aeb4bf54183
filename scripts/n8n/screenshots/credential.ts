/** The credential pictures: the emulator credential after n8n's connection test, and a new one. */
import type { HTMLInputElement, Shots } from './browser';
import { HEIGHT, quiet, save, steady, WIDTH } from './browser';
import { openNode, openWorkflow } from './editor';
import { DOCS_WORKFLOW_ID } from './panels';

// A browser global, used inside page.waitForFunction (the project type-checks without the DOM lib).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

const MODAL = '[data-test-id="editCredential-modal"], .el-dialog';
const DEFAULT_BASE_URL = 'https://model-api.runcomfy.net';

/** `n8n-credential-tested.png`: the saved credential tested against the emulator. */
export async function credentialTested(shots: Shots, name: string): Promise<void> {
	const { page, emulator } = shots;
	await page.setViewportSize({ width: WIDTH, height: HEIGHT });
	await page.goto(`${shots.url}/home/credentials`);
	await page.locator('[data-test-id="resources-list-item"]', { hasText: name }).first().click();
	const modal = page.locator(MODAL).filter({ hasText: 'RunComfy' }).first();
	await modal.waitFor({ timeout: 30_000 });
	await quiet(shots);
	await page.locator('[data-test-id="credential-save-button"]').first().click();
	await page.waitForSelector('text=/Connection tested successfully|Couldn.t connect/', {
		timeout: 30_000,
	});
	const text: string = await modal.innerText();
	if (!/Connection tested successfully/.test(text))
		throw new Error(`credential test did not pass: ${text.slice(0, 300)}`);
	if (emulator.count('status') === 0)
		throw new Error('the credential test sent no request to the emulator');
	await quiet(shots);
	await steady(page, MODAL);
	await save(shots, 'n8n-credential-tested.png', modal);
}

/** `n8n-credential.png`: "Create new credential" from the node, with the default Base URL. */
export async function newCredential(shots: Shots, node: string): Promise<void> {
	const { page } = shots;
	await openWorkflow(shots, DOCS_WORKFLOW_ID);
	await openNode(shots, node);
	await page.click('[data-test-id="node-credentials-select"]');
	await page.click('[data-test-id="node-credentials-select-item-new"]');
	const modal = page.locator(MODAL).filter({ hasText: 'API Token' }).first();
	await modal.waitFor({ timeout: 30_000 });
	await page.waitForFunction(
		(url: string) =>
			[...document.querySelectorAll('input')].some(
				(input: HTMLInputElement) => input.value === url,
			),
		DEFAULT_BASE_URL,
		{ timeout: 30_000 },
	);
	const text: string = await modal.innerText();
	for (const wanted of ['RunComfy API', 'API Token', 'Base URL']) {
		if (!text.includes(wanted)) throw new Error(`the credential form does not show "${wanted}"`);
	}
	await steady(page, MODAL);
	await save(shots, 'n8n-credential.png', modal);
	await page.keyboard.press('Escape');
}
