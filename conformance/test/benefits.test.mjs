// The Benefits API with the official JS client: the catalog, an
// application's lifecycle driven from both sides (the partner's SDK and
// cosell's AWS side), allocations and their expiry, errors in the model's
// shapes, tags (semantics-2026 §3). Tests that need AWS's side or the
// clock are skipped against a real endpoint.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  ListBenefitsCommand,
  GetBenefitCommand,
  CreateBenefitApplicationCommand,
  GetBenefitApplicationCommand,
  UpdateBenefitApplicationCommand,
  ListBenefitApplicationsCommand,
  SubmitBenefitApplicationCommand,
  AmendBenefitApplicationCommand,
  RecallBenefitApplicationCommand,
  CancelBenefitApplicationCommand,
  AssociateBenefitApplicationResourceCommand,
  DisassociateBenefitApplicationResourceCommand,
  GetBenefitAllocationCommand,
  ListBenefitAllocationsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-partnercentral-benefits";
import * as sdk from "@aws-sdk/client-partnercentral-benefits";
import { benefitsOperations } from "../lib/model.mjs";
import { useCosell } from "../lib/suite.mjs";
import { skipWithoutClock, eventLog } from "../lib/admin.mjs";
import { clientToken } from "../lib/fixtures.mjs";
import { createOpportunity } from "../lib/opportunities.mjs";
import { benefitsClient, benefitOf, reviewApplication, pocDetails } from "../lib/benefits.mjs";

let a, b;
const cosell = useCosell((ctx) => {
  a = benefitsClient(ctx.endpoint, ctx.accountA);
  b = benefitsClient(ctx.endpoint, ctx.accountB);
});
after(() => {
  a?.destroy();
  b?.destroy();
});

async function rejects(promise, name) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    assert.ok(err.$metadata?.requestId);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

async function createPoc(details = pocDetails, extra = {}) {
  const BenefitIdentifier = await benefitOf(a, "Sandbox", "POC");
  return a.send(new CreateBenefitApplicationCommand({ Catalog: "Sandbox", ClientToken: clientToken(), Name: "POC for Example Corp", BenefitIdentifier, BenefitApplicationDetails: details, ...extra }));
}

const get = (id) => a.send(new GetBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: id }));

test("the catalog lists benefits with their request schemas", async () => {
  const { BenefitSummaries } = await a.send(new ListBenefitsCommand({ Catalog: "Sandbox", MaxResults: 100 }));
  assert.ok(BenefitSummaries.length > 0);
  for (const s of BenefitSummaries) {
    assert.match(s.Id, /^ben-[0-9a-z]{14}$/);
    assert.ok(["ACTIVE", "INACTIVE"].includes(s.Status));
  }
  const got = await a.send(new GetBenefitCommand({ Catalog: "Sandbox", Identifier: BenefitSummaries[0].Id }));
  assert.equal(got.Id, BenefitSummaries[0].Id);
  assert.equal(typeof got.BenefitRequestSchema, "object", "the schema is a document");
  await rejects(a.send(new GetBenefitCommand({ Catalog: "Sandbox", Identifier: "ben-zzzzzzzzzzzzzz" })), "ResourceNotFoundException");
});

test("apply, submit, action required, amend and resubmit, approve, allocation, expiry", async (t) => {
  if (skipWithoutClock(t)) return;
  const account = cosell.accountA.accountId;
  const before = (await eventLog(cosell.endpoint, cosell.adminToken, account)).at(-1)?.seq ?? 0;
  const created = await createPoc();
  assert.match(created.Id, /^benappl-[0-9a-z]{14}$/);
  assert.equal(created.Arn, `arn:aws:partnercentral:us-east-1:${account}:catalog/Sandbox/benefit-application/${created.Id}`);
  await a.send(new SubmitBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: created.Id }));
  assert.equal((await get(created.Id)).Status, "IN_REVIEW");

  await reviewApplication(cosell, "Sandbox", account, created.Id, { decision: "ACTION_REQUIRED", reason: "Use the POC account.", reasonCodes: ["Checklist Incomplete"] });
  const held = await get(created.Id);
  assert.equal(held.Status, "ACTION_REQUIRED");
  assert.deepEqual(held.StatusReasonCodes, ["Checklist Incomplete"]);
  assert.ok(held.UpdatedAt instanceof Date);

  await a.send(new AmendBenefitApplicationCommand({
    Catalog: "Sandbox", ClientToken: clientToken(), Identifier: created.Id, Revision: held.Revision, AmendmentReason: "Reviewer request",
    Amendments: [{ FieldPath: "$.AccountId", NewValue: "210987654321" }],
  }));
  await a.send(new SubmitBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: created.Id }));
  assert.equal((await get(created.Id)).BenefitApplicationDetails.AccountId, "210987654321");

  const approved = await reviewApplication(cosell, "Sandbox", account, created.Id, { decision: "APPROVED" });
  assert.equal((await get(created.Id)).Status, "APPROVED");
  const [allocId] = approved.allocations;
  const alloc = await a.send(new GetBenefitAllocationCommand({ Catalog: "Sandbox", Identifier: allocId }));
  assert.equal(alloc.Status, "ACTIVE");
  assert.equal(alloc.BenefitApplicationId, created.Id);
  assert.equal(alloc.FulfillmentDetail.CreditDetails.Codes[0].AwsAccountId, "210987654321");
  assert.ok(alloc.ExpiresAt instanceof Date);
  const { BenefitAllocationSummaries } = await a.send(new ListBenefitAllocationsCommand({ Catalog: "Sandbox", BenefitApplicationIdentifiers: [created.Id] }));
  assert.deepEqual(BenefitAllocationSummaries.map((s) => s.Id), [allocId]);

  await cosell.advanceClock("2400h"); // past the POC benefit's 90 days
  const expired = await a.send(new GetBenefitAllocationCommand({ Catalog: "Sandbox", Identifier: alloc.Arn }));
  assert.equal(expired.Status, "INACTIVE");

  const events = (await eventLog(cosell.endpoint, cosell.adminToken, account, before)).filter((e) => e.source === "aws.partnercentral-benefits");
  assert.deepEqual(events.map((e) => e["detail-type"]), [
    "Benefit Application Created", "Benefit Application In Review", "Benefit Application Action Required", "Benefit Application In Review",
    "Benefit Application Approved", "Benefit Allocation Activated", "Benefit Allocation Inactivated",
  ]);
  assert.equal(events[2].detail.benefitApplication.status, "ACTION_REQUIRED");
  assert.equal(events[2].detail.benefitApplication.stage, "BUSINESS_REVIEW");
  assert.deepEqual(events[5].resources, [alloc.Arn]);
});

test("drafts are updated whole under their revision; recall and cancel follow the status", async () => {
  const created = await createPoc({ CustomerName: "Draft Corp" });
  const token = clientToken();
  const update = (Revision, Token = token) => a.send(new UpdateBenefitApplicationCommand({
    Catalog: "Sandbox", ClientToken: Token, Identifier: created.Id, Revision, BenefitApplicationDetails: pocDetails,
  }));
  const updated = await update(created.Revision);
  assert.notEqual(updated.Revision, created.Revision);
  assert.equal((await update(created.Revision)).Revision, updated.Revision, "a retry with the same token answers the same");
  await rejects(update(created.Revision, clientToken()), "ConflictException");
  assert.equal((await get(created.Id)).Name, undefined, "a full replace drops the Name it was not given");

  await a.send(new SubmitBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: created.Id }));
  await a.send(new RecallBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: created.Id, Reason: "Wrong customer" }));
  assert.equal((await get(created.Id)).Status, "PENDING_SUBMISSION");
  await a.send(new CancelBenefitApplicationCommand({ Catalog: "Sandbox", ClientToken: clientToken(), Identifier: created.Id, Reason: "Not needed" }));
  assert.equal((await get(created.Id)).Status, "CANCELED");
  const err = await rejects(a.send(new SubmitBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: created.Id })), "ValidationException");
  assert.equal(err.Reason, "BUSINESS_VALIDATION_FAILED");
  assert.equal(err.FieldList[0].Code, "INVALID_RESOURCE_STATE");
});

test("errors carry the Benefits model's shapes", async () => {
  const created = await createPoc({ CustomerName: "Incomplete Corp" });
  const err = await rejects(a.send(new SubmitBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: created.Id })), "ValidationException");
  assert.equal(err.Reason, "BUSINESS_VALIDATION_FAILED");
  assert.ok(err.FieldList.some((f) => f.Code === "REQUIRED_FIELD_MISSING" && /AccountId/.test(f.Name)), JSON.stringify(err.FieldList));
  assert.equal(err.$metadata.httpStatusCode, 400);

  const bad = await rejects(a.send(new GetBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: "not-an-id" })), "ValidationException");
  assert.equal(bad.Reason, "fieldValidationFailed");
  const missing = await rejects(b.send(new GetBenefitApplicationCommand({ Catalog: "Sandbox", Identifier: created.Id })), "ResourceNotFoundException");
  assert.equal(missing.$metadata.httpStatusCode, 404);
  const denied = await rejects(b.send(new ListTagsForResourceCommand({ resourceArn: created.Arn })), "AccessDeniedException");
  assert.equal(denied.$metadata.httpStatusCode, 403);
});

test("associated resources: the caller's own opportunity, listed and removed; another account's is denied", async () => {
  const { id: opportunityId } = await createOpportunity(cosell.a, "Sandbox");
  const { id: theirs } = await createOpportunity(cosell.b, "Sandbox");
  const arn = (account, id) => `arn:aws:partnercentral:us-east-1:${account}:catalog/Sandbox/opportunity/${id}`;
  const created = await createPoc(pocDetails, { AssociatedResources: [arn(cosell.accountA.accountId, opportunityId)] });
  const { BenefitApplicationSummaries } = await a.send(new ListBenefitApplicationsCommand({
    Catalog: "Sandbox", AssociatedResources: [{ ResourceType: "OPPORTUNITY", ResourceIdentifier: opportunityId }],
  }));
  assert.deepEqual(BenefitApplicationSummaries.map((s) => s.Id), [created.Id]);
  await rejects(a.send(new AssociateBenefitApplicationResourceCommand({
    Catalog: "Sandbox", BenefitApplicationIdentifier: created.Id, ResourceArn: arn(cosell.accountB.accountId, theirs),
  })), "AccessDeniedException");
  const out = await a.send(new DisassociateBenefitApplicationResourceCommand({
    Catalog: "Sandbox", BenefitApplicationIdentifier: created.Id, ResourceArn: arn(cosell.accountA.accountId, opportunityId),
  }));
  assert.equal(out.Id, created.Id);
  assert.equal((await get(created.Id)).AssociatedResources, undefined);
});

test("tags on an application", async () => {
  const created = await createPoc(pocDetails, { Tags: [{ Key: "team", Value: "emea" }] });
  await a.send(new TagResourceCommand({ resourceArn: created.Arn, tags: [{ Key: "cost", Value: "42" }] }));
  await a.send(new UntagResourceCommand({ resourceArn: created.Arn, tagKeys: ["team"] }));
  const { tags } = await a.send(new ListTagsForResourceCommand({ resourceArn: created.Arn }));
  assert.deepEqual(tags, [{ Key: "cost", Value: "42" }]);
});

// Every modelled operation answers with a result or a modelled exception
// the SDK names; none is left unimplemented.
test("every benefits operation gives a clear answer", async (t) => {
  const modelled = new Set(Object.values(sdk).filter((v) => typeof v === "function" && v.prototype instanceof sdk.PartnerCentralBenefitsServiceException).map((v) => v.name));
  assert.equal(benefitsOperations.length, 17);
  for (const op of benefitsOperations) {
    const Command = sdk[`${op}Command`];
    assert.ok(Command, `the SDK has ${op}Command`);
    await t.test(op, async () => {
      try {
        await b.send(new Command({ Catalog: "Sandbox" }));
      } catch (err) {
        assert.ok(err.$metadata?.requestId, `${op}: ${err.name} has a request id (${err.message})`);
        assert.ok(modelled.has(err.name), `${op}: ${err.name} (${err.$metadata?.httpStatusCode}) is a modelled exception: ${err.message}`);
      }
    });
  }
});
