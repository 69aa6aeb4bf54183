import { checkAgainAt, PARK_MS } from '../../nodes/shared/jobs/schedule';

const now = Date.parse('2026-11-25T12:00:00Z');
const delay = (answer: { status?: string; queue_position?: number }) =>
	Date.parse(checkAgainAt(answer, now)) - now;

test('never sooner than n8n parks an execution', () => {
	expect(delay({ status: 'in_progress' })).toBe(PARK_MS);
	expect(delay({ status: 'in_queue', queue_position: 0 })).toBe(PARK_MS);
	expect(delay({})).toBe(PARK_MS);
});

test('later for jobs further back in the queue, capped at 15 minutes', () => {
	expect(delay({ status: 'in_queue', queue_position: 4 })).toBe(PARK_MS + 4 * 30_000);
	expect(delay({ status: 'in_queue', queue_position: 10_000 })).toBe(15 * 60_000);
	expect(delay({ status: 'in_queue', queue_position: -3 })).toBe(PARK_MS);
});
