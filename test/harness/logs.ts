/** Records what the node logs through the logger n8n-core hands it, while `task` runs. */
import { Container, Logger } from './core-deps';

export async function recordLogs(
	task: () => Promise<void>,
	lines: string[] = [],
): Promise<string[]> {
	const real = Container.get(Logger as never);
	const record = (message: string, metadata?: unknown) =>
		void lines.push(`${message} ${JSON.stringify(metadata ?? {})}`);
	const recorder = {
		error: record,
		warn: record,
		info: record,
		debug: record,
		scoped: () => recorder,
	};
	Container.set(Logger as never, recorder as never);
	try {
		await task();
	} finally {
		Container.set(Logger as never, real);
	}
	return lines;
}
