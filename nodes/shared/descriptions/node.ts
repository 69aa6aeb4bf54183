import { NodeConnectionTypes } from 'n8n-workflow';

// What the RunComfy nodes' descriptions share. Their Operation lists stay written out in each node:
// n8n's lint rules read an option only as an object literal (they crash on a reference).

/** Check Job routes to two outputs, as n8n's own If and Switch do; every other operation to one. */
export const JOB_NODE_OUTPUTS: `={{${string}}}` = `={{ $parameter.operation === "checkJob" ? [{ type: "${NodeConnectionTypes.Main}", displayName: "Completed" }, { type: "${NodeConnectionTypes.Main}", displayName: "Still Running" }] : ["${NodeConnectionTypes.Main}"] }}`;
