import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class RunComfyApi implements ICredentialType {
	name = 'runComfyApi';

	displayName = 'RunComfy API';

	icon = { light: 'file:../icons/runcomfy.svg', dark: 'file:../icons/runcomfy.dark.svg' } as const;

	documentationUrl = 'https://github.com/runcomfy/n8n-nodes-runcomfy#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your RunComfy API token, from the RunComfy dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://model-api.runcomfy.net',
			description: 'Change only to go through a proxy or to test against a stand-in',
		},
		{
			displayName: 'Account API URL',
			name: 'accountApiUrl',
			type: 'string',
			default: 'https://api.runcomfy.net',
			description:
				"Where the account's balance is read (the option Check Balance First); change only for a proxy or a stand-in",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// A token pasted with a space around it is still the token.
				Authorization: '=Bearer {{$credentials.apiToken.trim()}}',
			},
		},
	};

	// A status look-up of a request id that cannot exist: a valid token gets "unknown request"
	// (404001), a bad one gets 400004. Nothing is created or paid for.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/requests/00000000-0000-0000-0000-000000000000/status',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_code',
					value: undefined,
					message:
						'The Base URL does not answer like the RunComfy Model API: use https://model-api.runcomfy.net',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_code',
					value: 400004,
					message: 'RunComfy rejected the API token: it is wrong or expired',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_code',
					value: '400004',
					message: 'RunComfy rejected the API token: it is wrong or expired',
				},
			},
		],
	};
}
