/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/** Small helpers of the benchmark: job durations, medians, the machine, table formatting. */
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Mean job duration and its spread: each job lasts MEAN × (1 ± SPREAD), uniformly drawn. */
export const JOB_MEAN_MS = 4000;
export const JOB_SPREAD = 0.2;

/** Batch sizes of the batch section, the faults section's N, the memory section's videos. */
export const SIZES = [1, 10, 50];
export const FAULT_N = 50;
export const MEMORY_VIDEOS = 10;
export const MEMORY_VIDEO_BYTES = 50 * 1024 * 1024;
const MiB = 1024 * 1024;

import { mulberry32 } from '../test/emulator/emulator';

export { mulberry32 };

/** N job durations around the mean; the same (n, run) always gives the same list. */
export function jobDurations(n: number, run: number, meanMs = JOB_MEAN_MS): number[] {
	const next = mulberry32(1000 * run + n);
	return Array.from({ length: n }, () => Math.round(meanMs * (1 + JOB_SPREAD * (2 * next() - 1))));
}

export function median(values: number[]): number {
	const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	if (finite.length === 0) return NaN;
	const middle = Math.floor(finite.length / 2);
	return finite.length % 2 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}

export function spread(values: number[]): { min: number; max: number } {
	const finite = values.filter((value) => Number.isFinite(value));
	return { min: Math.min(...finite), max: Math.max(...finite) };
}

function versionOf(name: string): string {
	try {
		const projectRequire = createRequire(path.join(__dirname, '..', 'package.json'));
		return (projectRequire(`${name}/package.json`) as { version: string }).version;
	} catch {
		return 'unknown';
	}
}

export interface Machine {
	cpu: string;
	cores: number;
	memoryGiB: number;
	os: string;
	node: string;
	n8nCore: string;
	n8nWorkflow: string;
	/** 1-minute load average when the benchmark started: above ~0.5 other work shared the cores. */
	loadAverageAtStart: number;
}

export function describeMachine(): Machine {
	const cores = cpus();
	return {
		cpu: cores[0]?.model.trim() ?? 'unknown',
		cores: cores.length,
		memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		os: `${type()} ${release()}`,
		node: process.version,
		n8nCore: versionOf('n8n-core'),
		n8nWorkflow: versionOf('n8n-workflow'),
		loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
	};
}

/** A plain-text table: the first row is the header; numbers are right-aligned. */
export function table(rows: Array<Array<string | number>>): string {
	const cells = rows.map((row) => row.map(String));
	const widths = cells[0].map((_, column) =>
		Math.max(...cells.map((row) => (row[column] ?? '').length)),
	);
	const line = (row: string[]) =>
		row
			.map((cell, column) =>
				/^[-+]?[\d.,]+( ?[%×a-zA-Z/]+)?$|^×/.test(cell)
					? cell.padStart(widths[column])
					: cell.padEnd(widths[column]),
			)
			.join('  ')
			.trimEnd();
	return [
		line(cells[0]),
		widths.map((width) => '-'.repeat(width)).join('  '),
		...cells.slice(1).map(line),
	].join('\n');
}

export const fixed = (value: number, digits = 2): string =>
	Number.isFinite(value) ? value.toFixed(digits) : '–';

export const seconds = (ms: number) => `${fixed(ms / 1000, 2)} s`;
export const ratio = (value: number) => `${fixed(value, 2)}×`;
export const mib = (bytes: number) => `${fixed(bytes / MiB, 1)} MiB`;
