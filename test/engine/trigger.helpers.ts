/** Shared set-up of the RunComfy Trigger's tests: an emulator, a receiver, a submit. */
import type { IDataObject } from 'n8n-workflow';

import { DEPLOYMENT_T2I } from '../emulator/emulator';
import type { JobScript } from '../emulator/job';
import { until } from '../harness/wait';
import { TriggerHarness } from '../harness/webhook';
import { setUpDeployments, workflowParams } from './deployment.helpers';

export function setUpTrigger() {
	const t = setUpDeployments();
	const hook = new TriggerHarness(t.credentials);
	beforeAll(async () => {
		hook.configure();
		await hook.listen();
	});
	afterAll(async () => await hook.close());

	/** Submits one job (scripted) through the RunComfy node with the Trigger's URL. */
	const submit = async (script: JobScript = {}): Promise<string> => {
		t.emulator.scriptNextJobs(script);
		const result = await t.run({
			...workflowParams(DEPLOYMENT_T2I, { '6.text': 'a fox' }),
			operation: 'submitWorkflow',
			callbackUrl: hook.url,
		});
		if (result.error) throw result.error;
		return String(result.items[0].json.requestId);
	};
	const deliveries = (requestId: string) =>
		t.emulator.serverless.deliveries.filter((delivery) => delivery.requestId === requestId);
	/** Waits until `count` deliveries of the job were answered and the Trigger is done with them. */
	const settled = async (requestId: string, count: number) =>
		await until(() => {
			const sent = deliveries(requestId).filter((delivery) => delivery.status !== 'pending');
			const calls = hook.calls.filter((call) => call.body.request_id === requestId);
			return sent.length >= count && calls.length >= count && hook.idle;
		});
	const results = (requestId?: string) => t.emulator.count('deploymentResult', requestId);
	const emittedIds = () => hook.emitted.map((item) => item.json.requestId);
	const configure = (parameters: IDataObject = {}) => hook.configure(parameters);
	return { ...t, hook, submit, deliveries, settled, results, emittedIds, configure };
}
