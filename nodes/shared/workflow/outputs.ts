import type { MediaFile } from '../output/media';
import { isUsableUrl, mediaOf } from '../output/media';
import type { JobAnswer } from '../transport';
import { compareNodeIds, isRecord } from './graph';
import { fileKind } from './fileKind';

/**
 * A deployment request's outputs: `{node id: {channel: [entries]}}`. An entry with a usable
 * http(s) URL is a file; anything else is data, kept with where it came from (a text node's
 * `[["a caption"]]` flattened to ["a caption"]). A LoRA deployment's `output` is read as the
 * Model API's (media.ts).
 */

export interface WorkflowFile extends MediaFile {
	/** Absent for a LoRA deployment's output. */
	nodeId?: string;
	channel?: string;
	filename?: string;
}

export interface WorkflowData {
	nodeId: string;
	channel: string;
	values: unknown[];
}

export interface WorkflowOutputs {
	files: WorkflowFile[];
	data: WorkflowData[];
}

function urlOf(entry: unknown): string | undefined {
	const url = isRecord(entry) ? entry.url : undefined;
	return isUsableUrl(url) ? url : undefined;
}

function filenameOf(entry: unknown, url: string): string | undefined {
	const name = isRecord(entry) ? entry.filename : undefined;
	if (typeof name === 'string' && name.trim()) return name.trim();
	const last = new URL(url).pathname.split('/').pop();
	try {
		return last ? decodeURIComponent(last) : undefined;
	} catch {
		return last;
	}
}

/** Lists in lists (a list output of lists) read as one list of values. */
function flattened(values: unknown[]): unknown[] {
	return values.flatMap((value) => (Array.isArray(value) ? flattened(value) : [value]));
}

function readChannel(
	nodeId: string,
	channel: string,
	value: unknown,
	found: WorkflowOutputs,
	seen: Set<string>,
) {
	const rest: unknown[] = [];
	for (const entry of Array.isArray(value) ? value : [value]) {
		const url = urlOf(entry);
		if (url === undefined) rest.push(entry);
		else if (!seen.has(url)) {
			seen.add(url);
			const filename = filenameOf(entry, url);
			const file: WorkflowFile = { url, kind: fileKind(filename, url, channel), nodeId, channel };
			if (filename) file.filename = filename;
			found.files.push(file);
		}
	}
	const values = flattened(rest).filter((entry) => entry !== undefined && entry !== null);
	if (values.length > 0) found.data.push({ nodeId, channel, values });
}

/** Files and data of `outputs`, by node id (3, 10, 38:42), each node's channels in order. */
export function readOutputs(outputs: unknown): WorkflowOutputs {
	const found: WorkflowOutputs = { files: [], data: [] };
	if (!isRecord(outputs)) return found;
	const seen = new Set<string>();
	for (const nodeId of Object.keys(outputs).sort(compareNodeIds)) {
		const channels = outputs[nodeId];
		if (!isRecord(channels)) {
			if (channels !== undefined && channels !== null)
				readChannel(nodeId, '', channels, found, seen);
			continue;
		}
		for (const [channel, value] of Object.entries(channels))
			readChannel(nodeId, channel, value, found, seen);
	}
	return found;
}

/** A result's outputs: a workflow's `outputs`, else a LoRA deployment's `output`. */
export function resultOutputs(answer: JobAnswer): WorkflowOutputs {
	if (answer.outputs !== undefined && answer.outputs !== null) return readOutputs(answer.outputs);
	return { files: mediaOf(answer.output), data: [] };
}

/** Every text among the data, in order. */
export function textsOf(outputs: WorkflowOutputs): string[] {
	return outputs.data
		.flatMap((entry) => entry.values)
		.filter((value): value is string => typeof value === 'string');
}
