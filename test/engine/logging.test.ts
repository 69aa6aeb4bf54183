import { setUpEmulator } from '../harness/context';
import { recordLogs } from '../harness/logs';

const t = setUpEmulator({ queueMs: 1500, durationMs: 1500 });

test("each job's transitions are logged through n8n's logger, without the token", async () => {
	const lines = await recordLogs(async () => {
		await t.run(t.generate());
	});
	const id = [...t.emulator.jobs.keys()][0];
	const mine = lines.filter((line) => line.includes(`RunComfy job ${id}`));
	expect(mine[0]).toMatch(/submitted/);
	expect(mine.some((line) => /in_queue at position 0/.test(line))).toBe(true);
	expect(mine.some((line) => /in_progress/.test(line))).toBe(true);
	// The video's URL is in the log too: n8n 2.x saves no output of a stopped run.
	expect(mine[mine.length - 1]).toContain(`completed: ${t.emulator.baseUrl}/files/${id}.mp4`);
	expect(lines.join('\n')).not.toContain(t.emulator.token);
});
