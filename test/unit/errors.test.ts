import { errorFromAnswer, RunComfyError } from '../../nodes/shared/transport/errors';

describe('errorFromAnswer: RunComfy error code first, HTTP status second', () => {
	test.each([
		[400, { error_code: 400002, error_message: 'Insufficient balance' }, 'balance'],
		[200, { error_code: '400004', error_message: 'bad token' }, 'auth'],
		[500, { error_code: 404001 }, 'notFound'],
		[404, { detail: 'Not Found' }, 'badUrl'],
		[302, {}, 'redirect'],
		[307, '', 'redirect'],
		[200, 'pong', 'badAnswer'],
		[200, [1, 2], 'badAnswer'],
		[429, {}, 'rateLimited'],
		[502, '<html>', 'server'],
		[418, {}, 'unexpected'],
	])('HTTP %p with %p → %s', (status, body, kind) =>
		expect(errorFromAnswer('status', status, body, {}).kind).toBe(kind),
	);

	test('a redirect names where it points, never the whole Location', () => {
		const error = errorFromAnswer('submit', 302, {}, { location: 'https://evil.example/x?t=1' });
		expect(error.message).toBe('RunComfy submit failed (HTTP 302): redirected to evil.example');
	});

	test('validation details name the field', () => {
		const error = errorFromAnswer(
			'submit',
			422,
			{
				error_code: 422001,
				error_message: 'Invalid input',
				detail: [{ loc: ['body', '598_steps'], msg: 'too many' }],
			},
			{},
		);
		expect(error.message).toBe(
			'RunComfy submit failed (HTTP 422, 422001): Invalid input: 598_steps: too many',
		);
	});

	test('Retry-After comes with the error', () => {
		expect(errorFromAnswer('result', 429, {}, { 'retry-after': '3' }).details.retryAfterMs).toBe(
			3000,
		);
	});
});

describe('what may be repeated', () => {
	const error = (kind: RunComfyError['kind'], networkCode?: string) =>
		new RunComfyError(kind, 'x', { networkCode });

	test('a submit only when RunComfy certainly did not take it', () => {
		expect(error('rateLimited').submitNotTaken).toBe(true);
		expect(error('network', 'ECONNREFUSED').submitNotTaken).toBe(true);
		expect(error('network', 'ECONNRESET').submitNotTaken).toBe(false);
		expect(error('server').submitNotTaken).toBe(false);
	});

	test('a failed submit may have created a job unless refused for a reason', () => {
		expect(error('network', 'ECONNRESET').submitMayHaveCreatedJob).toBe(true);
		expect(error('server').submitMayHaveCreatedJob).toBe(true);
		expect(error('badAnswer').submitMayHaveCreatedJob).toBe(true);
		expect(error('invalidInput').submitMayHaveCreatedJob).toBe(false);
		expect(error('redirect').submitMayHaveCreatedJob).toBe(false);
		expect(error('network', 'ECONNREFUSED').submitMayHaveCreatedJob).toBe(false);
	});

	test('look-ups are repeated on passing failures, never on a redirect', () => {
		expect(
			['rateLimited', 'server', 'network', 'badAnswer'].every(
				(kind) => error(kind as never).isTransient,
			),
		).toBe(true);
		expect(
			['redirect', 'auth', 'notFound', 'unexpected'].some(
				(kind) => error(kind as never).isTransient,
			),
		).toBe(false);
	});
});
