import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkNumber, valueOf } from '../../../shared/values';

/** Capacity fields as the API names them, each checked; upper bounds are the API's to judge. */
const FIELDS: Array<[string, string, string, number]> = [
	['minInstances', 'min_instances', 'Min Instances', 0],
	['maxInstances', 'max_instances', 'Max Instances', 1],
	['queueSize', 'queue_size', 'Queue Size', 1],
	['keepWarmSeconds', 'keep_warm_duration_in_seconds', 'Keep Warm (Seconds)', 0],
];

export function capacityBody(values: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const [name, key, label, min] of FIELDS) {
		if (values[name] === undefined || values[name] === '') continue;
		body[key] = valueOf(checkNumber(label, values[name], { integer: true, min, max: 1_000_000 }));
	}
	const low = body.min_instances as number | undefined;
	const high = body.max_instances as number | undefined;
	if (low !== undefined && high !== undefined && high < low) {
		throw new Error(`Max Instances (${high}) must be at least Min Instances (${low})`);
	}
	return body;
}

export function readCapacity(ctx: IExecuteFunctions, itemIndex: number, collection: string) {
	return capacityBody((ctx.getNodeParameter(collection, itemIndex, {}) ?? {}) as IDataObject);
}
