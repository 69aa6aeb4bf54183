import { RESERVED_KEYS } from '../values';
import type { Raw } from './graph';
import { isRecord, objectOf, ownValue } from './graph';

/**
 * ComfyUI's node definitions (`object_info`): per class, `input.required` / `input.optional`,
 * each input `[type, config]`, where type is a word (INT, FLOAT, STRING, BOOLEAN, COMBO, MODEL, a
 * custom one) or the bare list of options. Read tolerantly: anything else is "not described".
 */

export type ObjectInfo = Record<string, Raw>;

export interface InputDefinition {
	/** A type word, or the options when the type is a bare list. */
	type: string | unknown[];
	config: Raw;
}

/** The object_info as an object of classes, or undefined when it is missing or unreadable. */
export function readObjectInfo(value: unknown): ObjectInfo | undefined {
	const raw = objectOf(value);
	if (!raw) return undefined;
	const classes: ObjectInfo = {};
	for (const [name, definition] of Object.entries(raw)) {
		if (isRecord(definition) && !RESERVED_KEYS.has(name)) classes[name] = definition;
	}
	return Object.keys(classes).length > 0 ? classes : undefined;
}

const classOf = (info: ObjectInfo | undefined, classType: string) =>
	ownValue(info, classType) as Raw | undefined;

function sectionsOf(info: ObjectInfo | undefined, classType: string): Raw[] {
	const input = classOf(info, classType)?.input;
	if (!isRecord(input)) return [];
	return [input.required, input.optional].filter(isRecord);
}

/** One input's definition in its class, if object_info has it. */
export function inputDefinition(
	info: ObjectInfo | undefined,
	classType: string,
	name: string,
): InputDefinition | undefined {
	for (const section of sectionsOf(info, classType)) {
		if (!Object.prototype.hasOwnProperty.call(section, name)) continue;
		const entry = section[name];
		const [type, config] = Array.isArray(entry) ? entry : [entry];
		if (typeof type !== 'string' && !Array.isArray(type)) return undefined;
		return { type, config: isRecord(config) ? config : {} };
	}
	return undefined;
}

/** Every input name the class defines, required ones first, each in definition order. */
export function inputNames(info: ObjectInfo | undefined, classType: string): string[] {
	return sectionsOf(info, classType).flatMap((section) => Object.keys(section));
}

export function displayNameOf(info: ObjectInfo | undefined, classType: string): string | undefined {
	const name = classOf(info, classType)?.display_name;
	return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}
