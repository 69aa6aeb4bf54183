import { RunComfyApi } from '../../credentials/RunComfyApi.credentials';
import { setUpEmulator } from '../harness/context';

const t = setUpEmulator();

describe('RunComfy API credential', () => {
	test('is a bearer token with a base URL defaulting to the live API', () => {
		const credential = new RunComfyApi();
		expect(credential.name).toBe('runComfyApi');
		expect(credential.displayName).toBe('RunComfy API');
		const token = credential.properties.find((property) => property.name === 'apiToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe(
			'https://model-api.runcomfy.net',
		);
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
	});

	test('its test passes with the right token and creates nothing', async () => {
		const result = await t.engine.testCredential('runComfyApi', t.credentials());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(t.emulator.requests).toHaveLength(1);
		expect(t.emulator.requests[0]).toMatchObject({
			route: 'status',
			authorization: `Bearer ${t.emulator.token}`,
		});
		expect(t.emulator.jobs.size).toBe(0);
	});

	test('its test fails with a wrong token, saying so', async () => {
		const result = await t.engine.testCredential('runComfyApi', {
			apiToken: 'nope',
			baseUrl: t.emulator.baseUrl,
		});
		expect(result).toEqual({
			status: 'Error',
			message: 'RunComfy rejected the API token: it is wrong or expired',
		});
	});

	test('a base URL with a trailing slash works', async () => {
		const result = await t.engine.testCredential('runComfyApi', {
			...t.credentials(),
			baseUrl: `${t.emulator.baseUrl}/`,
		});
		expect(result.status).toBe('OK');
		const run = await t.run(t.generate(), {
			credentials: { ...t.credentials(), baseUrl: `${t.emulator.baseUrl}/` },
		});
		expect(run.error).toBeUndefined();
	});
});
