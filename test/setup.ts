/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// n8n's logger prints every job transition at info; tests read them through spies, not the console.
process.env.N8N_LOG_LEVEL ??= 'warn';
