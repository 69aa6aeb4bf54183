import { fingerprint, hash } from '../../nodes/shared/jobs/retryMemory';

test('the same input has the same fingerprint; the volatile keys do not count', () => {
	const a = fingerprint({ prompt: 'x', seed: 1 }, ['seed']);
	expect(fingerprint({ prompt: 'x', seed: 2 }, ['seed'])).toBe(a);
	expect(fingerprint({ prompt: 'y', seed: 1 }, ['seed'])).not.toBe(a);
	expect(fingerprint({ prompt: 'x', seed: 1 }, [])).not.toBe(
		fingerprint({ prompt: 'x', seed: 2 }, []),
	);
});

test('hash is stable and short', () => {
	expect(hash('abc')).toBe(hash('abc'));
	expect(hash('abc')).not.toBe(hash('abd'));
	expect(hash('x'.repeat(100_000)).length).toBeLessThanOrEqual(11);
});
