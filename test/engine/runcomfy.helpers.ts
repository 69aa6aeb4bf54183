/** Shared set-up of the RunComfy node's engine tests. */
import type { IDataObject } from 'n8n-workflow';

import type { EmulatorOptions } from '../emulator/emulator';
import { setUpEmulator } from '../harness/context';
import type { RunOptions } from '../harness/engine';
import { RUNCOMFY_TYPE } from '../harness/engine';
import { loadOptionsContext } from '../harness/loadOptions';

export function setUpRunComfy(options: EmulatorOptions = { queueMs: 100, durationMs: 200 }) {
	const t = setUpEmulator(options);
	const run = async (
		parameters: IDataObject,
		runOptions: RunOptions & { settings?: IDataObject } = {},
	) =>
		await t.engine.run(
			{ type: RUNCOMFY_TYPE, name: 'RunComfy', parameters, settings: runOptions.settings },
			{ credentials: t.credentials(), ...runOptions },
		);
	const loadContext = (parameters: IDataObject) =>
		loadOptionsContext(t.engine, parameters, t.credentials());
	return { ...t, run, loadContext };
}

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

export function inputs(value: IDataObject | null, mappingMode = 'defineBelow'): IDataObject {
	return {
		mappingMode,
		value,
		matchingColumns: [],
		schema: [],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

/** Run Model parameters for `model` with mapped `values`; a fast poll interval. */
export function runParams(
	model: string,
	values: IDataObject | null,
	extra: IDataObject = {},
): IDataObject {
	return {
		operation: 'run',
		model: byId(model),
		inputs: inputs(values),
		...extra,
		options: { pollInterval: 1, ...((extra.options as IDataObject) ?? {}) },
	};
}
