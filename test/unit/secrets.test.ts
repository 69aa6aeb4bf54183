import { printableUrl, Secrets } from '../../nodes/shared/transport/secrets';

describe('Secrets', () => {
	const secrets = new Secrets(['tok-123456', undefined, '', 'p@ss/word']);

	test('hides every secret, also URL-encoded', () => {
		expect(secrets.redact('Bearer tok-123456 and p%40ss%2Fword and p@ss/word')).toBe(
			'Bearer [redacted] and [redacted] and [redacted]',
		);
	});

	test('removes user:password from any URL in a text', () => {
		expect(secrets.redact('see https://bob:hunter22@proxy.example/v1 now')).toBe(
			'see https://proxy.example/v1 now',
		);
	});

	test('short values are not treated as secrets (they would blank ordinary words)', () => {
		expect(new Secrets(['ab']).redact('a tab')).toBe('a tab');
	});

	test('redactDeep cleans strings at any depth and leaves other values', () => {
		expect(
			secrets.redactDeep({ a: ['x tok-123456'], b: { c: 'tok-123456' }, n: 3, z: null }),
		).toEqual({ a: ['x [redacted]'], b: { c: '[redacted]' }, n: 3, z: null });
	});
});

describe('printableUrl', () => {
	test.each([
		['https://user:pw@model-api.runcomfy.net/', 'https://model-api.runcomfy.net'],
		['https://model-api.runcomfy.net/v1?key=secret#frag', 'https://model-api.runcomfy.net/v1'],
		['http://127.0.0.1:9', 'http://127.0.0.1:9'],
		['not a url?key=secret', 'not a url'],
	])('%s → %s', (url, printed) => expect(printableUrl(url)).toBe(printed));
});
