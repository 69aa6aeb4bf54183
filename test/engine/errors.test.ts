import { setUpEmulator } from '../harness/context';

const t = setUpEmulator();

const description = (error: unknown) =>
	String((error as { description?: string })?.description ?? '');

describe('API errors say what to do', () => {
	test('a wrong token', async () => {
		const result = await t.run(t.generate(), {
			credentials: { apiToken: 'wrong-token-123', baseUrl: t.emulator.baseUrl },
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('RunComfy rejected the API token');
		expect(description(result.error)).toMatch(/wrong or expired/);
		expect(JSON.stringify(result.run.data)).not.toContain('wrong-token-123');
		expect(t.submitted()).toHaveLength(1);
	});

	test('a token pasted with spaces or a line break around it is still the token', async () => {
		for (const apiToken of [
			` ${t.emulator.token} `,
			`${t.emulator.token}\n`,
			`\t${t.emulator.token}`,
		]) {
			const result = await t.run(t.generate(), {
				credentials: { apiToken, baseUrl: t.emulator.baseUrl },
			});
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.status).toBe('completed');
		}
		expect(t.submitted().every((r) => r.authorization === `Bearer ${t.emulator.token}`)).toBe(true);
	});

	test.each([
		[
			400,
			{ error_code: 400002, error_message: 'Insufficient balance' },
			/balance is too low/,
			/Top up/,
		],
		[403, { error_code: 403001, error_message: 'Permission denied' }, /denied permission/, /plan/],
		[
			400,
			{ error_code: 400001, error_message: 'Unknown model' },
			/does not know this model id/,
			/Base URL/,
		],
		[
			422,
			{
				error_code: 422001,
				error_message: 'Invalid input',
				detail: [{ loc: ['body', '598_steps'], msg: 'too many' }],
			},
			/rejected the input: Invalid input: 598_steps: too many/,
			/No job was created/,
		],
		[
			200,
			{ error_code: 400002, error_message: 'Insufficient balance' },
			/balance is too low/,
			/Top up/,
		],
	])('submit answered HTTP %s %j', async (status, body, message, hint) => {
		t.emulator.addFault({ route: 'submit', status, body });
		const result = await t.run(t.generate());
		expect(result.error?.message).toMatch(message);
		expect(description(result.error)).toMatch(hint);
		expect((result.error as { httpCode?: string }).httpCode).toBe(String(status));
		expect(t.submitted()).toHaveLength(1);
	});

	test('an unknown request id', async () => {
		for (const operation of ['getStatus', 'getResult', 'cancel', 'waitForCompletion']) {
			const result = await t.run({ operation, requestId: 'no-such-job' });
			expect(result.error?.message).toBe(
				'RunComfy does not know this request id: Request not found or expired',
			);
			expect(description(result.error)).toContain('no-such-job');
		}
	});

	test('a server error on submit is not retried (the job may exist) and says so', async () => {
		t.emulator.addFault({ route: 'submit', status: 500 });
		const result = await t.run(t.generate());
		expect(result.error?.message).toMatch(/server error/);
		expect(description(result.error)).toMatch(/a job may have been created/);
		expect(t.submitted()).toHaveLength(1);
	});

	test('rate limiting on submit is retried after Retry-After, and one job is created', async () => {
		t.emulator.addFault({
			route: 'submit',
			status: 429,
			headers: { 'Retry-After': '1' },
			times: 2,
		});
		const started = Date.now();
		const result = await t.run(t.generate());
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		expect(t.submitted()).toHaveLength(3);
		expect(t.emulator.jobs.size).toBe(1);
	});

	test('rate limiting that never ends gives up with a clear error', async () => {
		t.emulator.addFault({
			route: 'submit',
			status: 429,
			headers: { 'Retry-After': '0' },
			times: Infinity,
		});
		const result = await t.run(t.generate());
		expect(result.error?.message).toMatch(/rate limiting/);
		expect(description(result.error)).toMatch(/Max Concurrent Submits/);
		expect(t.emulator.jobs.size).toBe(0);
	});

	test('a failed job ends the wait with its reason and request id', async () => {
		t.emulator.scriptNextJobs({ outcome: 'failed', error: 'CUDA out of memory' });
		const result = await t.run(t.generate());
		const requestId = [...t.emulator.jobs.keys()][0];
		expect(result.error?.message).toBe('The RunComfy job failed: CUDA out of memory');
		expect(description(result.error)).toContain(requestId);
	});

	test('an unknown status is reported, not looped on', async () => {
		t.emulator.scriptNextJobs({ outcome: 'exploded' });
		const result = await t.run(t.generate());
		expect(result.error?.message).toBe(
			'RunComfy reported an unknown status "exploded" for this job',
		);
		expect(t.emulator.count('result')).toBeLessThanOrEqual(8);
	});

	test('a base URL where nothing listens', async () => {
		const result = await t.run(t.generate(), {
			credentials: { apiToken: 'x', baseUrl: 'http://127.0.0.1:9' },
		});
		expect(result.error?.message).toBe(
			`Could not reach RunComfy at http://127.0.0.1:9: the connection was refused`,
		);
	});
});
