import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://model-api.runcomfy.net';
export const DEFAULT_ACCOUNT_URL = 'https://api.runcomfy.net';

const FIELDS = {
	baseUrl: { label: 'Base URL', fallback: DEFAULT_BASE_URL },
	accountApiUrl: { label: 'Account API URL', fallback: DEFAULT_ACCOUNT_URL },
};

/** A URL of the credential, refused when it cannot be joined with an API path safely. */
export function parseBaseUrl(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	raw: string,
	field: keyof typeof FIELDS = 'baseUrl',
): URL {
	let url: URL | undefined;
	try {
		url = new URL(raw);
	} catch {
		url = undefined;
	}
	const problem = !url
		? 'is not a URL'
		: url.protocol !== 'https:' && url.protocol !== 'http:'
			? 'must start with https://'
			: url.search || url.hash || /[?#]/.test(raw)
				? 'must not contain a query (?…) or a fragment (#…)'
				: // n8n would send them as Basic auth in place of the API token.
					url.username || url.password
					? 'must not contain a user name or password'
					: undefined;
	if (problem) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${FIELDS[field].label} in the RunComfy API credential ${problem}`,
			{
				description: `Set it to ${FIELDS[field].fallback}. Nothing was sent to RunComfy.`,
			},
		);
	}
	return url!;
}
