import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpEach } from '../../shared/lookUp';

/** One status look-up per item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await lookUpEach(this, async (client, requestId) => {
		const answer = await client.status(requestId);
		const json: Record<string, unknown> = { requestId, status: answer.status };
		if (typeof answer.queue_position === 'number') json.queuePosition = answer.queue_position;
		json.statusUrl = answer.status_url ?? null;
		json.resultUrl = answer.result_url ?? null;
		return { json: json as INodeExecutionData['json'], status: answer.status };
	});
}
