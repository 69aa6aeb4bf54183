/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions */
/**
 * `npm run check:editor`: the package as a new user meets it in a real browser, on every n8n
 * line of versions.ts: the node search by each node's name and alias, each node's actions, and a
 * fresh panel of every action without a red message. The newest line's pictures go to docs/, the
 * others' to docs/<major>.x/. Runs screenshots.ts once per line; ends with one summary line.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

import { REPO_ROOT } from './common';
import { N8N_LINES, selectedLines } from './versions';

let failed = 0;
for (const line of selectedLines()) {
	const newest = line.version === N8N_LINES[0].version;
	const dir = newest ? 'docs' : path.join('docs', `${line.version.split('.')[0]}.x`);
	console.log(`\n=== n8n ${line.label}: the node search, actions and fresh panels → ${dir}/`);
	const run = spawnSync('npx', ['ts-node', '--transpile-only', 'scripts/n8n/screenshots.ts'], {
		cwd: REPO_ROOT,
		stdio: 'inherit',
		env: {
			...process.env,
			RUNCOMFY_N8N_VERSIONS: line.version,
			RUNCOMFY_SHOTS: 'node search',
			RUNCOMFY_SHOTS_DIR: path.join(REPO_ROOT, dir),
		},
	});
	if (run.status !== 0) failed++;
}
const lines = selectedLines().length;
console.log(`\ncheck:editor: ${lines - failed} lines passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
