import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

type Credentials = Promise<ICredentialDataDecryptedObject>;

/** The credentials each node run's detached requests authenticate with, read once per run. */
const credentialsByRun = new WeakMap<IExecuteFunctions, Map<string, Credentials>>();

/**
 * A context for requests that must outlive the execution's Stop: a submit already on the wire
 * (its job must be known so it can be cancelled) and the cancels sent after a Stop. n8n ties
 * every authenticated request to the execution's cancel signal; this context has no signal, so
 * httpRequestWithAuthentication sends the request without it.
 *
 * It also hands out the credentials read by the run's first detached request. In n8n 2.x the
 * credential's `Authorization: =Bearer {{$credentials.apiToken.trim()}}` is an expression, evaluated in
 * an isolate the workflow holds only while it runs; after a Stop, n8n saves the execution and
 * then releases the isolate, and every authentication after that fails ("No bridge acquired for
 * this context"). A cancel sent on Stop must be authenticated before the release: with the
 * credentials already in hand (read when the run's first submit was sent) that takes a few
 * microtasks, while reading them again (a database read) could lose the race to the release.
 */
export function detachedContext(ctx: IExecuteFunctions): IExecuteFunctions {
	let read = credentialsByRun.get(ctx);
	if (!read) {
		read = new Map();
		credentialsByRun.set(ctx, read);
	}
	const cache = read;
	const getCredentials = async (type: string): Credentials => {
		let credentials = cache.get(type);
		if (!credentials) {
			credentials = ctx.getCredentials(type);
			cache.set(type, credentials);
			// A failed read is not remembered: the next request reads again.
			credentials.catch(() => cache.delete(type));
		}
		return await credentials;
	};
	return {
		getCredentials,
		getNode: ctx.getNode.bind(ctx),
		helpers: ctx.helpers,
		logger: ctx.logger,
	} as unknown as IExecuteFunctions;
}
