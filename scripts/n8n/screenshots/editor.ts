/**
 * Moves in the n8n editor the pictures share: signing in, opening a workflow and a node's panel,
 * fitting the canvas or the panel to the window, and finding the panel's parameter column.
 */
import type { Box, Element, HTMLElement, Page, Shots } from './browser';
import { CANVAS_VIEWPORT, HEIGHT, quiet, steady, WIDTH } from './browser';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: any): any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const CANVAS_PANE = '.vue-flow__transformationpane';
const PARAMETERS = '[data-test-id="node-parameters"]';

export async function signIn(
	page: Page,
	url: string,
	owner: { email: string; password: string },
): Promise<void> {
	await page.goto(`${url}/signin`);
	// 2.x gives the field the id emailOrLdapLoginId; 1.x's is found by its type.
	const email = page.locator(
		'#emailOrLdapLoginId, input[type="email"], input[name="emailOrLdapLoginId"]',
	);
	await email.first().waitFor({ timeout: 60_000 });
	await email.first().fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page
		.locator('[data-test-id="form-submit-button"], button:has-text("Sign in")')
		.first()
		.click();
	await page.waitForURL((u: URL) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** Opens a workflow at the full window size; returns once its nodes are drawn and loaded. */
export async function openWorkflow(shots: Shots, id: string): Promise<void> {
	const { page } = shots;
	await page.setViewportSize({ width: WIDTH, height: HEIGHT });
	await page.goto(`${shots.url}/workflow/${id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	await quiet(shots);
	await steady(page, CANVAS_PANE);
}

/** The canvas in the smaller window, zoomed to fit, with no hover toolbar on a node. */
export async function fitCanvas(page: Page, small = true): Promise<void> {
	if (small) await page.setViewportSize(CANVAS_VIEWPORT);
	await page.click('[data-test-id="zoom-to-fit"]');
	await steady(page, CANVAS_PANE);
	await page.mouse.move(5, 300);
	await steady(page, CANVAS_PANE);
}

/** Opens a node's panel; returns its locator once the parameters and their look-ups are in. */
export async function openNode(shots: Shots, name: string): Promise<Page> {
	const { page } = shots;
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await page.waitForSelector(`${PARAMETERS} [data-test-id="parameter-item"]`, { timeout: 30_000 });
	await quiet(shots);
	await steady(page, PARAMETERS);
	return ndv;
}

/** Grows the window until the parameter column needs no scrolling, so one PNG shows every field. */
export async function fitParameters(page: Page): Promise<void> {
	const overflow: number = await page.evaluate((selector: string) => {
		let element: HTMLElement | null = document.querySelector(selector);
		while (element) {
			if (element.scrollHeight > element.clientHeight + 2) {
				const style = getComputedStyle(element);
				if (/(auto|scroll)/.test(style.overflowY))
					return element.scrollHeight - element.clientHeight;
			}
			element = element.parentElement;
		}
		return 0;
	}, PARAMETERS);
	if (overflow > 0) {
		await page.setViewportSize({ width: WIDTH, height: Math.min(HEIGHT + overflow + 24, 3000) });
		await steady(page, PARAMETERS);
	}
}

/** Field labels n8n shows in the open panel, to check the right fields rendered. */
export async function labels(page: Page): Promise<string[]> {
	return await page.$$eval(`${PARAMETERS} [data-test-id="input-label"]`, (elements: Element[]) =>
		elements.map((element) => (element.textContent ?? '').trim()).filter(Boolean),
	);
}

/** The panel's middle column (tabs, Execute step, parameters): what the README shows of a node. */
export async function parametersColumn(page: Page): Promise<Box> {
	const box: Box | null = await page.evaluate((selector: string) => {
		let element: HTMLElement | null = document.querySelector(selector);
		let best: HTMLElement | null = null;
		while (element && element.getBoundingClientRect().width < 720) {
			if (element.querySelector('[data-test-id="node-execute-button"]')) best = element;
			element = element.parentElement;
		}
		if (!best) return null;
		const rect = best.getBoundingClientRect();
		// Down to the last field (short panels would otherwise end in a tall empty area).
		const fields = [
			...best.querySelectorAll(
				'[data-test-id="parameter-item"], [data-test-id="collection-parameter-add"]',
			),
		];
		const last = Math.max(
			...fields.map((field: Element) => field.getBoundingClientRect().bottom),
			rect.y + 200,
		);
		return {
			x: rect.x,
			y: rect.y,
			width: rect.width,
			height: Math.min(rect.height, last - rect.y + 28),
		};
	}, PARAMETERS);
	if (!box) throw new Error('could not find the parameter column of the node panel');
	return box;
}
