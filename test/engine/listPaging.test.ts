import { MODELS } from '../emulator/catalogModels';
import { setUpRunComfy } from './runcomfy.helpers';

const t = setUpRunComfy();

afterEach(() => (t.emulator.catalogPageCap = undefined));

describe('List Models under a server that caps its pages', () => {
	test('Return All pages on past short pages until the reported total', async () => {
		t.emulator.catalogPageCap = 2;
		const result = await t.run({ resource: 'model', operation: 'listModels', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.modelId)).toEqual(MODELS.map((m) => m.model_id));
		expect(t.emulator.count('catalog')).toBe(Math.ceil(MODELS.length / 2));
	});
});
