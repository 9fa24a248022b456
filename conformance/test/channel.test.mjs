// The Channel API (partnercentral-channel) with the official JS client:
// program management accounts, relationships, handshakes between the two
// partner accounts and with an end customer the AWS side plays, the events
// on each side's SQS queue, and the API's camelCase errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as channel from "@aws-sdk/client-partnercentral-channel";
import {
  AcceptChannelHandshakeCommand,
  RejectChannelHandshakeCommand,
  CancelChannelHandshakeCommand,
  ListChannelHandshakesCommand,
  ListProgramManagementAccountsCommand,
  UpdateProgramManagementAccountCommand,
  CreateRelationshipCommand,
  GetRelationshipCommand,
  CreateChannelHandshakeCommand,
  TagResourceCommand,
  ListTagsForResourceCommand,
  paginateListProgramManagementAccounts,
} from "@aws-sdk/client-partnercentral-channel";
import { useCosell } from "../lib/suite.mjs";
import { skipWithoutClock } from "../lib/admin.mjs";
import { channelOperations } from "../lib/model.mjs";
import {
  channelClient, createPMA, sendPMAHandshake, awsSide, eventQueue, receiveHandshakeEvent, idPatterns,
} from "../lib/channel.mjs";

const cosell = useCosell(async (ctx) => {
  ctx.ca = channelClient(ctx.endpoint, ctx.accountA);
  ctx.cb = channelClient(ctx.endpoint, ctx.accountB);
});

/** A fresh 12-digit account id no other test uses as a management account. */
let nextAccount = 300000000000;
const freshAccount = () => String(nextAccount++);

test("every Channel operation answers with a result or a modelled exception", async () => {
  const modelled = new Set(Object.values(channel).filter((v) => typeof v === "function" && v.prototype instanceof channel.PartnerCentralChannelServiceException).map((v) => v.name));
  for (const op of channelOperations) {
    const Command = channel[`${op}Command`];
    assert.ok(Command, `the SDK has ${op}Command`);
    try {
      await cosell.ca.send(new Command({ catalog: "Sandbox" }));
    } catch (err) {
      assert.ok(modelled.has(err.name), `${op}: ${err.name} (${err.$metadata?.httpStatusCode}) is a modelled exception: ${err.message}`);
    }
  }
});

test("a PMA handshake from A is accepted by B: the PMA becomes ACTIVE, Created reaches B's queue and Accepted A's", async (t) => {
  if (skipWithoutClock(t)) return;
  const pma = await createPMA(cosell.ca, cosell.accountB.accountId);
  assert.match(pma.id, idPatterns.pma);
  assert.equal(pma.arn, `arn:aws:partnercentral:us-east-1:${cosell.accountA.accountId}:catalog/Sandbox/program-management-account/${pma.id}`);
  const hs = await sendPMAHandshake(cosell.ca, pma.id);
  assert.match(hs.id, idPatterns.handshake);

  const queueB = await eventQueue(cosell.endpoint, cosell.accountB);
  const created = await receiveHandshakeEvent(queueB, "Channel Handshake Created", hs.id);
  assert.equal(created.source, "aws.partnercentral-channel");
  assert.equal(created.account, cosell.accountB.accountId);
  assert.deepEqual(created.resources, [hs.arn]);
  assert.equal(created.detail.ownerAccountId, cosell.accountA.accountId);
  assert.equal(created.detail.receiverAccountId, cosell.accountB.accountId);
  assert.deepEqual(created.detail.handshakeDetail, { programManagementAccountHandshakeDetail: { program: "SOLUTION_PROVIDER" } });

  const { items } = await cosell.cb.send(new ListChannelHandshakesCommand({ catalog: "Sandbox", handshakeType: "PROGRAM_MANAGEMENT_ACCOUNT", participantType: "RECEIVER" }));
  const listed = items.find((h) => h.id === hs.id);
  assert.equal(listed.status, "PENDING");
  assert.equal(listed.senderAccountId, cosell.accountA.accountId);
  assert.ok(listed.createdAt instanceof Date);

  const accepted = await cosell.cb.send(new AcceptChannelHandshakeCommand({ catalog: "Sandbox", identifier: hs.arn }));
  assert.deepEqual({ ...accepted.channelHandshakeDetail }, { id: hs.id, arn: hs.arn, status: "ACCEPTED" });

  const queueA = await eventQueue(cosell.endpoint, cosell.accountA);
  const event = await receiveHandshakeEvent(queueA, "Channel Handshake Accepted", hs.id);
  assert.equal(event.account, cosell.accountA.accountId);
  assert.equal(event.detail.associatedResourceIdentifier, pma.id);

  const { items: pmas } = await cosell.ca.send(new ListProgramManagementAccountsCommand({ catalog: "Sandbox", statuses: ["ACTIVE"] }));
  const active = pmas.find((p) => p.id === pma.id);
  assert.equal(active.status, "ACTIVE");
  assert.ok(active.startDate instanceof Date);
  assert.equal(active.revision, "2");
  queueA.sqs.destroy();
  queueB.sqs.destroy();
});

test("the other way round: A rejects B's handshake, B cancels its next one, and who may do what", async (t) => {
  if (skipWithoutClock(t)) return;
  const pma = await createPMA(cosell.cb, cosell.accountA.accountId);
  const hs = await sendPMAHandshake(cosell.cb, pma.id);
  await assert.rejects(cosell.cb.send(new AcceptChannelHandshakeCommand({ catalog: "Sandbox", identifier: hs.id })), channel.AccessDeniedException);
  const rejected = await cosell.ca.send(new RejectChannelHandshakeCommand({ catalog: "Sandbox", identifier: hs.id }));
  assert.equal(rejected.channelHandshakeDetail.status, "REJECTED");
  // Idempotent: rejecting again answers the same.
  const again = await cosell.ca.send(new RejectChannelHandshakeCommand({ catalog: "Sandbox", identifier: hs.id }));
  assert.equal(again.channelHandshakeDetail.status, "REJECTED");
  await assert.rejects(cosell.ca.send(new AcceptChannelHandshakeCommand({ catalog: "Sandbox", identifier: hs.id })), (err) => {
    assert.ok(err instanceof channel.ConflictException, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 409);
    assert.equal(err.resourceId, hs.id);
    assert.equal(err.resourceType, "ChannelHandshake");
    return true;
  });
  const queueB = await eventQueue(cosell.endpoint, cosell.accountB);
  const event = await receiveHandshakeEvent(queueB, "Channel Handshake Rejected", hs.id);
  assert.equal(event.account, cosell.accountB.accountId);

  const second = await sendPMAHandshake(cosell.cb, pma.id);
  await assert.rejects(cosell.ca.send(new CancelChannelHandshakeCommand({ catalog: "Sandbox", identifier: second.id })), channel.AccessDeniedException);
  const canceled = await cosell.cb.send(new CancelChannelHandshakeCommand({ catalog: "Sandbox", identifier: second.id }));
  assert.equal(canceled.channelHandshakeDetail.status, "CANCELED");
  queueB.sqs.destroy();
});

test("errors are camelCase with the model's members", async () => {
  await assert.rejects(cosell.ca.send(new CreateRelationshipCommand({
    catalog: "Sandbox", associationType: "END_CUSTOMER", programManagementAccountIdentifier: "pma-0000000000000",
    associatedAccountId: "12", displayName: "x", sector: "COMMERCIAL",
  })), (err) => {
    assert.ok(err instanceof channel.ValidationException, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.reason, "REQUEST_VALIDATION_FAILED");
    assert.ok(err.fieldList.some((f) => f.name === "associatedAccountId" && f.code && f.message), JSON.stringify(err.fieldList));
    return true;
  });
  await assert.rejects(cosell.ca.send(new GetRelationshipCommand({ catalog: "Sandbox", programManagementAccountIdentifier: "pma-0000000000000", identifier: "rs-0000000000000" })), (err) => {
    assert.ok(err instanceof channel.ResourceNotFoundException, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.equal(err.resourceType, "ProgramManagementAccount");
    return true;
  });
});

test("a service period with an end customer the AWS side answers for", async (t) => {
  if (skipWithoutClock(t)) return;
  const customer = freshAccount();
  const { items } = await cosell.ca.send(new ListProgramManagementAccountsCommand({ catalog: "Sandbox", statuses: ["ACTIVE"] }));
  assert.ok(items.length > 0, "an ACTIVE PMA from the first test");
  const pma = items[0];
  const rel = await cosell.ca.send(new CreateRelationshipCommand({
    catalog: "Sandbox", associationType: "END_CUSTOMER", programManagementAccountIdentifier: pma.arn,
    associatedAccountId: customer, displayName: "Customer Org", sector: "COMMERCIAL",
    requestedSupportPlan: { resoldEnterprise: { coverage: "ENTIRE_ORGANIZATION", tamLocation: "US" } },
  }));
  assert.match(rel.relationshipDetail.id, idPatterns.relationship);
  assert.equal(rel.relationshipDetail.arn, `${pma.arn}/relationship/${rel.relationshipDetail.id}`);

  const hs = await cosell.ca.send(new CreateChannelHandshakeCommand({
    catalog: "Sandbox", handshakeType: "START_SERVICE_PERIOD", associatedResourceIdentifier: rel.relationshipDetail.id,
    payload: { startServicePeriodPayload: { programManagementAccountIdentifier: pma.id, servicePeriodType: "FIXED_COMMITMENT_PERIOD", endDate: new Date("2031-01-01T00:00:00Z"), note: "One year" } },
  }));
  const { status, json } = await awsSide(cosell, "accept", hs.channelHandshakeDetail.id);
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.status, "ACCEPTED");
  assert.equal(json.ownerAccountId, cosell.accountA.accountId);
  assert.equal(json.senderAccountId, pma.accountId);
  assert.equal(json.receiverAccountId, customer);

  const got = await cosell.ca.send(new GetRelationshipCommand({ catalog: "Sandbox", programManagementAccountIdentifier: pma.id, identifier: rel.relationshipDetail.arn }));
  assert.ok(got.relationshipDetail.startDate instanceof Date, "the accepted period starts the relationship");
  assert.equal(got.relationshipDetail.revision, "2");

  const queueA = await eventQueue(cosell.endpoint, cosell.accountA);
  const event = await receiveHandshakeEvent(queueA, "Channel Handshake Accepted", hs.channelHandshakeDetail.id);
  assert.equal(event.detail.handshakeDetail.startServicePeriodHandshakeDetail.servicePeriodType, "FIXED_COMMITMENT_PERIOD");
  assert.equal(event.detail.handshakeDetail.startServicePeriodHandshakeDetail.endDate, "2031-01-01T00:00:00Z");
  queueA.sqs.destroy();
});

test("a handshake nobody answers expires after 15 days by the server clock", async (t) => {
  if (skipWithoutClock(t)) return;
  const pma = await createPMA(cosell.ca, freshAccount());
  const hs = await sendPMAHandshake(cosell.ca, pma.id);
  await cosell.advanceClock("360h");
  const { items } = await cosell.ca.send(new ListChannelHandshakesCommand({ catalog: "Sandbox", handshakeType: "PROGRAM_MANAGEMENT_ACCOUNT", participantType: "SENDER", statuses: ["EXPIRED"] }));
  assert.ok(items.some((h) => h.id === hs.id), "the handshake is EXPIRED");
});

test("updates check the revision; lists page with the SDK's paginator; tags", async () => {
  const pma = await createPMA(cosell.ca, freshAccount(), { displayName: "Before" });
  await assert.rejects(cosell.ca.send(new UpdateProgramManagementAccountCommand({ catalog: "Sandbox", identifier: pma.id, revision: "7", displayName: "Stale" })), channel.ConflictException);
  const up = await cosell.ca.send(new UpdateProgramManagementAccountCommand({ catalog: "Sandbox", identifier: pma.id, revision: "1", displayName: "After" }));
  assert.equal(up.programManagementAccountDetail.revision, "2");

  const seen = [];
  for await (const page of paginateListProgramManagementAccounts({ client: cosell.ca, pageSize: 2 }, { catalog: "Sandbox", sort: { sortBy: "UpdatedAt", sortOrder: "Ascending" } })) {
    assert.ok(page.items.length <= 2);
    seen.push(...page.items.map((p) => p.id));
  }
  assert.equal(new Set(seen).size, seen.length, "no PMA twice");
  assert.equal(seen.at(-1), pma.id, "the most recently updated last in Ascending order");

  await cosell.ca.send(new TagResourceCommand({ resourceArn: pma.arn, tags: [{ key: "team", value: "channel" }] }));
  const { tags } = await cosell.ca.send(new ListTagsForResourceCommand({ resourceArn: pma.arn }));
  assert.deepEqual(tags, [{ key: "team", value: "channel" }]);
  await assert.rejects(cosell.cb.send(new ListTagsForResourceCommand({ resourceArn: pma.arn })), channel.AccessDeniedException);
});
