/**
 * The Serverless API's deployments: the seeded ones, and the CRUD calls under
 * /prod/v2/deployments (list, get, create, PATCH, DELETE) with RunComfy's validation.
 */
import { randomUUID } from 'node:crypto';

import { isObject, type Detail } from './validate';
import {
	HARDWARE,
	SEEDED_DEPLOYMENTS,
	WORKFLOWS,
	type DeploymentSeed,
	type Hardware,
	type Overrides,
	type Workflow,
} from './workflows';

export interface Deployment extends DeploymentSeed {
	createdAt: number;
	updatedAt: number;
	deletedAt?: number;
	/** ComfyUI deployments: the deployed graph and the inputs its author exposed. */
	workflow?: Workflow;
	overrides?: Overrides;
	/** This deployment's cold start (default: the Serverless `coldStartMs`). */
	coldStartMs?: number;
	/** When the instance booting (or booted) for it is ready. */
	bootReadyAt?: number;
}

const SEEDED_AT = Date.parse('2025-06-01T12:00:00Z');

function fromSeed(seed: DeploymentSeed, at: number): Deployment {
	const source = seed.kind === 'comfy' ? WORKFLOWS[seed.workflow_id] : undefined;
	return {
		...seed,
		hardware: [...seed.hardware],
		createdAt: at,
		updatedAt: at,
		workflow: source?.workflow(),
		overrides: source?.overrides(),
	};
}

type Check = (value: unknown) => string | undefined;

const nonEmpty: Check = (v) =>
	typeof v === 'string' && v.trim() !== '' ? undefined : 'Input should be a non-empty string';
const knownWorkflow: Check = (v) =>
	nonEmpty(v) ?? (WORKFLOWS[v as string] ? undefined : `Workflow '${String(v)}' not found`);
const hardware: Check = (v) =>
	Array.isArray(v) && v.length === 1 && HARDWARE.includes(v[0] as Hardware)
		? undefined
		: `hardware must be an array of exactly one of ${HARDWARE.join(', ')}`;
const integer =
	(min: number, max: number): Check =>
	(v) =>
		typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
			? undefined
			: `Input should be an integer from ${min} to ${max}`;
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'Input should be a boolean');

const FIELDS: Record<string, Check> = {
	name: nonEmpty,
	workflow_id: knownWorkflow,
	workflow_version: nonEmpty,
	hardware,
	min_instances: integer(0, 30),
	max_instances: integer(1, 60),
	queue_size: integer(1, 1000),
	keep_warm_duration_in_seconds: integer(0, 86400),
};
const OPTIONAL: Record<string, Check> = { is_enabled: boolean };

/** Details for the fields present in `body` (and, for create, those missing). */
export function checkDeploymentBody(
	body: Record<string, unknown>,
	current: Deployment | undefined,
): Detail[] {
	const details: Detail[] = [];
	for (const [key, check] of Object.entries({ ...FIELDS, ...OPTIONAL })) {
		const required = key === 'name' || (!current && key in FIELDS);
		if (!(key in body)) {
			if (required) details.push({ loc: ['body', key], msg: 'Field required', type: 'missing' });
			continue;
		}
		const msg = check(body[key]);
		if (msg) details.push({ loc: ['body', key], msg, type: 'value_error' });
	}
	if (details.length > 0) return details;
	const min = (body.min_instances ?? current?.min_instances) as number;
	const max = (body.max_instances ?? current?.max_instances) as number;
	if (max < min) {
		const msg = `max_instances (${max}) must be greater than or equal to min_instances (${min})`;
		details.push({ loc: ['body', 'max_instances'], msg, type: 'value_error' });
	}
	return details;
}

export class DeploymentStore {
	readonly all = new Map<string, Deployment>();

	constructor() {
		this.seed();
	}

	/** Back to the seeded deployments only, as they were. */
	seed(): void {
		this.all.clear();
		for (const seed of SEEDED_DEPLOYMENTS) this.all.set(seed.id, fromSeed(seed, SEEDED_AT));
	}

	/** Own, not deleted, in creation order; `ids` filters when given. */
	list(ids: string[]): Deployment[] {
		return [...this.all.values()].filter(
			(d) => d.owner === 'self' && !d.deletedAt && (ids.length === 0 || ids.includes(d.id)),
		);
	}

	create(body: Record<string, unknown>): Deployment {
		const now = Date.now();
		const seed: DeploymentSeed = {
			id: randomUUID(),
			name: String(body.name),
			workflow_id: String(body.workflow_id),
			workflow_version: String(body.workflow_version),
			hardware: body.hardware as Hardware[],
			min_instances: body.min_instances as number,
			max_instances: body.max_instances as number,
			queue_size: body.queue_size as number,
			keep_warm_duration_in_seconds: body.keep_warm_duration_in_seconds as number,
			is_enabled: (body.is_enabled as boolean | undefined) ?? true,
			owner: 'self',
			kind: 'comfy',
			readme: `# ${String(body.name)}`,
		};
		const deployment = fromSeed(seed, now);
		this.all.set(deployment.id, deployment);
		return deployment;
	}

	/** Applies a checked PATCH body; a new workflow_id brings that workflow's graph. */
	update(deployment: Deployment, body: Record<string, unknown>): void {
		for (const key of [...Object.keys(FIELDS), ...Object.keys(OPTIONAL)]) {
			if (key in body) (deployment as unknown as Record<string, unknown>)[key] = body[key];
		}
		if ('workflow_id' in body && deployment.kind === 'comfy') {
			deployment.workflow = WORKFLOWS[deployment.workflow_id].workflow();
			deployment.overrides = WORKFLOWS[deployment.workflow_id].overrides();
		}
		deployment.updatedAt = Math.max(Date.now(), deployment.updatedAt + 1);
	}
}

/** The deployment as the API shows it; `includes` may hold 'payload' and/or 'readme'. */
export function deploymentView(
	deployment: Deployment,
	status: string,
	includes: Set<string>,
	objectInfoUrl: string,
): Record<string, unknown> {
	const view: Record<string, unknown> = {
		id: deployment.id,
		name: deployment.name,
		workflow_id: deployment.workflow_id,
		workflow_version: deployment.workflow_version,
		hardware: [...deployment.hardware],
		min_instances: deployment.min_instances,
		max_instances: deployment.max_instances,
		queue_size: deployment.queue_size,
		keep_warm_duration_in_seconds: deployment.keep_warm_duration_in_seconds,
		status,
		is_enabled: deployment.is_enabled,
		created_at: new Date(deployment.createdAt).toISOString(),
		updated_at: new Date(deployment.updatedAt).toISOString(),
	};
	if (includes.has('payload') && deployment.workflow) {
		view.payload = {
			workflow_api_json: structuredClone(deployment.workflow),
			overrides: structuredClone(deployment.overrides ?? {}),
			object_info_url: objectInfoUrl,
		};
	}
	if (includes.has('readme')) view.readme = deployment.readme;
	// A guess of the reference: a LoRA deployment's record may carry its schema. Tests set it.
	const schema = (deployment as { input_schema?: unknown }).input_schema;
	if (schema !== undefined) view.input_schema = structuredClone(schema);
	return view;
}

/** `includes=payload&includes=readme` or `includes=payload,readme`. */
export function includesOf(url: URL): Set<string> {
	return new Set(url.searchParams.getAll('includes').flatMap((v) => v.split(',')));
}

/** `ids=a&ids=b` or `ids=a,b`. */
export function idsOf(url: URL): string[] {
	return url.searchParams.getAll('ids').flatMap((v) => v.split(',').filter(Boolean));
}

export { isObject };
