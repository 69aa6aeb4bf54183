import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { RunComfyClient } from '../../shared/transport';
import { deploymentEntries, deploymentLabel } from '../helpers/deployments';

/** The Deployment list: every deployment of the account, named with status, hardware, enabled. */
export async function searchDeployments(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await RunComfyClient.create(this);
	let answer: unknown;
	try {
		answer = await client.deployments('GET', '');
	} catch (error) {
		throw client.toError(error);
	}
	const wanted = filter?.trim().toLowerCase() ?? '';
	const results = deploymentEntries(answer)
		.filter((record) => typeof record.id === 'string')
		.filter(
			(record) =>
				!wanted ||
				`${String(record.name ?? '')} ${String(record.id)}`.toLowerCase().includes(wanted),
		)
		.map((record) => ({ name: deploymentLabel(record), value: String(record.id) }));
	return { results };
}
