/** Engine tests: n8n-core's WorkflowExecute runs the node against the RunComfy emulator. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/setup.ts'],
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
	testTimeout: 60_000,
	maxWorkers: 2,
};
