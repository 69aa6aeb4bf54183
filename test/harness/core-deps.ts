/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports */
/**
 * n8n-core's own copies of its DI container and logger. npm may install a second, different
 * version of these packages at the top level (other dev tools depend on them), and a service set
 * in the wrong container is invisible to n8n-core.
 */
const fromCore = { paths: [require.resolve('n8n-core')] };

interface DiContainer {
	get<T>(type: abstract new (...args: never[]) => T): T;
	set<T>(type: abstract new (...args: never[]) => T, instance: T): void;
}

export const Container = (
	require(require.resolve('@n8n/di', fromCore)) as { Container: DiContainer }
).Container;

export const Logger = (
	require(require.resolve('@n8n/backend-common', fromCore)) as {
		Logger: new (...args: never[]) => unknown;
	}
).Logger;
