/** The transport: everything that speaks HTTP to RunComfy's API, and the errors it can give. */
export {
	CREDENTIAL_TYPE,
	DEFAULT_BASE_URL,
	modelPath,
	pathSegment,
	RunComfyClient,
} from './client';
export type { ErrorKind } from './errors';
export { cancelled, RunComfyError, toRunComfyError } from './errors';
export { toNodeApiError } from './guidance';
export { backoffDelay, parseRetryAfter } from './retry';
export { printableUrl, Secrets } from './secrets';
export type { Call, JobAnswer, Reply } from './types';
export type { JobTarget } from './client';
