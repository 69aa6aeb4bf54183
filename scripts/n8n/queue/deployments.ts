/**
 * A Deployment batch in queue mode: one webhook run of Run Workflow (the text-to-image deployment,
 * Download Files on) with ten items, run by a worker. Exactly ten deployment jobs (one per item,
 * counted in the emulator's log), every image delivered as binary data in the line's queue-mode
 * binary data mode.
 */
import { TINY_PNG } from '../../../test/emulator/emulator';
import type { Json } from '../common';
import { show, type Expect } from '../runner';
import { elapsed } from '../time';
import { itemsOf } from '../checks/cli';
import { fileUrl } from '../checks/deployments';
import { callWebhook, finishedExecution, newExecution } from '../checks/server';
import { suiteOf, type Numbers } from './checks';
import { executionsRunBy, type Cluster } from './cluster';

export const DEPLOYMENT_ITEMS = 10;
const WORKFLOW = 'rcQDeploy01';
const TAG = '[q-dep]';

/** The prompt of a deployment job (its override of node 6). */
function promptOf(job: { input: Record<string, unknown> }): string {
	return String((job.input as Json).overrides?.['6']?.inputs?.text ?? '');
}

/** The bytes of a stored binary: `bytes` (2.x), or the base64 held in the item (in memory). */
function storedBytes(binary: Json | undefined): number | undefined {
	if (typeof binary?.bytes === 'number') return binary.bytes;
	if (binary && !binary.id && typeof binary.data === 'string')
		return Buffer.byteLength(binary.data, 'base64');
	return undefined;
}

export async function deploymentBatch(
	cluster: Cluster,
	expect: Expect,
	numbers: Numbers,
): Promise<void> {
	const suite = suiteOf(cluster);
	const { emulator } = cluster;
	const since = emulator.requests.length;
	const t0 = Date.now();
	const id = await newExecution(
		suite,
		WORKFLOW,
		async () => await callWebhook(suite, 'rc-q-deploy', { run: 0 }),
	);
	const execution = await finishedExecution(suite, WORKFLOW, id, 300_000);
	const took = elapsed(t0);
	const worker = cluster.workers.find((w) => executionsRunBy(w).includes(id));
	expect(worker, `no worker's log says it ran execution ${id}`);
	expect(
		execution.status === 'success',
		`saved execution ${id} is ${show(execution.status)}: ${show(execution.data?.resultData?.error?.message)}`,
	);
	const jobs = [...emulator.serverless.jobs.values()].filter((job) =>
		promptOf(job).startsWith(TAG),
	);
	const submits = emulator.requests
		.slice(since)
		.filter((r) => r.route === 'deploymentSubmit' && jobs.some((job) => job.id === r.requestId));
	expect(
		jobs.length === DEPLOYMENT_ITEMS,
		`${jobs.length} deployment jobs created, want ${DEPLOYMENT_ITEMS}`,
	);
	expect(
		new Set(jobs.map(promptOf)).size === jobs.length,
		`${jobs.length} jobs for ${new Set(jobs.map(promptOf)).size} distinct items`,
	);
	expect(submits.length === jobs.length, `${submits.length} submits for ${jobs.length} jobs`);

	const items = itemsOf(execution, 'Run Workflow');
	expect(
		items.length === DEPLOYMENT_ITEMS,
		`Run Workflow: ${items.length} items, want ${DEPLOYMENT_ITEMS}`,
	);
	let delivered = 0;
	items.forEach((item, row) => {
		const json = item.json ?? {};
		const job = emulator.serverless.jobs.get(String(json.requestId));
		const binary = item.binary?.data;
		const bytes = storedBytes(binary);
		const ok =
			job !== undefined &&
			promptOf(job) === `${TAG} run 0 item ${row}` &&
			json.status === 'succeeded' &&
			json.imageUrl === fileUrl(emulator.baseUrl, job.id, 'ComfyUI_00001_.png') &&
			binary?.mimeType === 'image/png' &&
			// 1.x's database mode keeps no `bytes`; its `default` mode keeps the file in the item.
			(bytes === undefined || bytes === TINY_PNG.length);
		if (ok) delivered++;
		else
			expect(
				false,
				`item ${row}: ${show({ ...json, outputs: undefined })}, job prompt ${show(job && promptOf(job))}, binary ${show(binary && { ...binary, data: binary.id ? binary.data : '…' })}`,
			);
	});
	const downloads = emulator.requests
		.slice(since)
		.filter((r) => r.route === 'file' && jobs.some((job) => job.id === r.requestId)).length;
	expect(downloads === DEPLOYMENT_ITEMS, `${downloads} image downloads, want ${DEPLOYMENT_ITEMS}`);
	const reads = emulator.requests.slice(since).filter((r) => r.route === 'deployments').length;
	numbers(
		`${delivered}/${DEPLOYMENT_ITEMS} images delivered as binary, exactly ${jobs.length} deployment jobs (${submits.length} submits, ${downloads} downloads, the deployment read ${reads}×); execution ${id} on ${worker?.name ?? '?'}; ${took}`,
	);
}
