/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * What every picture of `npm run screenshots` shares: the page it draws on, saving a PNG, and the
 * waits, each on a condition (a selector visible, a box that stopped moving, requests done, a text
 * present), never on a fixed time.
 */
import * as path from 'path';

import type { RunComfyEmulator } from '../../../test/emulator/emulator';
import { REPO_ROOT } from '../common';

// Browser globals used inside page.evaluate callbacks (the project type-checks without the DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare function getComputedStyle(element: any): any;
export type Element = any;
export type HTMLElement = any;
export type HTMLInputElement = any;
// playwright-core lives in the cache folder, not in the project's devDependencies: loosely typed.
export type Page = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Where pictures go: docs/, or docs/<line>/ for another n8n line (RUNCOMFY_SHOTS_DIR). */
export const DOCS_DIR = process.env.RUNCOMFY_SHOTS_DIR
	? path.resolve(process.env.RUNCOMFY_SHOTS_DIR)
	: path.join(REPO_ROOT, 'docs');
export const WIDTH = 1440;
export const HEIGHT = 900;
/** Canvas shots: a smaller window, so zoom-to-fit draws the nodes larger. */
export const CANVAS_VIEWPORT = { width: 1200, height: 560 };

export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** What a picture function gets: the signed-in page, the editor's URL and the emulator. */
export interface Shots {
	page: Page;
	url: string;
	emulator: RunComfyEmulator;
	/** requests of the page still waiting for an answer (the push connection left out) */
	inFlight: () => number;
	saved: string[];
	notes: string[];
}

/** Counts the page's open requests, for `quiet`. */
export function trackRequests(page: Page): () => number {
	const open = new Set<unknown>();
	const counted = (request: Page) => !/\/rest\/push/.test(request.url());
	page.on('request', (request: Page) => counted(request) && open.add(request));
	page.on('requestfinished', (request: Page) => open.delete(request));
	page.on('requestfailed', (request: Page) => open.delete(request));
	return () => open.size;
}

/** Waits until the page has had no open request for `quietMs` (the editor's REST calls done). */
export async function quiet(shots: Shots, quietMs = 300, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let idleSince = Date.now();
	while (Date.now() < deadline) {
		if (shots.inFlight() > 0) idleSince = Date.now();
		else if (Date.now() - idleSince >= quietMs) return;
		await shots.page.waitForTimeout(50);
	}
	throw new Error(`the editor still had ${shots.inFlight()} request(s) open after ${timeoutMs} ms`);
}

/** Waits until the element's box (and transform) is the same over three polls: done moving. */
export async function steady(page: Page, selector: string, timeoutMs = 10_000): Promise<void> {
	await page.evaluate((sel: string) => delete window.__steady?.[sel], selector);
	await page.waitForFunction(
		(sel: string) => {
			const element = document.querySelector(sel);
			if (!element) return false;
			const rect = element.getBoundingClientRect();
			const now = `${rect.x},${rect.y},${rect.width},${rect.height},${getComputedStyle(element).transform}`;
			const memo = (window.__steady ??= {});
			const last = memo[sel];
			memo[sel] = { value: now, count: last?.value === now ? last.count + 1 : 0 };
			return memo[sel].count >= 2;
		},
		selector,
		{ polling: 100, timeout: timeoutMs },
	);
}

/** Closes n8n's toasts and waits until none is left on screen. */
export async function dismissToasts(page: Page): Promise<void> {
	for (const close of await page.$$('.el-notification__closeBtn'))
		await close.click().catch(() => undefined);
	await page
		.waitForFunction(() => document.querySelectorAll('.el-notification').length === 0, null, {
			timeout: 5_000,
		})
		.catch(() => undefined); // a toast that will not go is photographed, not fatal
}

/** Saves a PNG of the page, of an element (a Playwright locator), or of a clip rectangle. */
export async function save(shots: Shots, file: string, target?: Page | Box): Promise<void> {
	const { page } = shots;
	const out = path.join(DOCS_DIR, file);
	await dismissToasts(page);
	if (target && typeof target.screenshot === 'function') {
		await target.screenshot({ path: out, animations: 'disabled' });
	} else if (target) {
		await page.screenshot({ path: out, animations: 'disabled', clip: target as Box });
	} else {
		await page.screenshot({ path: out, animations: 'disabled' });
	}
	shots.saved.push(path.relative(REPO_ROOT, out));
}

/** Texts of the visible elements matching `selector`. */
export async function visibleTexts(page: Page, selector: string): Promise<string[]> {
	return await page.$$eval(selector, (elements: Element[]) =>
		elements
			.filter((element) => (element as HTMLElement).offsetParent !== null)
			.map((element) => (element.textContent ?? '').trim()),
	);
}

/** Throws unless every wanted text starts one of the shown ones. */
export function expectListed(what: string, shown: string[], wanted: string[]): void {
	const missing = wanted.filter((label) => !shown.some((text) => text.startsWith(label)));
	if (missing.length > 0)
		throw new Error(`${what}: not shown: ${missing.join(', ')} (shown: ${shown.join(' | ')})`);
}
