// Partners must be connected (an ACTIVE OPPORTUNITY_COLLABORATION connection,
// Account API) before one invites the other to an engagement. AWS documents
// the rule but not the error; cosell answers a business ValidationException
// naming the receiver (semantics.md §3.1, §7.3).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useCosell, freshServer } from "../lib/suite.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { connectPartners } from "../lib/connections.mjs";
import { createEngagement, invite, opportunityInvitation, invitationIdPattern } from "../lib/engagements.mjs";

const cosell = useCosell();

test("an engagement invitation to an unconnected partner is refused until the two connect", async (t) => {
  if (!freshServer) return t.skip("the accounts of a real endpoint may already be connected");
  const { id: engagementId } = await createEngagement(cosell.a, "Sandbox");
  await rejectsWith(invite(cosell.a, "Sandbox", engagementId, opportunityInvitation(cosell.accountB.accountId)), "ValidationException", {
    reason: "BUSINESS_VALIDATION_FAILED",
    field: /^invitation\.receiver\.account\.awsAccountId$/,
    code: "ACTION_NOT_PERMITTED",
  });
  await connectPartners(cosell);
  const { id } = await invite(cosell.a, "Sandbox", engagementId, opportunityInvitation(cosell.accountB.accountId));
  assert.match(id, invitationIdPattern);
});
