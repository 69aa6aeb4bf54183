import type { IDataObject } from 'n8n-workflow';

import type { MediaKind } from '../output/media';
import type { JobAnswer } from '../transport';
import type { WorkflowOutputs } from './outputs';
import { resultOutputs, textsOf } from './outputs';

/**
 * The output `json` of a deployment request, shaped as media.ts's resultJson for a model:
 * `<kind>Url` (and `<kind>Urls` when several) per kind of file (image, video, audio, file),
 * `text`/`texts` for text outputs, `files` and `data` with their node ids, and the raw
 * `outputs` (or a LoRA's `output`). The request's own `error` is never copied (n8n would read
 * the item as failed).
 */

function addFiles(json: IDataObject, outputs: WorkflowOutputs) {
	for (const kind of new Set(outputs.files.map((file) => file.kind))) {
		const urls = outputs.files.filter((file) => file.kind === kind).map((file) => file.url);
		json[`${kind}Url`] = urls[0];
		if (urls.length > 1) json[`${kind}Urls`] = urls;
	}
}

function addTexts(json: IDataObject, outputs: WorkflowOutputs) {
	const texts = textsOf(outputs);
	if (texts.length > 0) json.text = texts[0];
	if (texts.length > 1) json.texts = texts;
}

export function workflowResultJson(
	requestId: string,
	answer: JobAnswer,
	options: { primary?: MediaKind; waitedMs?: number } = {},
): IDataObject {
	const json: IDataObject = { requestId, status: answer.status };
	if (options.primary) json[`${options.primary}Url`] = null;
	const outputs = resultOutputs(answer);
	addFiles(json, outputs);
	addTexts(json, outputs);
	json.files = outputs.files.map((file) => ({ ...file }));
	json.data = outputs.data.map((entry) => ({ ...entry })) as IDataObject[];
	const lora = (answer.outputs === undefined || answer.outputs === null) && answer.output != null;
	if (lora) json.output = answer.output ?? null;
	else json.outputs = (answer.outputs as IDataObject | undefined) ?? null;
	if (typeof answer.cost === 'number') json.cost = answer.cost;
	json.createdAt = answer.created_at ?? null;
	json.finishedAt = answer.finished_at ?? null;
	if (options.waitedMs !== undefined) json.waitedSeconds = Math.round(options.waitedMs / 100) / 10;
	return json;
}
