import type { INodeProperties } from 'n8n-workflow';

export const accountOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{
			name: 'Get Balance',
			value: 'getBalance',
			action: 'Get the account balance',
			description:
				'The balance of your RunComfy account in USD (one wallet pays for models, deployments and training)',
		},
	],
	default: 'getBalance',
};
