// Invitation expiry, driven by cosell's controllable clock: invitations
// "automatically expire if not accepted within 15 days" (semantics.md §3.1).
// Its own file, so moving the clock cannot disturb other tests' servers.
// Skipped against AWS, where time cannot be moved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AcceptEngagementInvitationCommand } from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { connectPartners } from "../lib/connections.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { skipWithoutClock, adminRequest } from "../lib/admin.mjs";
import { createEngagement, invite, opportunityInvitation, getInvitation, listInvitations, acceptInvitationTask } from "../lib/engagements.mjs";

const cosell = useCosell(connectPartners);

test("the admin clock reads the server time and moves it forward, for the admin token only", async (t) => {
  if (skipWithoutClock(t)) return;
  const before = await cosell.readClock();
  assert.ok(Math.abs(before.getTime() - Date.now()) < 60_000, "the clock starts at real time");
  const after = await cosell.advanceClock("2h");
  assert.ok(after.getTime() - before.getTime() >= 2 * 3600_000, `advanced by 2h: ${before.toISOString()} → ${after.toISOString()}`);
  assert.ok((await cosell.readClock()).getTime() >= after.getTime());

  for (const token of [undefined, "not-the-token"]) {
    const denied = await adminRequest(cosell.endpoint, token, "POST", { advance: "1h" });
    assert.ok([401, 403].includes(denied.status), `without the token: ${denied.status} ${denied.text}`);
  }
  const bad = await adminRequest(cosell.endpoint, cosell.adminToken, "POST", { advance: "soon" });
  assert.equal(bad.status, 400, `a duration Go cannot parse: ${bad.text}`);
});

test("an invitation not answered within 15 days is EXPIRED in Get and List, and can no longer be accepted", async (t) => {
  if (skipWithoutClock(t)) return;
  const { id: engagementId } = await createEngagement(cosell.a, "Sandbox");
  const { id } = await invite(cosell.a, "Sandbox", engagementId, opportunityInvitation(cosell.accountB.accountId));
  const { id: otherEngagement } = await createEngagement(cosell.a, "Sandbox");
  const { id: forTask } = await invite(cosell.a, "Sandbox", otherEngagement, opportunityInvitation(cosell.accountB.accountId));

  await cosell.advanceClock("359h");
  assert.equal((await getInvitation(cosell.b, "Sandbox", id)).Status, "PENDING", "an hour before expiry it is still PENDING");

  await cosell.advanceClock("1h1m");
  for (const client of [cosell.a, cosell.b]) assert.equal((await getInvitation(client, "Sandbox", id)).Status, "EXPIRED");
  const narrowed = { EngagementIdentifier: [engagementId, otherEngagement] };
  const expired = await listInvitations(cosell.b, "Sandbox", "RECEIVER", { ...narrowed, Status: ["EXPIRED"] });
  assert.deepEqual(expired.map((s) => s.Id).sort(), [id, forTask].sort());
  assert.deepEqual(await listInvitations(cosell.b, "Sandbox", "RECEIVER", { ...narrowed, Status: ["PENDING"] }), []);
  const sent = await listInvitations(cosell.a, "Sandbox", "SENDER", narrowed);
  assert.deepEqual(sent.map((s) => s.Status), ["EXPIRED", "EXPIRED"]);

  // Accepting a non-PENDING invitation: ConflictException (message NOT FOUND).
  await rejectsWith(cosell.b.send(new AcceptEngagementInvitationCommand({ Catalog: "Sandbox", Identifier: id })), "ConflictException");
  // The task either refuses outright or FAILS; it must not accept. Which of the two: NOT FOUND.
  const outcome = await acceptInvitationTask(cosell.b, "Sandbox", forTask).then(
    (task) => task.TaskStatus,
    (err) => err.name,
  );
  assert.ok(["ConflictException", "FAILED"].includes(outcome), outcome);
  assert.equal((await getInvitation(cosell.b, "Sandbox", forTask)).Status, "EXPIRED");
});
