/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * The package as n8n's own installer (Settings → Community nodes) leaves it: the tarball alone in
 * `.n8n/nodes/node_modules/<name>`, dev and peer dependencies dropped, so n8n-workflow and zod must
 * come from n8n itself.
 */
import * as fs from 'fs';
import * as path from 'path';

import { makeTempDir } from '../common';
import { run } from '../install';
import { show } from '../runner';
import { execute, explain, expectVideoBinary, itemsOf, type Suite } from './cli';

export async function bareUserFolder(tarball: string): Promise<string> {
	const userFolder = makeTempDir('runcomfy-n8n-bare-');
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-runcomfy');
	fs.mkdirSync(target, { recursive: true });
	fs.writeFileSync(
		path.join(userFolder, '.n8n', 'nodes', 'package.json'),
		JSON.stringify({
			name: 'installed-nodes',
			private: true,
			dependencies: { 'n8n-nodes-runcomfy': '0.0.0' },
		}),
	);
	await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { quiet: true });
	return userFolder;
}

export async function packageOnlyCheck(suite: Suite): Promise<void> {
	await suite.runner.check(
		'n8n execute',
		'[package only] no n8n-workflow/zod next to the package; Generate Video still runs',
		async (expect) => {
			const modules = fs.readdirSync(path.join(suite.userFolder, '.n8n', 'nodes', 'node_modules'));
			expect(
				!modules.includes('n8n-workflow') && !modules.includes('zod'),
				`peer dependencies were installed: ${modules.join(', ')}`,
			);
			const { result, execution } = await execute(suite, 'rcTestGenerate01');
			expect(
				execution?.status === 'success',
				`execution ${show(execution?.status)}; ${explain(result)}`,
			);
			const item = itemsOf(execution, 'Generate Video')[0];
			expect(item?.json?.status === 'completed', `item ${show(item?.json)}`);
			if (item)
				expectVideoBinary(expect, suite.userFolder, item, 'data', String(item.json.requestId));
		},
	);
}
