/**
 * The deployments CRUD calls: GET/POST /prod/v2/deployments, GET/PATCH/DELETE
 * /prod/v2/deployments/{id}. Errors come shaped by the Serverless switches (`fail`).
 */
import {
	checkDeploymentBody,
	deploymentView,
	idsOf,
	includesOf,
	type Deployment,
	type DeploymentStore,
} from './deployments';
import { parseLossless } from './lossless';
import type { Reply } from './serverlessTypes';
import { isObject, type Detail } from './validate';

export interface CrudContext {
	store: DeploymentStore;
	fail: (status: number, code: number, message: string, detail?: Detail[]) => Reply;
	listWrapped: boolean;
	statusOf: (deployment: Deployment) => string;
	objectInfoUrl: (deployment: Deployment) => string;
	/** Fails the deployment's queued and running jobs (disable, delete). */
	abortJobs: (deployment: Deployment, reason: string) => void;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

export function crudAnswer(
	ctx: CrudContext,
	method: string,
	url: URL,
	id: string | undefined,
	raw: Buffer | undefined,
): Reply {
	const view = (d: Deployment) =>
		deploymentView(d, ctx.statusOf(d), includesOf(url), ctx.objectInfoUrl(d));
	if (id === undefined) {
		if (method === 'POST') return create(ctx, raw, view);
		const list = ctx.store.list(idsOf(url)).map(view);
		return ok(ctx.listWrapped ? { deployments: list } : list);
	}
	const deployment = ctx.store.all.get(id);
	if (!deployment || deployment.deletedAt) return ctx.fail(404, 404001, 'Deployment not found');
	if (deployment.owner !== 'self') {
		return ctx.fail(403, 403003, 'You do not have access to this deployment');
	}
	if (method === 'GET') return ok(view(deployment));
	if (method === 'PATCH') return update(ctx, deployment, raw, view);
	deployment.deletedAt = Date.now();
	ctx.abortJobs(deployment, 'Deployment deleted');
	return ok({ id: deployment.id, deleted: true });
}

/** The JSON object of a create/PATCH body, or the 422001 to answer. */
function objectBody(
	ctx: CrudContext,
	raw: Buffer | undefined,
): { body: Record<string, unknown> } | { reply: Reply } {
	const value = parseLossless(raw?.toString('utf8') ?? '')?.value;
	if (isObject(value)) return { body: value };
	const detail = [{ loc: ['body'], msg: 'Input should be a valid JSON object', type: 'dict_type' }];
	return { reply: ctx.fail(422, 422001, 'Validation error', detail) };
}

function create(
	ctx: CrudContext,
	raw: Buffer | undefined,
	view: (d: Deployment) => Record<string, unknown>,
): Reply {
	const parsed = objectBody(ctx, raw);
	if ('reply' in parsed) return parsed.reply;
	const { body } = parsed;
	const details = checkDeploymentBody(body, undefined);
	if (details.length > 0) return ctx.fail(422, 422001, 'Validation error', details);
	return ok(view(ctx.store.create(body)));
}

function update(
	ctx: CrudContext,
	deployment: Deployment,
	raw: Buffer | undefined,
	view: (d: Deployment) => Record<string, unknown>,
): Reply {
	const parsed = objectBody(ctx, raw);
	if ('reply' in parsed) return parsed.reply;
	const { body } = parsed;
	const details = checkDeploymentBody(body, deployment);
	if (details.length > 0) return ctx.fail(422, 422001, 'Validation error', details);
	const wasEnabled = deployment.is_enabled;
	ctx.store.update(deployment, body);
	if (wasEnabled && !deployment.is_enabled) ctx.abortJobs(deployment, 'Deployment disabled');
	return ok(view(deployment));
}
