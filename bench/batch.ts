/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Batch runs, in this process: one contender, N jobs with scripted durations, through n8n's
 * WorkflowExecute against the emulator; optionally under faults. The emulator's request log is
 * the witness for the request counts.
 */
import { performance } from 'node:perf_hooks';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { POLLING_MODE } from '../nodes/shared/transport/budget';
import type { RunComfyEmulator } from '../test/emulator/emulator';
import type { Engine } from '../test/harness/engine';
import { jobDurations, median } from './stats';
import { buildWorkflow, POLL_SECONDS, type Contender } from './workflows';

/**
 * The contenders of the batch and fault tables; `oursContinue` is our node with Continue On Fail
 * (On Error: Continue), `handBuiltRetry` the hand-built loop with Retry On Fail on its polling nodes.
 */
export type Variant = Contender | 'oursContinue' | 'handBuiltRetry' | 'oursLegacy' | 'oursFixed';

export const VARIANT_LABELS: Record<Variant, string> = {
	ours: 'RunComfy FusionX (generate)',
	oursLegacy: 'RunComfy FusionX, fixed-interval poller (before #15)',
	oursFixed: 'RunComfy FusionX, fixed budget 8/s (before #22)',
	oursContinue: 'RunComfy FusionX + Continue On Fail',
	handBuilt: 'hand-built loop (HTTP Request/Wait/If)',
	handBuiltRetry: 'hand-built loop + Retry On Fail (3 tries, 1 s)',
	oneByOne: 'one item at a time (Loop Over Items)',
};

/**
 * `every`: the issue's wording taken literally, as the emulator's `every` faults: per route (status,
 * result), every 7th call answers 503 and every 5th answers 429 with Retry-After: 1.
 * `random`: the same rates drawn at random per call (seeded per run): 1/7 answer 503, 1/5 answer 429.
 */
export type FaultModel = 'every' | 'random';

export interface BatchRun {
	variant: Variant;
	n: number;
	run: number;
	faults: FaultModel | null;
	wallMs: number;
	/** The longest single job: nothing can finish sooner. */
	idealMs: number;
	ratio: number;
	/** Jobs the emulator created (accepted submits). */
	jobsCreated: number;
	submitCalls: number;
	statusCalls: number;
	resultCalls: number;
	/** Status/result calls answered 429 or 503 by the fault script. */
	faultedCalls: number;
	/** (status + result calls) / jobs created. */
	requestsPerJob: number;
	/** Output items with a finished job and its video URL. */
	delivered: number;
	/** Jobs created whose video never reached an output item: paid for and lost to the workflow. */
	orphaned: number;
	/** When the last job was created, from the start of the run: the submit phase. */
	lastSubmitMs: number;
	/** Status/result calls made less than one poll interval after the job's submit, per job. */
	earlyCallsPerJob: number;
	/** From a job's end to the call that saw it finished: median over jobs, and for the job that ended last. */
	lagMedianMs: number;
	lastJobLagMs: number;
	/** From that call to the end of the run (fetching the result, building the output). */
	tailMs: number;
	error?: string;
}

export interface BatchContext {
	emulator: RunComfyEmulator;
	engine: Engine;
	baseUrl: string;
	token: string;
}

/** One status/result call in seven answers 503; one in five answers 429 with Retry-After: 1. */
export function addFaults(emulator: RunComfyEmulator, model: FaultModel, seed: number): void {
	if (model === 'random') {
		// P(fault) = 1/7 + 1/5 = 12/35, split 5 : 7 between 503 and 429.
		emulator.setRandomFaults({
			seed,
			rate: 12 / 35,
			routes: ['status', 'result'],
			kinds: [...Array<'503'>(5).fill('503'), ...Array<'429'>(7).fill('429')],
			retryAfterSeconds: 1,
		});
		return;
	}
	for (const route of ['status', 'result'] as const) {
		emulator.addFault({
			route,
			every: 7,
			status: 503,
			body: { error_code: 503001, error_message: 'Service temporarily unavailable' },
		});
		emulator.addFault({
			route,
			every: 5,
			status: 429,
			headers: { 'Retry-After': '1' },
			body: { error_code: 429001, error_message: 'Too many requests' },
		});
	}
}

const PROMPT = 'Bench job #';

function deliveredItems(items: INodeExecutionData[]): Set<string> {
	const ids = new Set<string>();
	for (const { json } of items) {
		const output = json.output as IDataObject | null | undefined;
		const video = json.videoUrl ?? output?.video;
		const id = (json.requestId ?? json.request_id) as string | undefined;
		if (id && video && !json.error && ['completed', 'succeeded'].includes(String(json.status))) {
			ids.add(id);
		}
	}
	return ids;
}

export async function runBatch(
	context: BatchContext,
	variant: Variant,
	n: number,
	run: number,
	options: { faults?: FaultModel; durations?: number[] } = {},
): Promise<BatchRun> {
	const { emulator, engine } = context;
	emulator.reset();
	const durations = options.durations ?? jobDurations(n, run);
	emulator.onSubmit = (body) => {
		const index = Number(String(body['600_prompt']).slice(PROMPT.length));
		return { queueMs: 0, durationMs: durations[index] ?? durations[0] };
	};
	if (options.faults) addFaults(emulator, options.faults, 7919 * run + n);

	const imageUrl = `${context.baseUrl}/images/start.png`;
	const items = durations.map((_, index) => ({ prompt: `${PROMPT}${index}`, imageUrl }));
	const contender: Contender =
		variant === 'handBuiltRetry'
			? 'handBuilt'
			: variant === 'oursContinue' || variant === 'oursLegacy' || variant === 'oursFixed'
				? 'ours'
				: variant;
	const spec = buildWorkflow(
		contender,
		engine,
		{ baseUrl: context.baseUrl, token: context.token },
		items,
		{
			ours: variant === 'oursFixed' ? { maxRequestsPerSecond: 8 } : {},
			handBuilt: { retryOnFail: variant === 'handBuiltRetry' },
			oursSettings: variant === 'oursContinue' ? { onError: 'continueRegularOutput' } : {},
		},
	);

	const startedAt = Date.now();
	const started = performance.now();
	POLLING_MODE.legacy = variant === 'oursLegacy';
	POLLING_MODE.fixedBudget = variant === 'oursFixed';
	const result = await engine.execute(spec.workflow, spec.resultNode, {}, 'Start').finally(() => {
		POLLING_MODE.legacy = false;
		POLLING_MODE.fixedBudget = false;
	});
	const wallMs = performance.now() - started;
	const timing = pollTiming(emulator, startedAt, startedAt + wallMs);

	const runs = result.run.data.resultData.runData[spec.resultNode] ?? [];
	const delivered = deliveredItems(runs.flatMap((task) => task.data?.main?.[0] ?? []));
	const apiCalls = emulator.requests.filter((r) => r.route === 'status' || r.route === 'result');
	const jobsCreated = emulator.jobs.size;
	const idealMs = Math.max(...durations);
	const statusCalls = emulator.count('status');
	const resultCalls = emulator.count('result');
	const failedNode = (result.error as { node?: { name?: string } } | undefined)?.node?.name;
	const error = result.error
		? `${result.error.message}${failedNode ? ` (in ${failedNode})` : ''}`
		: undefined;
	return {
		variant,
		n,
		run,
		faults: options.faults ?? null,
		wallMs,
		idealMs,
		ratio: wallMs / idealMs,
		jobsCreated,
		submitCalls: emulator.count('submit'),
		statusCalls,
		resultCalls,
		faultedCalls: apiCalls.filter((r) => r.status === 429 || r.status === 503).length,
		requestsPerJob: jobsCreated ? (statusCalls + resultCalls) / jobsCreated : NaN,
		delivered: delivered.size,
		orphaned: [...emulator.jobs.keys()].filter((id) => !delivered.has(id)).length,
		...timing,
		error,
	};
}

/** How each job was polled, from the emulator's log (arrival times; the emulator's clock is ours). */
function pollTiming(emulator: RunComfyEmulator, startedAt: number, endedAt: number) {
	const jobs = [...emulator.jobs.values()];
	const calls = emulator.requests.filter((r) => r.route === 'status' || r.route === 'result');
	let early = 0;
	const lags: number[] = [];
	let last: { endsAt: number; seenAt?: number } | undefined;
	for (const job of jobs) {
		const own = calls.filter((call) => call.requestId === job.id);
		early += own.filter((call) => call.at < job.createdAt + POLL_SECONDS * 1000).length;
		const seen = own.find((call) => call.at >= job.endsAt && call.status === 200);
		if (seen) lags.push(seen.at - job.endsAt);
		if (!last || job.endsAt > last.endsAt) last = { endsAt: job.endsAt, seenAt: seen?.at };
	}
	return {
		lastSubmitMs: jobs.length ? Math.max(...jobs.map((job) => job.createdAt)) - startedAt : NaN,
		earlyCallsPerJob: jobs.length ? early / jobs.length : NaN,
		lagMedianMs: median(lags),
		lastJobLagMs: last?.seenAt !== undefined ? last.seenAt - last.endsAt : NaN,
		tailMs: last?.seenAt !== undefined ? endedAt - last.seenAt : NaN,
	};
}
