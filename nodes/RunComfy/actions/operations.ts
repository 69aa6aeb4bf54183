/**
 * Every operation of the RunComfy node, by resource. Values are unique across resources, so a
 * saved workflow's operation alone says what to run.
 */
export const MODEL_OPERATIONS = ['run', 'submit', 'dryRun', 'getModel', 'listModels'] as const;

export const DEPLOYMENT_OPERATIONS = [
	'runWorkflow',
	'submitWorkflow',
	'dryRunWorkflow',
	'getDeployment',
	'listDeployments',
	'createDeployment',
	'updateDeployment',
	'deleteDeployment',
] as const;

export const JOB_OPERATIONS = [
	'waitForCompletion',
	'checkJob',
	'getStatus',
	'getResult',
	'cancel',
] as const;

export const ACCOUNT_OPERATIONS = ['getBalance'] as const;

/** Operations that create paid jobs. */
export const SUBMITTING = ['run', 'submit', 'runWorkflow', 'submitWorkflow'];
/** Operations that wait for jobs to end. */
export const WAITING = ['run', 'runWorkflow', 'waitForCompletion'];
/** Operations that read a job's result. */
export const RESULTING = [...WAITING, 'getResult', 'checkJob'];
