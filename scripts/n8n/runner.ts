/* eslint-disable no-console */
/**
 * The small test runner of `npm run test:n8n`: named checks that collect every failed expectation,
 * each tagged with the README support-matrix column it proves, and the closing summary line.
 */
import { elapsed } from './time';

export type Expect = (ok: unknown, message: string) => void;

/** The README "Support matrix" columns; every check proves one. */
export const COLUMNS = [
	'n8n execute',
	'server + Webhook',
	'server + Stop',
	'binary download',
	'Continue On Fail',
	'RunComfy node',
	'Deployments',
] as const;
export type Column = (typeof COLUMNS)[number];

export interface Outcome {
	line: string;
	column: Column;
	name: string;
	failures: string[];
	ms: number;
}

export class Runner {
	readonly outcomes: Outcome[] = [];
	/** measurements worth repeating in the docs, per line */
	readonly notes: Array<{ line: string; text: string }> = [];
	/** the n8n line the next checks run on */
	line = '';

	/** One named check: collects every failed expectation instead of stopping at the first. */
	async check(
		column: Column,
		name: string,
		body: (expect: Expect) => Promise<void> | void,
	): Promise<boolean> {
		const t0 = Date.now();
		const failures: string[] = [];
		const expect: Expect = (ok, message) => {
			if (!ok) failures.push(message);
		};
		try {
			await body(expect);
		} catch (error) {
			failures.push(
				`threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
			);
		}
		this.outcomes.push({ line: this.line, column, name, failures, ms: Date.now() - t0 });
		console.log(`  ${failures.length === 0 ? '✓' : '✗'} ${name} (${elapsed(t0)})`);
		for (const failure of failures) console.log(`      - ${failure}`);
		return failures.length === 0;
	}

	note(text: string): void {
		this.notes.push({ line: this.line, text });
	}

	get failed(): number {
		return this.outcomes.filter((outcome) => outcome.failures.length > 0).length;
	}

	/** The support matrix as measured: one row per line, `pass (n)` / `FAIL (k of n)` per column. */
	printMatrix(lines: string[]): void {
		console.log(`\n| n8n | ${COLUMNS.join(' | ')} |`);
		console.log(`|---|${COLUMNS.map(() => '---').join('|')}|`);
		for (const line of lines) {
			const cells = COLUMNS.map((column) => {
				const mine = this.outcomes.filter((o) => o.line === line && o.column === column);
				const bad = mine.filter((o) => o.failures.length > 0).length;
				if (mine.length === 0) return 'not run';
				return bad === 0 ? `pass (${mine.length})` : `FAIL (${bad} of ${mine.length})`;
			});
			console.log(`| ${line} | ${cells.join(' | ')} |`);
		}
	}

	printNotes(): void {
		if (this.notes.length === 0) return;
		console.log('\nMeasured:');
		for (const { line, text } of this.notes) console.log(`  n8n ${line}: ${text}`);
	}

	/** The closing line CI-style readers look for: `n8n: N passed, N failed (time)`. */
	printSummary(t0: number): void {
		const failed = this.failed;
		console.log(
			`\nn8n: ${this.outcomes.length - failed} passed, ${failed} failed (${elapsed(t0)})`,
		);
	}
}

export function show(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
