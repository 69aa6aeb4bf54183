import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpResult } from '../../shared/jobs/result';
import { lookUpEach } from '../../shared/lookUp';
import { readOptions } from '../../shared/parameters';
import { DOWNLOAD_LABEL } from './common';

/** One result look-up per item: the current status, or the finished job with every file. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = { ...readOptions(this, ['resulting'], DOWNLOAD_LABEL), delivers: 'any' as const };
	return await lookUpEach(
		this,
		async (client, requestId) => await lookUpResult(this, client, requestId, options),
	);
}
