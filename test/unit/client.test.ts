import { modelPath, pathSegment } from '../../nodes/shared/transport/client';

describe('RunComfy URL parts', () => {
	test('a model id keeps its slashes, each segment encoded', () => {
		expect(modelPath('community/wan-2-1/fusionx/image-to-video')).toBe(
			'community/wan-2-1/fusionx/image-to-video',
		);
		expect(modelPath('a b/c?d')).toBe('a%20b/c%3Fd');
	});

	test('a request id is one encoded segment', () => {
		expect(pathSegment('abc/def#x')).toBe('abc%2Fdef%23x');
	});

	test.each(['', '.', '..'])('%p would climb or empty the path: refused', (value) => {
		expect(() => pathSegment(value)).toThrow('is not a valid id');
		expect(() => modelPath(`community/${value}/x`)).toThrow('is not a valid id');
	});
});
