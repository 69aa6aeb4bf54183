import { setUpEmulator } from '../harness/context';
import { Container, Logger } from '../harness/core-deps';

const t = setUpEmulator({ queueMs: 1500, durationMs: 1500 });

test("each job's transitions are logged through n8n's logger, without the token", async () => {
	// The node logs through the logger n8n-core hands it; this one records what it is given.
	const real = Container.get(Logger as never);
	const lines: string[] = [];
	const record = (message: string, metadata?: unknown) =>
		void lines.push(`${message} ${JSON.stringify(metadata ?? {})}`);
	const recorder = {
		error: record,
		warn: record,
		info: record,
		debug: record,
		scoped: () => recorder,
	};
	Container.set(Logger as never, recorder as never);
	try {
		await t.run(t.generate());
	} finally {
		Container.set(Logger as never, real);
	}
	const id = [...t.emulator.jobs.keys()][0];
	const mine = lines.filter((line) => line.includes(`RunComfy job ${id}`));
	expect(mine[0]).toMatch(/submitted/);
	expect(mine.some((line) => /in_queue at position 0/.test(line))).toBe(true);
	expect(mine.some((line) => /in_progress/.test(line))).toBe(true);
	expect(mine[mine.length - 1]).toMatch(/completed/);
	expect(lines.join('\n')).not.toContain(t.emulator.token);
});
