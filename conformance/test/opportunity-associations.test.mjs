// AssociateOpportunity, DisassociateOpportunity, AssignOpportunity and
// GetAwsOpportunitySummary (semantics.md §2.2, §2.8, §3.7, §5.2).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateOpportunityCommand,
  DisassociateOpportunityCommand,
  AssignOpportunityCommand,
  GetAwsOpportunitySummaryCommand,
  ListSolutionsCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { awsSide, clockControllable } from "../lib/admin.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { sandboxSolutionId, awsProductCodes, marketplaceOfferArn } from "../lib/fixtures.mjs";
import { createOpportunity, getOpportunity } from "../lib/opportunities.mjs";

const cosell = useCosell();

function link(client, id, RelatedEntityType, RelatedEntityIdentifier, catalog = "Sandbox") {
  return client.send(new AssociateOpportunityCommand({ Catalog: catalog, OpportunityIdentifier: id, RelatedEntityType, RelatedEntityIdentifier }));
}

function unlink(client, id, RelatedEntityType, RelatedEntityIdentifier, catalog = "Sandbox") {
  return client.send(new DisassociateOpportunityCommand({ Catalog: catalog, OpportunityIdentifier: id, RelatedEntityType, RelatedEntityIdentifier }));
}

/** Asserts `promise` is refused with one of `names` (used where semantics.md marks the exception NOT FOUND). */
async function refusedWithOneOf(promise, names) {
  await assert.rejects(promise, (err) => {
    assert.ok(names.includes(err.name), `expected one of ${names.join(", ")}, got ${err.name}: ${err.message}`);
    return true;
  });
}

test("the Sandbox solution S-1234567 can be associated and shows in RelatedEntityIdentifiers", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const out = await link(cosell.a, id, "Solutions", sandboxSolutionId);
  assert.equal(out.$metadata.httpStatusCode, 200);
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.deepEqual(got.RelatedEntityIdentifiers.Solutions, [sandboxSolutionId]);
});

test("an unknown solution cannot be associated", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  // Which exception: NOT FOUND in semantics.md.
  await refusedWithOneOf(link(cosell.a, id, "Solutions", "S-9999999"), ["ResourceNotFoundException", "ValidationException"]);
  assert.deepEqual((await getOpportunity(cosell.a, "Sandbox", id)).RelatedEntityIdentifiers.Solutions, []);
});

test("a solution from the Sandbox catalog is not visible in catalog AWS", async () => {
  const { SolutionSummaries } = await cosell.a.send(new ListSolutionsCommand({ Catalog: "AWS", Identifier: [sandboxSolutionId] }));
  assert.deepEqual(SolutionSummaries, []);
});

test("AWS products: up to 20 per opportunity", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  for (const code of awsProductCodes.slice(0, 20)) await link(cosell.a, id, "AwsProducts", code);
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.deepEqual([...got.RelatedEntityIdentifiers.AwsProducts].sort(), awsProductCodes.slice(0, 20).sort());
  // Exception for an exceeded association quota: NOT FOUND in semantics.md (§5.2).
  await refusedWithOneOf(link(cosell.a, id, "AwsProducts", awsProductCodes[20]), ["ValidationException", "ServiceQuotaExceededException"]);
});

/** Account A's active Sandbox solutions, at most 11; on cosell, AWS's side lists more until there are 11. */
async function elevenActiveSolutions() {
  const list = () => cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", Status: ["Active"], MaxResults: 11 }));
  let { SolutionSummaries } = await list();
  if (clockControllable && SolutionSummaries.length < 11) {
    for (let i = SolutionSummaries.length; i < 11; i++) {
      await awsSide(cosell.endpoint, cosell.adminToken, "POST", "solutions", {
        catalog: "Sandbox", account: cosell.accountA.accountId, name: `Limit test solution ${i}`, category: "Software Products",
      });
    }
    ({ SolutionSummaries } = await list());
  }
  return SolutionSummaries;
}

test("partner solutions: up to 10 per opportunity", async (t) => {
  const SolutionSummaries = await elevenActiveSolutions();
  if (SolutionSummaries.length < 11) {
    t.skip(`needs 11 active Sandbox solutions, the account has ${SolutionSummaries.length}`);
    return;
  }
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  for (const s of SolutionSummaries.slice(0, 10)) await link(cosell.a, id, "Solutions", s.Id);
  await refusedWithOneOf(link(cosell.a, id, "Solutions", SolutionSummaries[10].Id), ["ValidationException", "ServiceQuotaExceededException"]);
});

test("AWS Marketplace: one private offer per opportunity", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await link(cosell.a, id, "AwsMarketplaceOffers", marketplaceOfferArn(1));
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.deepEqual(got.RelatedEntityIdentifiers.AwsMarketplaceOffers, [marketplaceOfferArn(1)]);
  await refusedWithOneOf(link(cosell.a, id, "AwsMarketplaceOffers", marketplaceOfferArn(2)), ["ValidationException", "ServiceQuotaExceededException"]);
});

test("an offer identifier that is not a Marketplace offer ARN is refused", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await rejectsWith(link(cosell.a, id, "AwsMarketplaceOffers", "offer-not-an-arn"), "ValidationException");
});

test("DisassociateOpportunity removes exactly the named association", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await link(cosell.a, id, "Solutions", sandboxSolutionId);
  await link(cosell.a, id, "AwsProducts", awsProductCodes[0]);
  await link(cosell.a, id, "AwsProducts", awsProductCodes[1]);

  const out = await unlink(cosell.a, id, "AwsProducts", awsProductCodes[0]);
  assert.equal(out.$metadata.httpStatusCode, 200);
  let got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.deepEqual(got.RelatedEntityIdentifiers.AwsProducts, [awsProductCodes[1]]);
  assert.deepEqual(got.RelatedEntityIdentifiers.Solutions, [sandboxSolutionId]);

  await unlink(cosell.a, id, "Solutions", sandboxSolutionId);
  got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.deepEqual(got.RelatedEntityIdentifiers.Solutions, []);
});

test("disassociating something that is not associated is refused", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  // Which exception: NOT FOUND in semantics.md.
  await refusedWithOneOf(unlink(cosell.a, id, "Solutions", sandboxSolutionId), ["ResourceNotFoundException", "ValidationException"]);
});

test("another account cannot associate with or disassociate from the opportunity", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await rejectsWith(link(cosell.b, id, "Solutions", sandboxSolutionId), "ResourceNotFoundException");
  await link(cosell.a, id, "Solutions", sandboxSolutionId);
  await rejectsWith(unlink(cosell.b, id, "Solutions", sandboxSolutionId), "ResourceNotFoundException");
});

test("AssignOpportunity makes the assignee the opportunity's owner", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const assignee = { Email: "john.doe@partner.example", FirstName: "John", LastName: "Doe", BusinessTitle: "PartnerAccountManager" };
  const out = await cosell.a.send(new AssignOpportunityCommand({ Catalog: "Sandbox", Identifier: id, Assignee: assignee }));
  assert.equal(out.$metadata.httpStatusCode, 200);
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  const member = (got.OpportunityTeam ?? []).find((m) => m.Email === assignee.Email);
  assert.ok(member, `the assignee is on the team: ${JSON.stringify(got.OpportunityTeam)}`);
  assert.equal(member.FirstName, "John");
  assert.equal(member.LastName, "Doe");
});

test("AssignOpportunity validates the assignee and the owner account", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const assignee = { Email: "john.doe@partner.example", FirstName: "John", LastName: "Doe", BusinessTitle: "PartnerAccountManager" };
  await rejectsWith(
    cosell.a.send(new AssignOpportunityCommand({ Catalog: "Sandbox", Identifier: id, Assignee: { ...assignee, Email: "not an email" } })),
    "ValidationException",
    { reason: "REQUEST_VALIDATION_FAILED", field: /email/i },
  );
  await rejectsWith(cosell.b.send(new AssignOpportunityCommand({ Catalog: "Sandbox", Identifier: id, Assignee: assignee })), "ResourceNotFoundException");
});

test("GetAwsOpportunitySummary before AWS acts names the opportunity and nothing from AWS's side", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const summary = await cosell.a.send(new GetAwsOpportunitySummaryCommand({ Catalog: "Sandbox", RelatedOpportunityIdentifier: id }));
  assert.equal(summary.RelatedOpportunityId, id);
  assert.equal(summary.Catalog, "Sandbox");
  assert.equal(summary.LifeCycle ?? undefined, undefined);
  assert.equal(summary.Insights ?? undefined, undefined);
  assert.equal(summary.InvolvementTypeChangeReason ?? undefined, undefined);
  assert.deepEqual(summary.OpportunityTeam ?? [], []);
});

test("GetAwsOpportunitySummary is private to the owner", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await rejectsWith(
    cosell.b.send(new GetAwsOpportunitySummaryCommand({ Catalog: "Sandbox", RelatedOpportunityIdentifier: id })),
    "ResourceNotFoundException",
  );
});
