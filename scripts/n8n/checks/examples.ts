/**
 * examples/: every workflow must import; those that run offline (a manual trigger and no external
 * services) are also run, with their Wait nodes shortened.
 */
import { NODE_TYPE, type Json } from '../common';
import { show } from '../runner';
import { executeSucceeded, itemsOf, type Suite } from './cli';

const OFFLINE_NODE_TYPES = new Set([
	NODE_TYPE,
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.set',
	'n8n-nodes-base.splitOut',
	'n8n-nodes-base.noOp',
	'n8n-nodes-base.if',
	'n8n-nodes-base.filter',
	'n8n-nodes-base.merge',
	'n8n-nodes-base.stickyNote',
	'n8n-nodes-base.wait',
	'n8n-nodes-base.aggregate',
]);

export async function exampleChecks(suite: Suite): Promise<void> {
	for (const workflow of suite.workflows) {
		const nodes = workflow.json.nodes as Json[];
		const types = nodes.map((node) => String(node.type));
		const fusion = nodes.filter((node) => node.type === NODE_TYPE);
		const online = types.filter((type) => !OFFLINE_NODE_TYPES.has(type));
		if (online.length > 0 || !types.includes('n8n-nodes-base.manualTrigger')) {
			const why = online.join(', ') || 'no manual trigger';
			await suite.runner.check(
				'n8n execute',
				`example "${workflow.name}" imported (not run: uses ${why})`,
				(expect) => {
					expect(fusion.length > 0, 'it has no FusionX node');
				},
			);
			continue;
		}
		await suite.runner.check('n8n execute', `example "${workflow.name}" runs`, async (expect) => {
			const execution = await executeSucceeded(suite, workflow.id, expect);
			if (!execution) return;
			for (const node of fusion) {
				const run = execution.data?.resultData?.runData?.[node.name]?.[0];
				if (!run) continue; // a branch that did not run
				expect(!run.error, `${node.name}: ${show(run.error?.message)}`);
				const errors = itemsOf(execution, node.name).filter((item) => item.json?.error);
				expect(
					errors.length === 0,
					`${node.name}: error items ${show(errors.map((item) => item.json))}`,
				);
			}
		});
	}
}
