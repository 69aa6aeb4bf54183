/** The workflow pictures: each examples/ workflow on the canvas. */
import { NODE_TYPE } from '../common';
import type { Element, Shots } from './browser';
import { save } from './browser';
import { fitCanvas, openWorkflow } from './editor';

/** `n8n-example-<name>.png`: the workflow zoomed to fit, with its FusionX node on it. */
export async function exampleCanvas(shots: Shots, id: string, file: string): Promise<void> {
	await openWorkflow(shots, id);
	await fitCanvas(shots.page);
	const shown: string[] = await shots.page.$$eval(
		'[data-test-id="canvas-node"]',
		(elements: Element[]) =>
			elements.map((element) => element.getAttribute('data-node-type') ?? ''),
	);
	if (!shown.includes(NODE_TYPE))
		throw new Error(`no FusionX node on the canvas (${shown.join(', ')})`);
	await save(shots, file);
}
