/**
 * Calls a node's load-options methods (listSearch, resourceMapping) the way n8n's editor does:
 * through n8n-core's real LoadOptionsContext, with the node's current parameters and the test
 * credentials, so requests go through httpRequestWithAuthentication to the emulator.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	ILoadOptionsFunctions,
	INode,
	INodeParameters,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { Engine } from './engine';
import { RUNCOMFY_TYPE } from './engine';

export function loadOptionsContext(
	engine: Engine,
	parameters: IDataObject,
	credentials: ICredentialDataDecryptedObject,
	options: { type?: string; path?: string } = {},
): ILoadOptionsFunctions {
	const node: INode = {
		id: 'node',
		name: 'RunComfy',
		type: options.type ?? RUNCOMFY_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INodeParameters,
		credentials: { runComfyApi: { id: '1', name: 'RunComfy account' } },
	};
	engine.credentialsHelper.credentials = { runComfyApi: credentials };
	const workflow = new Workflow({
		id: 'load-options',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: engine.nodeTypes,
	});
	const additionalData = engine.additionalData('load-options');
	additionalData.currentNodeParameters = parameters as INodeParameters;
	return new LoadOptionsContext(workflow, node, additionalData, options.path ?? 'parameters.model');
}
