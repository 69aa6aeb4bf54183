/**
 * The n8n releases `npm run test:n8n` proves the package on, newest first. The next n8n release is
 * one more line here; everything a line needs beyond its version follows from its major below.
 *
 * `npm run screenshots` uses the first entry.
 */
export const N8N_VERSIONS = ['2.41.1', '1.123.81'] as const;

export interface N8nLine {
	/** the exact n8n version, e.g. 2.41.1 */
	version: string;
	/** short name for logs and the README: 2.41.1, 1.123.x */
	label: string;
	/** Node major the line runs on (n8n 2.x needs ≥ 24; 1.x is run on 20, the oldest it supports) */
	nodeMajor: string;
	/** `overrides` for the throwaway package.json that hosts n8n (never the project's) */
	overrides: Record<string, string>;
	/** environment every n8n process of this line gets on top of the common one */
	env: Record<string, string>;
	/** which expression engine that environment selects, for reports */
	expressionEngine: string;
	/** N8N_DEFAULT_BINARY_DATA_MODE when unset, from the line's BinaryDataConfig */
	defaultBinaryMode: 'filesystem' | 'default';
}

export function lineOf(version: string): N8nLine {
	const major = Number(version.split('.')[0]);
	if (major >= 2) {
		return {
			version,
			label: version,
			nodeMajor: '24',
			overrides: {},
			// A module that only fetches from api.n8n.io (the network is closed); 1.x has none.
			env: { N8N_DISABLED_MODULES: 'mcp-registry' },
			// isolated-vm ships a prebuilt binary for Node 24, so 2.x runs its default engine.
			expressionEngine: "vm (n8n's default, isolated-vm)",
			defaultBinaryMode: 'filesystem',
		};
	}
	return {
		version,
		label: `${version.split('.').slice(0, 2).join('.')}.x (${version})`,
		nodeMajor: '20',
		// n8n 1.x depends on an xlsx tarball from a CDN, which a registry-only network refuses.
		overrides: { xlsx: 'npm:xlsx@0.18.5' },
		// Installed without scripts, isolated-vm is not built, and 1.x's "vm" engine needs it.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		expressionEngine: 'legacy (N8N_EXPRESSION_ENGINE=legacy)',
		defaultBinaryMode: 'default',
	};
}

export const N8N_LINES: N8nLine[] = N8N_VERSIONS.map(lineOf);

/** The names in `all` that the comma-separated environment variable lists (all when it is unset). */
export function selected<T extends string>(variable: string, all: readonly T[]): T[] {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
	const wanted = process.env[variable]
		?.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	return wanted ? all.filter((name) => wanted.includes(name)) : [...all];
}

/** The lines a run covers: every line, or those RUNCOMFY_N8N_VERSIONS=2.41.1,1.123.81 names. */
export function selectedLines(): N8nLine[] {
	const versions = selected(
		'RUNCOMFY_N8N_VERSIONS',
		N8N_LINES.map((line) => line.version),
	);
	return versions.map((v) => N8N_LINES.find((line) => line.version === v) as N8nLine);
}
