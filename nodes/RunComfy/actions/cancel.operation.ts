import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { lookUpEach } from '../../shared/lookUp';

/** Cancel a job; only a queued job can be cancelled, a running one reports not_cancellable. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await lookUpEach(this, async (client, requestId) => {
		const answer = await client.cancel(requestId);
		const outcome =
			answer.outcome ?? (answer.status === 'cancelled' ? 'cancelled' : 'not_cancellable');
		return {
			json: {
				requestId,
				outcome,
				cancelled: outcome === 'cancelled',
				status: answer.status ?? null,
				message:
					outcome === 'cancelled'
						? 'The job was cancelled before it started.'
						: 'The job could not be cancelled: it is already running or finished. Running jobs cannot be cancelled.',
			},
			status: answer.status,
		};
	});
}
