import type { Priced } from '../../../shared/jobs/spending';
import type { WorkflowJobInput } from '../../helpers/workflowInput';

/**
 * Serverless bills per GPU-second while instances run (cold start included): no per-job price,
 * so Max Estimated Spend refuses a run when set, saying why, and Dry Run shows the hardware.
 */
export function deploymentsPriced(inputs: WorkflowJobInput[]): Priced[] {
	return inputs.map(({ deployment }) => ({
		id: `deployment ${deployment.id}`,
		priceUnit: 'GPU second',
		noEstimate: `Deployment ${deployment.id} bills per GPU-second while its instances run (cold starts included), so a run has no per-job price to estimate`,
	}));
}
