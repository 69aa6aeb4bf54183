import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemResult } from '../results';
import type { JobTarget, RunComfyClient } from '../transport';
import type { PaidJobs } from './paidRun';
import type { Submitted } from './submission';
import { submitJobs } from './submission';

/** Items that may run on different models or deployments: one engine submit per target. */

export interface TargetedInput<T> {
	itemIndex: number;
	input: IDataObject;
	query?: IDataObject;
	/** What the item runs on, as the operation knows it (a model's info, a deployment's). */
	on: T;
}

export async function submitByTarget<T>(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	inputs: Array<TargetedInput<T>>,
	targetOf: (on: T) => JobTarget,
	limit: number,
	jobs: PaidJobs,
): Promise<{ submitted: Array<Submitted & { on: T }>; failed: ItemResult[] }> {
	const groups = new Map<string, Array<TargetedInput<T>>>();
	for (const entry of inputs) {
		const key = JSON.stringify(targetOf(entry.on));
		groups.set(key, [...(groups.get(key) ?? []), entry]);
	}
	const submitted: Array<Submitted & { on: T }> = [];
	const failed: ItemResult[] = [];
	for (const group of groups.values()) {
		const on = group[0].on;
		const plan = { target: targetOf(on), inputs: group, limit, volatileKeys: [] };
		const done = await submitJobs(ctx, client, plan, jobs.memory, jobs.created);
		submitted.push(...done.submitted.map((job) => ({ ...job, on })));
		failed.push(...done.failed);
		// Without Continue On Fail one failed submit ends the run: nothing more is paid for.
		if (failed.length > 0 && !ctx.continueOnFail()) break;
		if (client.stopped) break;
	}
	return { submitted, failed };
}
