import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A context for requests that must outlive the execution's Stop: a submit already on the wire
 * (its job must be known so it can be cancelled) and the cancels sent after a Stop. n8n ties
 * every authenticated request to the execution's cancel signal; this context has no signal, so
 * httpRequestWithAuthentication sends the request without it.
 */
export function detachedContext(ctx: IExecuteFunctions): IExecuteFunctions {
	return {
		getCredentials: ctx.getCredentials.bind(ctx),
		getNode: ctx.getNode.bind(ctx),
		helpers: ctx.helpers,
		logger: ctx.logger,
	} as unknown as IExecuteFunctions;
}
