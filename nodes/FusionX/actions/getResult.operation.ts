import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpResult } from '../../shared/jobs/result';
import { lookUpEach } from '../../shared/lookUp';
import { readOptions } from '../../shared/parameters';

/** One result look-up per item: the current status, or the finished job with its video. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = { ...readOptions(this, ['resulting']), delivers: 'video' as const };
	return await lookUpEach(
		this,
		async (client, requestId) => await lookUpResult(this, client, requestId, options),
	);
}
