import type { Checked } from '../values';
import { isUsableUrl } from '../output/media';
import { show } from '../values';
import type { WorkflowSpec } from './spec';

/** A file input (LoadImage's image…) takes a public URL or a base64 `data:` URI, as RunComfy says. */

const DATA_URI = /^data:[^,]*,./is;

export function isDataUri(value: unknown): value is string {
	return typeof value === 'string' && DATA_URI.test(value.slice(0, 300));
}

export function checkFileValue(spec: WorkflowSpec, raw: unknown): Checked<string> {
	const text = typeof raw === 'string' ? raw.trim() : undefined;
	if (text !== undefined && (isDataUri(text) || isUsableUrl(text))) return { value: text };
	return {
		problem: `${spec.title} must be an http(s) URL or a data: URI of the ${spec.upload ?? 'file'} (a file sent from binary), got ${show(raw)}`,
	};
}
