import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpResult } from '../../shared/jobs/result';
import { checkAgainAt } from '../../shared/jobs/schedule';
import { lookUpEach } from '../../shared/lookUp';
import { readOptions } from '../../shared/parameters';

/**
 * One look per item, routed: finished jobs (with their video) to Completed, the others to Still
 * Running with `checkAgainAt`, so Submit → Wait → Check Job → (Still Running → Wait) needs no IF
 * node and the execution is parked while the job runs.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = { ...readOptions(this, ['resulting']), delivers: 'video' as const };
	const items = await lookUpEach(this, async (client, requestId) => {
		const found = await lookUpResult(this, client, requestId, options);
		if (found.json.videoUrl) return found;
		const answer = { status: found.status, queue_position: found.json.queuePosition as number };
		return { ...found, json: { ...found.json, checkAgainAt: checkAgainAt(answer) } };
	});
	const completed = items.filter((item) => item.json.videoUrl || item.json.error);
	const running = items.filter((item) => !item.json.videoUrl && !item.json.error);
	return [completed, running];
}
