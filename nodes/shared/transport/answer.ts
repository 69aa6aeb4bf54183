import type { IDataObject } from 'n8n-workflow';

import { errorFromAnswer } from './errors';
import { parseRetryAfter } from './retry';
import type { Secrets } from './secrets';
import type { Call, JobAnswer, Reply } from './types';

/** An HTTP answer as n8n hands it over with `returnFullResponse`. */
export interface Raw {
	body: unknown;
	headers: IDataObject;
	statusCode: number;
}

/**
 * An answer as a Reply, or the error it means; everything in it is redacted first. RunComfy
 * sometimes answers an error with HTTP 200, so every body is checked for an error code.
 */
export function readAnswer(call: Call, raw: Raw, secrets: Secrets, list = false): Reply {
	const headers = raw.headers ?? {};
	let answer: unknown = raw.body;
	if (typeof answer === 'string') {
		try {
			answer = JSON.parse(answer);
		} catch {
			// not JSON: reported below
		}
	}
	answer = secrets.redactDeep(answer);
	const isObject =
		typeof answer === 'object' && answer !== null && (list || !Array.isArray(answer));
	if (
		raw.statusCode < 200 ||
		raw.statusCode >= 300 ||
		!isObject ||
		(answer as IDataObject).error_code !== undefined
	) {
		throw errorFromAnswer(call, raw.statusCode, answer, secrets.redactDeep(headers));
	}
	return { answer: answer as JobAnswer, retryAfterMs: parseRetryAfter(headers['retry-after']) };
}
