/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * Standalone emulator for trying the node by hand:
 *   npm run emulator -- --port 8089 --duration-ms 5000 --video-mb 5 --cold-start-ms 3000
 * Runs until Ctrl-C.
 */
import {
	DEPLOYMENT_DISABLED,
	DEPLOYMENT_FOREIGN,
	DEPLOYMENT_LORA,
	DEPLOYMENT_T2I,
	DEPLOYMENT_VIDEO,
	RunComfyEmulator,
	type RecordedRequest,
} from './emulator';

const DEPLOYMENTS: Array<[string, string]> = [
	[DEPLOYMENT_T2I, 'text to image (ComfyUI)'],
	[DEPLOYMENT_VIDEO, 'image to video (ComfyUI, LoadImage, composite output id 38:42)'],
	[DEPLOYMENT_LORA, 'Serverless LoRA (flat body)'],
	[DEPLOYMENT_DISABLED, 'disabled (10002)'],
	[DEPLOYMENT_FOREIGN, 'another account (403003)'],
];

function option(name: string): string | undefined {
	const args = process.argv.slice(2);
	for (let i = 0; i < args.length; i++) {
		if (args[i] === `--${name}`) return args[i + 1];
		if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
	}
	return undefined;
}

function numberOption(name: string, fallback: number | undefined): number | undefined {
	const value = option(name);
	if (value === undefined) return fallback;
	const parsed = Number(value);
	if (!Number.isFinite(parsed) || parsed < 0) {
		console.error(`--${name} must be a non-negative number, got '${value}'`);
		process.exit(2);
	}
	return parsed;
}

function logRequest(r: RecordedRequest): void {
	const id = r.requestId ? ` [${r.requestId}]` : '';
	console.log(`${new Date(r.at).toISOString()} ${r.method} ${r.path} -> ${r.status}${id}`);
}

async function main(): Promise<void> {
	const port = numberOption('port', Number(process.env.PORT ?? 8089)) ?? 8089;
	const videoMb = numberOption('video-mb', undefined);
	const emulator = new RunComfyEmulator({
		token: option('token'),
		queueMs: numberOption('queue-ms', undefined),
		durationMs: numberOption('duration-ms', 5000),
		coldStartMs: numberOption('cold-start-ms', undefined),
		videoBytes: videoMb === undefined ? undefined : Math.round(videoMb * 1024 * 1024),
		onRequest: logRequest,
	});
	const base = await emulator.start(port);
	console.log(`RunComfy emulator listening on ${base}`);
	console.log(`  Base URL: ${base}`);
	console.log(`  Token:    ${emulator.token}`);
	console.log(`  Image:    ${base}/images/start.png`);
	console.log(
		`  Serverless (Account API URL): ${base}  (POST /prod/v1/deployments/{id}/inference)`,
	);
	console.log('  Deployments:');
	for (const [id, what] of DEPLOYMENTS) console.log(`    ${id}  ${what}`);
	console.log('Press Ctrl-C to stop.');

	const shutdown = (): void => {
		void emulator.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
