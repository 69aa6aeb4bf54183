import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { downloadMedia } from '../output/media';
import { hasResult, jobErrorText, jobJson } from '../output/jobFiles';
import type { NodeOptions } from '../parameters';
import type { RunComfyClient } from '../transport';
import { RunComfyError } from '../transport';
import type { CompletionOptions } from './outcomes';
import { deliveredFiles } from './outcomes';
import { FAILED_STATUSES, SUCCESS_STATUSES } from './polling';

/**
 * One look at a job's result. A job still running reports its status; a finished one is a
 * success only with its files, else it fails saying why.
 */
export async function lookUpResult(
	ctx: IExecuteFunctions,
	client: RunComfyClient,
	requestId: string,
	options: NodeOptions & Pick<CompletionOptions, 'delivers'>,
): Promise<{ json: IDataObject; binary?: IBinaryKeyData; status?: string }> {
	const { answer } = await client.result(requestId);
	const status = String(answer.status ?? '').toLowerCase();
	const { files, noun } = deliveredFiles(answer, options.delivers);
	const primary = options.delivers === 'any' ? (files[0]?.kind ?? 'file') : options.delivers;
	const json = jobJson(requestId, answer, primary);
	if (typeof answer.queue_position === 'number') json.queuePosition = answer.queue_position;
	if (FAILED_STATUSES.has(status)) {
		const reason = answer.error ? `: ${jobErrorText(answer)}` : '';
		const ended = status === 'failed' ? `failed${reason}` : 'was cancelled';
		throw new RunComfyError('unexpected', `The RunComfy job ${ended}`);
	}
	if (!SUCCESS_STATUSES.has(status)) return { json, status: answer.status };
	if (!hasResult(answer, files)) {
		const output = JSON.stringify(answer.output ?? null).slice(0, 200);
		throw new RunComfyError(
			'unexpected',
			`The job finished but its output holds no ${noun} URL (output: ${output})`,
		);
	}
	if (!options.download || files.length === 0) return { json, status: answer.status };
	const binary = await downloadMedia(ctx, client, requestId, files, options);
	return { json, binary, status: answer.status };
}
