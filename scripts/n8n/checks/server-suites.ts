/* eslint-disable no-console */
/**
 * The server suites of one n8n line: a server in filesystem binary mode for the editor, webhook,
 * Stop, error and download checks, then a second one in n8n's default binary mode for the download only.
 */
import type { RunComfyEmulator } from '../../../test/emulator/emulator';
import type { N8nInstall } from '../install';
import type { Runner } from '../runner';
import { scriptJobs } from './cli';
import { downloadCheck } from './server-download';
import { deploymentServerChecks } from './server-deployments';
import { editorChecks } from './server-editor';
import { formCheck } from './server-form';
import { loopCheck } from './server-loop';
import { retryCheck } from './server-retry';
import { errorChecks } from './server-errors';
import { stopChecks } from './server-stop';
import { stopLaterChecks } from './server-stop-later';
import { startServerSuite, stopServerSuite, type ServerSuite } from './server';

export interface ServerContext {
	runner: Runner;
	install: N8nInstall;
	tmp: string;
	tarball: string;
	emulator: RunComfyEmulator;
	folders: string[];
}

async function withServer(
	ctx: ServerContext,
	label: string,
	env: NodeJS.ProcessEnv,
	body: (suite: ServerSuite) => Promise<void>,
): Promise<void> {
	scriptJobs(ctx.emulator);
	const suite = await startServerSuite(ctx.runner, ctx.install, { ...ctx, label, env });
	if (!suite) return;
	ctx.folders.push(suite.userFolder);
	try {
		await body(suite);
	} finally {
		await stopServerSuite(suite);
	}
}

export async function serverSuites(ctx: ServerContext): Promise<void> {
	console.log(
		`\n[server] n8n start, package installed as n8n's installer does, binary data in filesystem mode`,
	);
	await withServer(ctx, 'server', {}, async (suite) => {
		await editorChecks(suite);
		await deploymentServerChecks(suite);
		await formCheck(suite);
		await stopChecks(suite);
		await stopLaterChecks(suite);
		await errorChecks(suite);
		await retryCheck(suite);
		await loopCheck(suite);
		await downloadCheck(suite, 'filesystem');
	});
	const mode = ctx.install.line.defaultBinaryMode;
	console.log(
		`\n[server, n8n's default binary mode] N8N_DEFAULT_BINARY_DATA_MODE unset (${mode} on this line)`,
	);
	await withServer(
		ctx,
		'server-default-binary',
		{ N8N_DEFAULT_BINARY_DATA_MODE: undefined },
		async (suite) => {
			await downloadCheck(suite, `${mode} (n8n's default)`);
		},
	);
}
