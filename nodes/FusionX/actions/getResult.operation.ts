import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpEach } from '../helpers/lookUp';
import { downloadVideos, resultJson, videoUrlsOf } from '../helpers/output';
import { readOptions } from '../helpers/parameters';
import { FAILED_STATUSES, SUCCESS_STATUSES } from '../helpers/polling';
import { RunComfyError } from '../transport';

/**
 * One result look-up per item. A job still running reports its status; a finished one is a
 * success only with a usable video, else the item fails saying why.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readOptions(this);
	return await lookUpEach(this, async (client, requestId) => {
		const { answer } = await client.result(requestId);
		const status = String(answer.status ?? '').toLowerCase();
		const json = resultJson(requestId, answer);
		if (typeof answer.queue_position === 'number') json.queuePosition = answer.queue_position;
		if (FAILED_STATUSES.has(status)) {
			const reason = typeof answer.error === 'string' && answer.error ? `: ${answer.error}` : '';
			throw new RunComfyError(
				'unexpected',
				`The RunComfy job ${status === 'failed' ? `failed${reason}` : 'was cancelled'}`,
			);
		}
		if (!SUCCESS_STATUSES.has(status)) return { json, status: answer.status };
		const urls = videoUrlsOf(answer.output);
		if (urls.length === 0) {
			throw new RunComfyError(
				'unexpected',
				`The job finished but its output holds no video URL (output: ${JSON.stringify(answer.output ?? null).slice(0, 200)})`,
			);
		}
		if (!options.download) return { json, status: answer.status };
		const binary = await downloadVideos(this, client, requestId, urls, options);
		return { json, binary, status: answer.status };
	});
}
