import type { INodeProperties } from 'n8n-workflow';

/** What the RunComfy node works on: the order is the order a user needs them in. */
export const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Model',
			value: 'model',
			description: "A model of RunComfy's catalog: images, videos and audio from text or files",
		},
		{
			name: 'Deployment',
			value: 'deployment',
			description: 'Your own ComfyUI workflow, deployed on RunComfy’s Serverless API',
		},
		{
			name: 'Job',
			value: 'job',
			description: 'A job submitted earlier, of a model or of a deployment',
		},
		{ name: 'Account', value: 'account', description: 'Your RunComfy account' },
	],
	default: 'model',
};
