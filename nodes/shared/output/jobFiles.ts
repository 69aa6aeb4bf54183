import type { IDataObject } from 'n8n-workflow';

import type { JobAnswer } from '../transport';
import { deploymentErrorText } from '../workflow/deploymentError';
import { resultOutputs } from '../workflow/outputs';
import { workflowResultJson } from '../workflow/resultJson';
import type { MediaFile, MediaKind } from './media';
import { mediaOf, resultJson } from './media';

/**
 * A finished job's files and output json, whichever API ran it: a model's `output`, a ComfyUI
 * deployment's per-node `outputs`, a LoRA deployment's `output`.
 */

/** A ComfyUI deployment's result: files per output node and channel. */
export function isWorkflowAnswer(answer: JobAnswer): boolean {
	return answer.outputs !== undefined && answer.outputs !== null;
}

export function jobFiles(answer: JobAnswer): MediaFile[] {
	return isWorkflowAnswer(answer) ? resultOutputs(answer).files : mediaOf(answer.output);
}

/** A workflow may end with text only (a caption node): that is a result too. */
export function hasResult(answer: JobAnswer, files: MediaFile[]): boolean {
	return files.length > 0 || (isWorkflowAnswer(answer) && resultOutputs(answer).data.length > 0);
}

export function jobJson(
	requestId: string,
	answer: JobAnswer,
	primary: MediaKind,
	waitedMs?: number,
): IDataObject {
	return isWorkflowAnswer(answer)
		? workflowResultJson(requestId, answer, { primary, waitedMs })
		: resultJson(requestId, answer, primary, waitedMs);
}

/** Why a job failed, in one line, whichever shape its `error` has. */
export function jobErrorText(answer: JobAnswer): string {
	return deploymentErrorText(answer.error) ?? 'no reason given';
}
