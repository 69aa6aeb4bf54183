/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
import { setUpEmulator } from '../harness/context';

// This file reads n8n's info-level log, which the other test files keep quiet.
process.env.N8N_LOG_LEVEL = 'info';

const t = setUpEmulator({ queueMs: 300, durationMs: 300 });

test("each job's transitions are logged through n8n's logger, without the token", async () => {
	const lines: string[] = [];
	const capture = (chunk: unknown) => void lines.push(String(chunk));
	const spies = [
		jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => capture(args.join(' '))),
		jest
			.spyOn(process.stdout, 'write')
			.mockImplementation((chunk: unknown) => (capture(chunk), true)),
	];
	try {
		await t.run(t.generate());
	} finally {
		for (const spy of spies) spy.mockRestore();
	}
	const id = [...t.emulator.jobs.keys()][0];
	const mine = lines.filter((line) => line.includes(`RunComfy job ${id}`));
	expect(mine[0]).toMatch(/submitted/);
	expect(mine.some((line) => /in_queue at position 0/.test(line))).toBe(true);
	expect(mine.some((line) => /in_progress/.test(line))).toBe(true);
	expect(mine[mine.length - 1]).toMatch(/completed/);
	expect(lines.join('\n')).not.toContain(t.emulator.token);
});
