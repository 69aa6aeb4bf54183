/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Submit Job with a Callback URL: sent as RunComfy's `webhook` query parameter, its own query
 * intact, intermediate updates off; RunComfy then calls it when the job ends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DEPLOYMENT_T2I } from '../emulator/emulator';
import { until } from '../harness/wait';
import { setUpDeployments, workflowParams } from './deployment.helpers';

const t = setUpDeployments();
const calls: Array<{ url: string; body: string }> = [];
let server: Server;
let receiver = '';

beforeAll(async () => {
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			calls.push({ url: req.url ?? '', body });
			res.writeHead(200).end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => await new Promise((resolve) => server.close(resolve)));
beforeEach(() => (calls.length = 0));

const submit = async (callbackUrl: string) =>
	await t.run({
		...workflowParams(DEPLOYMENT_T2I, { '6.text': 'a fox' }),
		operation: 'submitWorkflow',
		callbackUrl,
	});

describe('Submit Job with a Callback URL', () => {
	test('goes out as webhook=<URL> with its own query kept; RunComfy calls it once the job ends', async () => {
		const url = `${receiver}/webhook-waiting/123?signature=a%2Bb&x=1`;
		const result = await submit(url);
		expect(result.error).toBeUndefined();
		const [request] = t.routes('deploymentSubmit');
		expect(request.query).toMatchObject({ webhook: url, webhook_intermediate_status: 'false' });
		const requestId = String(result.items[0].json.requestId);
		expect(await until(() => calls.some((call) => call.body.includes(requestId)))).toBe(true);
		const call = calls.find((entry) => entry.body.includes(requestId))!;
		expect(call.url).toBe('/webhook-waiting/123?signature=a%2Bb&x=1');
		expect(JSON.parse(call.body)).toMatchObject({ request_id: requestId, status: 'succeeded' });
	});

	test('a URL that is not http(s) is refused before anything is sent', async () => {
		const result = await submit('ftp://example.com/hook');
		expect(result.error?.message).toBe(
			'Callback URL must be an http(s) URL, got "ftp://example.com/hook"',
		);
		expect(t.routes('deploymentSubmit')).toHaveLength(0);
	});
});
