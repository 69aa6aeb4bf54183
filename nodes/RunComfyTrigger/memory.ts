import type { IDataObject } from 'n8n-workflow';

/**
 * Which jobs this Trigger has emitted: the last MEMORY_SIZE request ids, kept in the workflow's
 * static data (n8n saves it after each call), plus the ids being read right now in this process,
 * so a repeat that arrives while the first delivery is still being read is not emitted twice.
 */

export const MEMORY_SIZE = 1000;

const inFlight = new Map<string, Set<string>>();

function emitted(staticData: IDataObject): string[] {
	if (!Array.isArray(staticData.emitted)) staticData.emitted = [];
	return staticData.emitted as string[];
}

export function seen(staticData: IDataObject, requestId: string): boolean {
	return emitted(staticData).includes(requestId);
}

export function remember(staticData: IDataObject, requestId: string): void {
	const list = emitted(staticData).filter((id) => id !== requestId);
	list.push(requestId);
	staticData.emitted = list.slice(-MEMORY_SIZE);
}

/** Claims a job for this delivery; false when another delivery of it is being read. */
export function claim(scope: string, requestId: string): boolean {
	let ids = inFlight.get(scope);
	if (!ids) {
		ids = new Set();
		inFlight.set(scope, ids);
	}
	if (ids.has(requestId)) return false;
	ids.add(requestId);
	return true;
}

export function release(scope: string, requestId: string): void {
	const ids = inFlight.get(scope);
	ids?.delete(requestId);
	if (ids?.size === 0) inFlight.delete(scope);
}
