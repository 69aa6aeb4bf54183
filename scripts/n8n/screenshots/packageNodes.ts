/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @typescript-eslint/no-require-imports */
/** The package's nodes as the editor lists them, read from the build (dist/) and its codex files. */
import * as fs from 'fs';
import * as path from 'path';

import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';

const ROOT = path.resolve(__dirname, '../../..');

export interface PackageNode {
	name: string;
	displayName: string;
	aliases: string[];
	/** Every action text of the node's operations, as the node panel shows them. */
	actions: string[];
	/** The action of the node's default resource and operation: where a user looks first. */
	mainAction: string;
}

function operationsOf(properties: INodeProperties[]): INodeProperties[] {
	return properties.filter((property) => property.name === 'operation');
}

function defaultAction(properties: INodeProperties[]): string {
	const resource = properties.find((property) => property.name === 'resource')?.default as
		| string
		| undefined;
	const operation =
		operationsOf(properties).find(
			(property) =>
				resource === undefined || property.displayOptions?.show?.resource?.includes(resource),
		) ?? operationsOf(properties)[0];
	const option = (operation.options as INodePropertyOptions[]).find(
		(entry) => entry.value === operation.default,
	);
	return String(option?.action ?? option?.name);
}

function readNode(file: string): PackageNode {
	const exported = require(path.join(ROOT, file)) as Record<string, new () => INodeType>;
	const { description } = new (Object.values(exported)[0])();
	const codexFile = path.join(ROOT, file.replace(/\.js$/, '.json'));
	const codex = JSON.parse(fs.readFileSync(codexFile, 'utf8')) as { alias?: string[] };
	const actions = operationsOf(description.properties).flatMap((operation) =>
		(operation.options as INodePropertyOptions[]).map((option) => String(option.action)),
	);
	return {
		name: description.name,
		displayName: description.displayName,
		aliases: codex.alias ?? [],
		actions,
		mainAction: defaultAction(description.properties),
	};
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[] };
};

/**
 * The nodes a user searches for. A trigger is left out: n8n's node panel merges "X Trigger" into
 * node X's entry (its triggers listed with X's actions), so it has no entry of its own.
 */
export const PACKAGE_NODES: PackageNode[] = manifest.n8n.nodes
	.filter((file) => !/Trigger\.node\.js$/.test(file))
	.map(readNode);
