import { IDLE } from '../../nodes/shared/output/idle';
import { setUpEmulator } from '../harness/context';

const t = setUpEmulator({ queueMs: 50, durationMs: 200, videoBytes: 300_000 });

afterEach(() => (IDLE.ms = 120_000));

describe('a download whose host stops sending', () => {
	test('ends with an error saying so, long before the Timeout, keeping the request id and URL', async () => {
		IDLE.ms = 300;
		t.emulator.scriptNextJobs({ video: { stallAfterBytes: 1000 } });
		const result = await t.run(
			t.generate({ options: { download: true, pollInterval: 1, timeout: 900 } }),
		);
		expect(result.error?.message).toMatch(/host stopped sending: no data for 0 s/);
		const text = JSON.stringify(result.error);
		expect(text).toContain(String([...t.emulator.jobs.keys()][0]));
		expect(text).toMatch(/\/files\//);
	});
});
