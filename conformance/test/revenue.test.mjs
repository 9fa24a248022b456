// Revenue Measurement over smithy-rpc-v2-cbor with the official JS client:
// attributions and their revisions, allocation tasks, Marketplace revenue
// shares, tags (semantics-2026.md §5), and the protocol's own errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cbor } from "@smithy/core/cbor";
import {
  CreateRevenueAttributionCommand,
  GetRevenueAttributionCommand,
  UpdateRevenueAttributionCommand,
  ListRevenueAttributionsCommand,
  StartRevenueAttributionAllocationsTaskCommand,
  GetRevenueAttributionAllocationsTaskCommand,
  GetRevenueAttributionAllocationCommand,
  ListRevenueAttributionAllocationsCommand,
  CreateMarketplaceRevenueShareCommand,
  GetMarketplaceRevenueShareCommand,
  ListMarketplaceRevenueSharesCommand,
  CreateMarketplaceRevenueShareAllocationCommand,
  GetMarketplaceRevenueShareAllocationCommand,
  UpdateMarketplaceRevenueShareAllocationCommand,
  ListMarketplaceRevenueShareAllocationsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-partnercentral-revenue-measurement";
import { useCosell } from "../lib/suite.mjs";
import { revenueClient } from "../lib/clients.mjs";
import { skipWithoutClock, awsSide } from "../lib/admin.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { signedPost } from "../lib/raw.mjs";

const cosell = useCosell((ctx) => {
  ctx.rm = revenueClient(ctx.endpoint, ctx.accountA);
  ctx.rmB = revenueClient(ctx.endpoint, ctx.accountB);
});

const unique = (prefix) => `${prefix} ${Date.now()} ${Math.random().toString(36).slice(2, 8)}`;

// The first of the current month and the last of the next, by the server clock.
async function months() {
  const now = await cosell.readClock();
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const day = (d) => d.toISOString().slice(0, 10);
  return { thisMonth: day(new Date(Date.UTC(y, m, 1))), endOfNext: day(new Date(Date.UTC(y, m + 2, 0))), nextMonth: day(new Date(Date.UTC(y, m + 1, 1))) };
}

test("an attribution is created at revision 1, updated to 2, and revision 1 stays readable", async () => {
  const name = unique("Deal");
  const created = await cosell.rm.send(new CreateRevenueAttributionCommand({ Catalog: "Sandbox", Name: name, TenancyModel: "MULTI_TENANT", Description: "first" }));
  assert.match(created.Id, /^ra-[a-z0-9]{13}$/);
  assert.equal(created.Revision, "1");
  await rejectsWith(cosell.rm.send(new CreateRevenueAttributionCommand({ Catalog: "Sandbox", Name: name, TenancyModel: "SINGLE_TENANT" })), "ConflictException", { reason: "RESOURCE_ALREADY_EXISTS" });
  await rejectsWith(
    cosell.rm.send(new UpdateRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: created.Id, Revision: "7", Description: "x" })),
    "ConflictException",
    { reason: "REVISION_MISMATCH" },
  );
  const updated = await cosell.rm.send(new UpdateRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: created.Arn, Revision: "1", Description: "second" }));
  assert.equal(updated.LatestRevision, "2");
  assert.ok(updated.LastModifiedDate instanceof Date);

  const latest = await cosell.rm.send(new GetRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: created.Id }));
  assert.equal(latest.Description, "second");
  assert.ok(latest.CreatedDate instanceof Date && latest.LastModifiedDate >= latest.CreatedDate);
  const first = await cosell.rm.send(new GetRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: created.Id, Revision: "1" }));
  assert.deepEqual([first.Description, first.Revision, first.LatestRevision], ["first", "1", "2"]);

  // Another account sees nothing of it.
  await rejectsWith(cosell.rmB.send(new GetRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: created.Id })), "ResourceNotFoundException", { reason: "RESOURCE_NOT_FOUND" });
  await rejectsWith(cosell.rmB.send(new GetRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: created.Arn })), "AccessDeniedException", { reason: "ACCESS_DENIED" });

  // Timestamps travel as CBOR tag 1 both ways.
  const listed = await cosell.rm.send(new ListRevenueAttributionsCommand({ Catalog: "Sandbox", CreatedAfter: new Date(first.CreatedDate.getTime() - 1), Identifiers: [created.Id] }));
  assert.deepEqual(listed.RevenueAttributionSummaries.map((s) => s.Id), [created.Id]);
  const none = await cosell.rm.send(new ListRevenueAttributionsCommand({ Catalog: "Sandbox", CreatedAfter: new Date(first.CreatedDate.getTime() + 1), Identifiers: [created.Id] }));
  assert.deepEqual(none.RevenueAttributionSummaries ?? [], []);
});

test("model violations answer ValidationException with a FieldList, as the model shapes it", async () => {
  const err = await rejectsWith(cosell.rm.send(new GetRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: "nope" })), "ValidationException", { reason: "REQUEST_VALIDATION_FAILED" });
  assert.equal(err.$metadata.httpStatusCode, 400);
  assert.deepEqual(err.FieldList.map((f) => [f.Name, f.Code]), [["identifier", "INVALID_STRING_FORMAT"]]);
});

test("an allocation task runs asynchronously: IN_PROGRESS, then COMPLETE with a new revision; over 100 % it FAILS as a whole", async (t) => {
  if (skipWithoutClock(t)) return;
  const { thisMonth, endOfNext, nextMonth } = await months();
  const ra = await cosell.rm.send(new CreateRevenueAttributionCommand({ Catalog: "Sandbox", Name: unique("Task"), TenancyModel: "SINGLE_TENANT" }));
  const record = (percent, from = thisMonth) => ({
    Action: "CREATE", EntityType: "OFFER", EntityIdentifier: "offer-1234567890abc", CustomerAwsAccountId: "123456789012",
    RevenueSharePercent: percent, EffectiveFrom: from, EffectiveUntil: endOfNext,
  });
  const started = await cosell.rm.send(new StartRevenueAttributionAllocationsTaskCommand({
    Catalog: "Sandbox", RevenueAttributionIdentifier: ra.Id, RevenueAttributionRevision: "1", RevenueShareAllocations: [record("60"), record("40")],
  }));
  assert.equal(started.Status, "IN_PROGRESS");
  assert.equal(started.TotalRevenueAttributionAllocationRecords, 2);
  assert.ok(started.StartedAt instanceof Date);
  const poll = () => cosell.rm.send(new GetRevenueAttributionAllocationsTaskCommand({ Catalog: "Sandbox", RevenueAttributionIdentifier: ra.Id }));
  await cosell.advanceClock("3s");
  const done = await poll();
  assert.equal(done.TaskId, started.TaskId);
  assert.equal(done.Status, "COMPLETE");
  assert.equal(done.RevenueAttributionLatestRevision, "2");

  const allocations = await cosell.rm.send(new ListRevenueAttributionAllocationsCommand({ Catalog: "Sandbox", RevenueAttributionIdentifier: ra.Id }));
  assert.deepEqual(allocations.RevenueAttributionAllocationSummaries.map((a) => a.RevenueSharePercent).sort(), ["40", "60"]);
  const one = await cosell.rm.send(new GetRevenueAttributionAllocationCommand({
    Catalog: "Sandbox", RevenueAttributionIdentifier: ra.Id, RevenueAttributionAllocationId: allocations.RevenueAttributionAllocationSummaries[0].RevenueAttributionAllocationId,
  }));
  assert.equal(one.RevenueAttributionRevision, "2");
  assert.ok(one.CreatedDate instanceof Date);

  await cosell.rm.send(new StartRevenueAttributionAllocationsTaskCommand({
    Catalog: "Sandbox", RevenueAttributionIdentifier: ra.Id, RevenueAttributionRevision: "2", RevenueShareAllocations: [record("5", nextMonth)],
  }));
  await cosell.advanceClock("3s");
  const failed = await poll();
  assert.equal(failed.Status, "FAILED");
  assert.equal(failed.RevenueAttributionLatestRevision, undefined);
  assert.deepEqual(failed.ErrorDetailList.map((e) => e.ErrorCode), ["ALLOCATION_CAP_EXCEEDED"]);
  const after = await cosell.rm.send(new GetRevenueAttributionCommand({ Catalog: "Sandbox", Identifier: ra.Id }));
  assert.equal(after.LatestRevision, "2");
  assert.equal(after.TotalActiveRevenueAttributionAllocationCount, 2);
});

test("a revenue share is one per owned product; its allocations never overlap and make revisions", async (t) => {
  if (skipWithoutClock(t)) return;
  const { thisMonth, nextMonth, endOfNext } = await months();
  const product = await awsSide(cosell.endpoint, cosell.adminToken, "POST", "revenue/products", { account: cosell.accountA.accountId, catalog: "Sandbox", name: "Widget" });
  assert.match(product.id, /^prod-[a-z0-9]{13}$/);
  await rejectsWith(cosell.rmB.send(new CreateMarketplaceRevenueShareCommand({ Catalog: "Sandbox", ProductId: product.id })), "ValidationException", { reason: "BUSINESS_VALIDATION_FAILED" });
  const share = await cosell.rm.send(new CreateMarketplaceRevenueShareCommand({ Catalog: "Sandbox", ProductId: product.id, Tags: [{ Key: "team", Value: "a" }] }));
  assert.equal(share.Revision, 1); // an integer, where allocation revisions are strings
  assert.equal(share.ProductName, "Widget");
  await rejectsWith(cosell.rm.send(new CreateMarketplaceRevenueShareCommand({ Catalog: "Sandbox", ProductId: product.id })), "ConflictException", { reason: "RESOURCE_ALREADY_EXISTS" });

  const alloc = await cosell.rm.send(new CreateMarketplaceRevenueShareAllocationCommand({ Catalog: "Sandbox", ProductId: product.id, EffectiveFrom: thisMonth, RevenueSharePercent: "30" }));
  assert.equal(alloc.Status, "ACTIVE");
  assert.equal(alloc.EffectiveUntil, undefined);
  assert.equal(alloc.LatestMarketplaceRevenueShareRevision, "2");
  await rejectsWith(
    cosell.rm.send(new CreateMarketplaceRevenueShareAllocationCommand({ Catalog: "Sandbox", ProductId: product.id, EffectiveFrom: nextMonth, EffectiveUntil: endOfNext, RevenueSharePercent: "10" })),
    "ValidationException",
    { reason: "BUSINESS_VALIDATION_FAILED" },
  );
  await rejectsWith(
    cosell.rm.send(new UpdateMarketplaceRevenueShareAllocationCommand({ Catalog: "Sandbox", ProductId: product.id, MarketplaceRevenueShareAllocationId: alloc.MarketplaceRevenueShareAllocationId, MarketplaceRevenueShareRevision: "2", RevenueSharePercent: "31" })),
    "ValidationException",
  );
  const ended = await cosell.rm.send(new UpdateMarketplaceRevenueShareAllocationCommand({
    Catalog: "Sandbox", ProductId: product.id, MarketplaceRevenueShareAllocationId: alloc.MarketplaceRevenueShareAllocationId, MarketplaceRevenueShareRevision: "2",
    EffectiveUntil: endOfNext,
  }));
  assert.equal(ended.EffectiveUntil, endOfNext);

  const got = await cosell.rm.send(new GetMarketplaceRevenueShareCommand({ Catalog: "Sandbox", ProductId: product.id }));
  assert.deepEqual([got.Revision, got.LatestRevision, got.TotalActiveMarketplaceRevenueShareAllocationCount], [3, 3, 1]);
  const then = await cosell.rm.send(new GetMarketplaceRevenueShareAllocationCommand({
    Catalog: "Sandbox", ProductId: product.id, MarketplaceRevenueShareAllocationId: alloc.MarketplaceRevenueShareAllocationId, MarketplaceRevenueShareRevision: "2",
  }));
  assert.equal(then.EffectiveUntil, undefined);
  const list = await cosell.rm.send(new ListMarketplaceRevenueShareAllocationsCommand({ Catalog: "Sandbox", ProductId: product.id, Status: "ACTIVE" }));
  assert.equal(list.MarketplaceRevenueShareAllocationSummaries.length, 1);
  const shares = await cosell.rm.send(new ListMarketplaceRevenueSharesCommand({ Catalog: "Sandbox", ProductIds: [product.id] }));
  assert.deepEqual(shares.MarketplaceRevenueShareSummaries.map((s) => s.LatestRevision), [3]);

  // Tags on the share's ARN; TagResource and UntagResource answer no body.
  const tagged = await cosell.rm.send(new TagResourceCommand({ resourceArn: share.Arn, tags: [{ Key: "env", Value: "test" }] }));
  assert.equal(tagged.$metadata.httpStatusCode, 200);
  await cosell.rm.send(new UntagResourceCommand({ resourceArn: share.Arn, tagKeys: ["team"] }));
  const tags = await cosell.rm.send(new ListTagsForResourceCommand({ resourceArn: share.Arn }));
  assert.deepEqual(tags.tags, [{ Key: "env", Value: "test" }]);
});

test("protocol errors are the protocol's: CBOR bodies with __type, never a 5xx", async () => {
  const path = "/service/PartnerCentralRevenueMeasurement/operation/ListRevenueAttributions";
  const send = (body, headers) => signedPost(cosell.endpoint, path, body, { who: cosell.accountA, service: "partnercentral", headers });
  const cborHeaders = { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor", accept: "application/cbor" };
  const decode = (res) => cbor.deserialize(res.bytes);

  const ok = await send(new Uint8Array([0xa1, 0x67, ...new TextEncoder().encode("Catalog"), 0x67, ...new TextEncoder().encode("Sandbox")]), cborHeaders);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("smithy-protocol"), "rpc-v2-cbor");

  const cases = [
    ["truncated CBOR", new Uint8Array([0xa1, 0x67]), cborHeaders, 400, "com.amazon.coral.service#SerializationException"],
    ["X-Amz-Target", new Uint8Array([0xa0]), { ...cborHeaders, "x-amz-target": "PartnerCentralRevenueMeasurement.ListRevenueAttributions" }, 400, "com.amazon.coral.service#UnknownOperationException"],
    ["no smithy-protocol", new Uint8Array([0xa0]), { "content-type": "application/cbor" }, 400, "com.amazon.coral.service#UnknownOperationException"],
    ["JSON body", '{"Catalog":"Sandbox"}', { ...cborHeaders, "content-type": "application/json" }, 400, "com.amazon.coral.service#SerializationException"],
    ["missing Catalog", new Uint8Array([0xa0]), cborHeaders, 400, "com.amazonaws.partnercentralrevenuemeasurement#ValidationException"],
  ];
  for (const [name, body, headers, status, type] of cases) {
    const res = await send(body, headers);
    assert.equal(res.status, status, name);
    assert.equal(res.headers.get("content-type"), "application/cbor", name);
    assert.equal(decode(res).__type, type, name);
  }
  const wrongPath = await signedPost(cosell.endpoint, "/service/PartnerCentralRevenueMeasurement/operation/DropEverything", new Uint8Array([0xa0]), {
    who: cosell.accountA, service: "partnercentral", headers: cborHeaders,
  });
  assert.equal(wrongPath.status, 404);
  assert.equal(decode(wrongPath).__type, "com.amazon.coral.service#UnknownOperationException");
});
