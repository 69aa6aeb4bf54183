import { estimateSpend } from '../../nodes/shared/jobs/spending';

describe('estimateSpend: items × price, only where the unit is per job', () => {
	test.each([
		'request',
		'per_request',
		'per request',
		'run',
		'image',
		'images',
		'video',
		'output',
		'Generation',
	])('a unit of %p is per job', (priceUnit) => {
		const models = [1, 2, 3].map(() => ({ id: 'm', price: 0.1, priceUnit }));
		expect(estimateSpend(models)).toEqual({ total: 0.3, unknown: [] });
	});

	test.each(['second', 'gpu_second', 'megapixel', '', undefined])(
		'a unit of %p gives no estimate',
		(priceUnit) => {
			const { total, unknown } = estimateSpend([{ id: 'm', price: 0.1, priceUnit }]);
			expect(total).toBeUndefined();
			expect(unknown.map((model) => model.id)).toEqual(['m']);
		},
	);

	test('a model without a price gives no estimate; each unknown model is named once', () => {
		const { total, unknown } = estimateSpend([
			{ id: 'a', price: 0.1, priceUnit: 'request' },
			{ id: 'b' },
			{ id: 'b' },
		]);
		expect(total).toBeUndefined();
		expect(unknown.map((model) => model.id)).toEqual(['b']);
	});

	test('several models add up, without floating-point noise', () => {
		expect(
			estimateSpend([
				{ id: 'a', price: 0.1, priceUnit: 'request' },
				{ id: 'b', price: 0.2, priceUnit: 'image' },
			]).total,
		).toBe(0.3);
	});
});
