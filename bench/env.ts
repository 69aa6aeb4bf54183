/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Imported first by the benchmark's entry points, before anything loads n8n-core. n8n logs every
 * job transition of the node at info and every node error (with its stack) at error; the benchmark
 * keeps n8n's log silent, so console output is neither part of the measured CPU time nor mixed
 * into the tables (the errors are in the tables and the JSON). Override with N8N_LOG_LEVEL.
 */
process.env.N8N_LOG_LEVEL ??= 'silent';
