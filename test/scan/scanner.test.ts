/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error */
/**
 * n8n's community-package scanner (@n8n/scan-community-package), offline, on both legs n8n's
 * verification lints: the packed tarball (compiled .js + package.json) and the package sources
 * (package.json + nodes/ and credentials/). Any finding fails the test and is printed.
 * The scan itself runs in test/scan/scan.mjs: the scanner is ESM, jest's runtime here is CommonJS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface Leg {
	leg: 'tarball' | 'source';
	patterns: string[];
	files: string[];
	passed: boolean;
	message?: string;
	details?: string;
}
interface Scan {
	passed: boolean;
	scanner: string;
	legs: Leg[];
	canary: { flagged: boolean; details?: string };
}

let scan: Scan;
let log: string;

beforeAll(() => {
	if (!existsSync(path.join(root, 'dist/nodes/FusionX/FusionX.node.js')))
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
	const run = spawnSync(process.execPath, [path.join(__dirname, 'scan.mjs')], {
		cwd: root,
		encoding: 'utf8',
		timeout: 110_000,
		env: { ...process.env, NODE_ENV: undefined },
	});
	log = `exit ${run.status}\n${run.stderr}`;
	const last = run.stdout.trim().split('\n').pop() ?? '';
	try {
		scan = JSON.parse(last) as Scan;
	} catch {
		throw new Error(`the scan printed no result:\n${run.stdout}\n${log}`);
	}
}, 120_000);

const findings = (leg: Leg) =>
	leg.passed ? '' : `${leg.leg} leg: ${leg.message ?? 'failed'}\n${leg.details ?? ''}`;

describe('n8n community-package scanner', () => {
	test.each(['tarball', 'source'] as const)('the %s leg has no findings', (name) => {
		const leg = scan.legs.find((candidate) => candidate.leg === name)!;
		expect(leg.files.length).toBeGreaterThan(0);
		expect(findings(leg)).toBe('');
	});

	test('the tarball leg lints the built node and credential and the published package.json', () => {
		const leg = scan.legs.find((candidate) => candidate.leg === 'tarball')!;
		expect(leg.patterns).toEqual(['**/*.js', 'package.json']);
		expect(leg.files).toEqual(
			expect.arrayContaining([
				'package.json',
				'dist/nodes/FusionX/FusionX.node.js',
				'dist/credentials/RunComfyApi.credentials.js',
			]),
		);
	});

	test('the source leg lints the node and credential sources and package.json', () => {
		const leg = scan.legs.find((candidate) => candidate.leg === 'source')!;
		expect(leg.patterns).toEqual(['package.json', '{nodes,credentials}/**/*.{js,ts,json}']);
		expect(leg.files).toEqual(
			expect.arrayContaining([
				'package.json',
				'nodes/FusionX/FusionX.node.ts',
				'credentials/RunComfyApi.credentials.ts',
			]),
		);
	});

	test('the same analysis flags a package with known violations', () => {
		expect(scan.canary.flagged).toBe(true);
	});

	test('the scan passes as a whole', () => {
		expect(scan.passed ? '' : `${scan.legs.map(findings).join('\n')}\n${log}`).toBe('');
	});
});
