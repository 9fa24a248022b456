// Account API connections between the two default accounts: invitations
// (sent by A to B's public profile), accepting, rejecting and cancelling
// them, the resulting connection and its cancellation, and connection
// preferences with their revision (semantics.md §4, §7.3).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GetConnectionInvitationCommand,
  ListConnectionInvitationsCommand,
  AcceptConnectionInvitationCommand,
  RejectConnectionInvitationCommand,
  CancelConnectionInvitationCommand,
  GetConnectionCommand,
  ListConnectionsCommand,
  CancelConnectionCommand,
  GetConnectionPreferencesCommand,
  UpdateConnectionPreferencesCommand,
  CreateConnectionInvitationCommand,
  PutProfileVisibilityCommand,
} from "@aws-sdk/client-partnercentral-account";
import { clientToken } from "../lib/fixtures.mjs";
import {
  useAccountApi,
  createPartner,
  publishProfile,
  invitationInput,
  inviteConnection,
  setPreferences,
  connectionIdPattern,
  connectionInvitationIdPattern,
  connectionArnPattern,
  connectionInvitationArnPattern,
  connectionPreferencesArn,
  rejectsWithReason,
  collectPages,
} from "../lib/account.mjs";

const catalog = "Sandbox";
const type = "OPPORTUNITY_COLLABORATION";
// Profile ids of A and B, published in setup: a connection needs a profile on the receiver.
const profiles = {};
const cosell = useAccountApi(async (ctx) => {
  for (const [name, client] of [["a", ctx.pa], ["b", ctx.pb]]) {
    const partner = await createPartner(client, catalog);
    profiles[name] = await publishProfile(ctx, client, catalog, partner.Id);
    await client.send(new PutProfileVisibilityCommand({ Catalog: catalog, Identifier: partner.Id, Visibility: "PUBLIC" }));
  }
});

const getInvitation = (client, id) => client.send(new GetConnectionInvitationCommand({ Catalog: catalog, Identifier: id }));
const listInvitations = (client, filters = {}) =>
  collectPages(
    (NextToken) => client.send(new ListConnectionInvitationsCommand({ Catalog: catalog, NextToken, ...filters })),
    (page) => page.ConnectionInvitationSummaries,
  );
const accept = (client, id) => client.send(new AcceptConnectionInvitationCommand({ Catalog: catalog, Identifier: id, ClientToken: clientToken() }));
const reject = (client, id, reason) =>
  client.send(new RejectConnectionInvitationCommand({ Catalog: catalog, Identifier: id, ClientToken: clientToken(), ...(reason ? { Reason: reason } : {}) }));
const cancelInvitation = (client, id) => client.send(new CancelConnectionInvitationCommand({ Catalog: catalog, Identifier: id, ClientToken: clientToken() }));
const getConnection = (client, id) => client.send(new GetConnectionCommand({ Catalog: catalog, Identifier: id }));
const listConnections = (client, filters = {}) =>
  collectPages((NextToken) => client.send(new ListConnectionsCommand({ Catalog: catalog, NextToken, ...filters })), (page) => page.ConnectionSummaries);
const cancelConnection = (client, id) =>
  client.send(new CancelConnectionCommand({ Catalog: catalog, Identifier: id, ConnectionType: type, Reason: "Partnership ended", ClientToken: clientToken() }));
const preferences = (client) => client.send(new GetConnectionPreferencesCommand({ Catalog: catalog }));
const inviteB = (options) => inviteConnection(cosell.pa, catalog, profiles.b, options);
// The other side as each participant sees it: the profile addressed, or the account once revealed
// ("sending/accepting reveals AWS account ids"); which of the two: NOT FOUND in semantics.md.
const sideOf = (name) => [profiles[name], (name === "a" ? cosell.accountA : cosell.accountB).accountId];

test("A invites B by B's profile id: a PENDING invitation A sees as sender and B as receiver", async () => {
  const input = invitationInput(catalog, profiles.b, { message: "Shall we co-sell?" });
  const sent = await cosell.pa.send(new CreateConnectionInvitationCommand(input));
  assert.match(sent.Id, connectionInvitationIdPattern);
  assert.match(sent.Arn, connectionInvitationArnPattern(catalog));
  assert.equal(sent.Catalog, catalog);
  assert.equal(sent.ConnectionType, type);
  assert.equal(sent.Status, "PENDING");
  assert.equal(sent.ParticipantType, "SENDER");
  assert.ok(sideOf("b").includes(sent.OtherParticipantIdentifier), sent.OtherParticipantIdentifier);
  assert.equal(sent.InvitationMessage, input.Message);
  assert.equal(sent.InviterEmail, input.Email);
  assert.equal(sent.InviterName, input.Name);
  assert.ok(sent.CreatedAt instanceof Date && sent.UpdatedAt instanceof Date);
  if (sent.ExpiresAt) assert.ok(sent.ExpiresAt > sent.CreatedAt, "an invitation expires after it was sent");

  const seen = await getInvitation(cosell.pb, sent.Id);
  assert.equal(seen.Id, sent.Id);
  assert.equal(seen.Arn, sent.Arn);
  assert.equal(seen.ParticipantType, "RECEIVER");
  assert.equal(seen.Status, "PENDING");
  assert.ok(sideOf("a").includes(seen.OtherParticipantIdentifier), seen.OtherParticipantIdentifier);
  assert.equal(seen.InvitationMessage, input.Message);

  const received = await listInvitations(cosell.pb, { ParticipantType: "RECEIVER", Status: "PENDING" });
  assert.deepEqual(received.filter((s) => s.Id === sent.Id).map((s) => [s.ParticipantType, s.Status, s.ConnectionType]), [["RECEIVER", "PENDING", type]]);
  assert.ok((await listInvitations(cosell.pa, { ParticipantType: "SENDER" })).some((s) => s.Id === sent.Id), "A lists it as sender");
  assert.ok(!(await listInvitations(cosell.pa, { ParticipantType: "RECEIVER" })).some((s) => s.Id === sent.Id), "A does not list it as receiver");

  // A second invitation of the same type while one is pending.
  await rejectsWithReason(inviteB(), "ConflictException", { reason: "DUPLICATE_CONNECTION_INVITATION" });
  // Only the receiver may accept or reject.
  await rejectsWithReason(accept(cosell.pa, sent.Id), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_INVITATION_RECEIVER" });
  await rejectsWithReason(reject(cosell.pa, sent.Id), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_INVITATION_RECEIVER" });

  // B declines: REJECTED for both sides, and final.
  const rejected = await reject(cosell.pb, sent.Id, "Not this quarter");
  assert.equal(rejected.Status, "REJECTED");
  assert.equal(rejected.Id, sent.Id);
  assert.equal((await getInvitation(cosell.pa, sent.Id)).Status, "REJECTED");
  await rejectsWithReason(accept(cosell.pb, sent.Id), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_INVITATION_STATE" });
  await rejectsWithReason(cancelInvitation(cosell.pa, sent.Id), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_INVITATION_STATE" });
});

test("A cancels a pending invitation: CANCELED for both, and B can no longer accept it", async () => {
  const sent = await inviteB();
  const canceled = await cancelInvitation(cosell.pa, sent.Id);
  assert.equal(canceled.Id, sent.Id);
  assert.equal(canceled.Status, "CANCELED");
  assert.equal((await getInvitation(cosell.pb, sent.Id)).Status, "CANCELED");
  assert.ok((await listInvitations(cosell.pb, { Status: "CANCELED" })).some((s) => s.Id === sent.Id));
  await rejectsWithReason(accept(cosell.pb, sent.Id), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_INVITATION_STATE" });
  await rejectsWithReason(cancelInvitation(cosell.pa, sent.Id), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_INVITATION_STATE" });
});

let connectionId;

test("B accepts: both see one connection whose OPPORTUNITY_COLLABORATION type is ACTIVE", async () => {
  const input = invitationInput(catalog, profiles.b);
  const sent = await cosell.pa.send(new CreateConnectionInvitationCommand(input));
  const { Connection } = await accept(cosell.pb, sent.Id);
  assert.match(Connection.Id, connectionIdPattern);
  assert.match(Connection.Arn, connectionArnPattern(catalog));
  assert.equal(Connection.Catalog, catalog);
  assert.equal(Connection.OtherParticipantAccountId, cosell.accountA.accountId);
  assert.equal(Connection.ConnectionTypes[type]?.Status, "ACTIVE");
  assert.equal(Connection.ConnectionTypes[type].InviterEmail, input.Email);
  assert.equal(Connection.ConnectionTypes[type].InviterName, input.Name);
  connectionId = Connection.Id;

  for (const client of [cosell.pa, cosell.pb]) {
    const invitation = await getInvitation(client, sent.Id);
    assert.equal(invitation.Status, "ACCEPTED");
    assert.equal(invitation.ConnectionId, connectionId);
  }

  const fromA = await listConnections(cosell.pa);
  const fromB = await listConnections(cosell.pb);
  assert.deepEqual(fromA.map((c) => [c.Id, c.OtherParticipantAccountId]), [[connectionId, cosell.accountB.accountId]]);
  assert.deepEqual(fromB.map((c) => [c.Id, c.OtherParticipantAccountId]), [[connectionId, cosell.accountA.accountId]]);
  assert.equal(fromA[0].ConnectionTypes[type]?.Status, "ACTIVE");
  assert.deepEqual((await listConnections(cosell.pa, { ConnectionType: `${type}:ACTIVE` })).map((c) => c.Id), [connectionId]);
  assert.deepEqual((await listConnections(cosell.pa, { OtherParticipantIdentifiers: [cosell.accountB.accountId] })).map((c) => c.Id), [connectionId]);

  const got = await getConnection(cosell.pa, connectionId);
  assert.equal(got.Arn, Connection.Arn);
  assert.equal(got.OtherParticipantAccountId, cosell.accountB.accountId);
  assert.equal(got.ConnectionTypes[type]?.Status, "ACTIVE");

  // An accepted invitation is final.
  await rejectsWithReason(accept(cosell.pb, sent.Id), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_INVITATION_STATE" });
});

test("an active connection of a type rules out another invitation of that type, in either direction", async () => {
  assert.ok(connectionId, "needs the accepted connection");
  await rejectsWithReason(inviteB(), "ConflictException", { reason: "DUPLICATE_CONNECTION" });
  await rejectsWithReason(inviteConnection(cosell.pb, catalog, profiles.a), "ConflictException", { reason: "DUPLICATE_CONNECTION" });
});

test("CancelConnection cancels the type for both sides; a second cancel is INCOMPATIBLE_CONNECTION_STATE; a new invitation is then allowed", async () => {
  assert.ok(connectionId, "needs the accepted connection");
  const canceled = await cancelConnection(cosell.pa, connectionId);
  assert.equal(canceled.Id, connectionId);
  const detail = canceled.ConnectionTypes[type];
  assert.equal(detail.Status, "CANCELED");
  assert.equal(detail.CanceledBy, cosell.accountA.accountId);
  assert.ok(detail.CanceledAt instanceof Date);
  assert.equal((await getConnection(cosell.pb, connectionId)).ConnectionTypes[type].Status, "CANCELED");
  assert.deepEqual(await listConnections(cosell.pb, { ConnectionType: `${type}:ACTIVE` }), []);

  await rejectsWithReason(cancelConnection(cosell.pb, connectionId), "ConflictException", { reason: "INCOMPATIBLE_CONNECTION_STATE" });

  // A terminated connection is not reactivated, but the two may invite each other again.
  const again = await inviteB();
  assert.equal(again.Status, "PENDING");
  await cancelInvitation(cosell.pa, again.Id);
});

test("unknown invitations, connections and receivers are the matching NotFound reasons", async () => {
  await rejectsWithReason(getInvitation(cosell.pa, "pacinv-0000000000000"), "ResourceNotFoundException", { reason: "CONNECTION_INVITATION_NOT_FOUND" });
  await rejectsWithReason(accept(cosell.pb, "pacinv-0000000000000"), "ResourceNotFoundException", { reason: "CONNECTION_INVITATION_NOT_FOUND" });
  await rejectsWithReason(getConnection(cosell.pa, "pac-0000000000000"), "ResourceNotFoundException", { reason: "CONNECTION_NOT_FOUND" });
  await rejectsWithReason(cancelConnection(cosell.pa, "pac-0000000000000"), "ResourceNotFoundException", { reason: "CONNECTION_NOT_FOUND" });
  await rejectsWithReason(inviteConnection(cosell.pa, catalog, "pprofile-0000000000000"), "ResourceNotFoundException", { reason: "RECEIVER_PROFILE_NOT_FOUND" });
});

test("connection preferences carry a revision: an update with a stale one is INCOMPATIBLE_CONNECTION_PREFERENCES_REVISION", async () => {
  const current = await preferences(cosell.pb);
  assert.equal(current.Catalog, catalog);
  assert.equal(current.Arn, connectionPreferencesArn(cosell.accountB.accountId, catalog));
  assert.ok(["ALLOW_ALL", "DENY_ALL", "ALLOW_BY_DEFAULT_DENY_SOME"].includes(current.AccessType), current.AccessType);
  assert.equal(typeof current.Revision, "number");

  const updated = await cosell.pb.send(new UpdateConnectionPreferencesCommand({ Catalog: catalog, Revision: current.Revision, AccessType: "ALLOW_ALL" }));
  assert.equal(updated.AccessType, "ALLOW_ALL");
  assert.ok(updated.Revision > current.Revision, `the revision moves on: ${current.Revision} → ${updated.Revision}`);
  assert.ok(updated.UpdatedAt instanceof Date);
  assert.equal((await preferences(cosell.pb)).Revision, updated.Revision);

  await rejectsWithReason(
    cosell.pb.send(new UpdateConnectionPreferencesCommand({ Catalog: catalog, Revision: current.Revision, AccessType: "DENY_ALL" })),
    "ConflictException",
    { reason: "INCOMPATIBLE_CONNECTION_PREFERENCES_REVISION" },
  );
  assert.equal((await preferences(cosell.pb)).AccessType, "ALLOW_ALL", "the stale update changed nothing");
});

test("a receiver whose preferences are DENY_ALL gets no new invitations; ALLOW_ALL lets them through again", async () => {
  const denied = await setPreferences(cosell.pb, catalog, "DENY_ALL");
  assert.equal(denied.AccessType, "DENY_ALL");
  // Which exception: NOT FOUND in semantics.md; the model's business code for a refused request is assumed.
  await rejectsWithReason(inviteB(), "ValidationException", { reason: "BUSINESS_VALIDATION_FAILED", business: "INCOMPATIBLE_CONNECTION_INVITATION_REQUEST" });
  assert.ok(!(await listInvitations(cosell.pb, { ParticipantType: "RECEIVER", Status: "PENDING" })).length, "nothing reached B");

  await setPreferences(cosell.pb, catalog, "ALLOW_ALL");
  const sent = await inviteB();
  assert.equal(sent.Status, "PENDING");
  await cancelInvitation(cosell.pa, sent.Id);
});
