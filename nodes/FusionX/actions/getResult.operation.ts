import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadVideos, lookUpEach, resultJson, videoUrlsOf } from '../helpers/items';
import { readOptions } from '../helpers/parameters';
import { SUCCESS_STATUSES } from '../helpers/polling';

/** One result look-up per item; a job that is not finished yet reports its current status. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this);
	return await lookUpEach(this, async (client, requestId) => {
		const answer = await client.result(requestId);
		const json = resultJson(requestId, answer);
		if (typeof answer.queue_position === 'number') json.queuePosition = answer.queue_position;
		const urls = videoUrlsOf(answer.output);
		if (!options.download || !SUCCESS_STATUSES.has(String(answer.status)) || urls.length === 0) {
			return { json, status: answer.status };
		}
		const binary = await downloadVideos(this, client, requestId, urls, options.binaryPropertyName);
		return { json, binary, status: answer.status };
	});
}
