import { show } from '../values';
import { ExactInteger } from './exactInteger';

/** A value as the user gave it (values.ts's `show`), an exact integer as its digits. */
export function shown(value: unknown): string {
	return value instanceof ExactInteger ? value.digits : show(value);
}
