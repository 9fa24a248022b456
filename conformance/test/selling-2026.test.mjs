// The Selling API as the 2026-08 model and @aws-sdk/client-partnercentral-selling
// 3.1124.0 have it (semantics-2026.md §1): prospecting tasks, deal sizing,
// Marketplace listing associations, AWS's scoring on the summary, lead
// insights and invitation enrichment, and the loosened leads and engagements.
// Each shape change has a request AWS now accepts and one it refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  StartProspectingFromEngagementTaskCommand,
  GetProspectingFromEngagementTaskCommand,
  ListProspectingFromEngagementTasksCommand,
  CreateEngagementCommand,
  CreateEngagementContextCommand,
  AssociateOpportunityCommand,
  ListSolutionsCommand,
  GetAwsOpportunitySummaryCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { skipWithoutClock, awsSide } from "../lib/admin.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { clientToken, uniqueSuffix, sandboxSolutionId } from "../lib/fixtures.mjs";
import { createOpportunity, getOpportunity, updateOpportunity } from "../lib/opportunities.mjs";
import { createEngagement, getEngagement, leadContext, getInvitation, eventually, engagementIdPattern } from "../lib/engagements.mjs";

const cosell = useCosell();
const aws = (method, path, body, options) => awsSide(cosell.endpoint, cosell.adminToken, method, path, body, options);

const prospectingTaskIdPattern = /^task-[0-9a-z]{14}$/;

function startProspecting(client, identifiers, { name = `Batch ${uniqueSuffix()}`, token = clientToken() } = {}) {
  return client.send(new StartProspectingFromEngagementTaskCommand({ Catalog: "Sandbox", Identifiers: identifiers, TaskName: name, ClientToken: token }));
}

const getProspecting = (client, id) => client.send(new GetProspectingFromEngagementTaskCommand({ Catalog: "Sandbox", TaskIdentifier: id }));

test("a prospecting task runs PENDING to done and adds a ProspectingResult context per enriched engagement", async () => {
  const lead = await createEngagement(cosell.a, "Sandbox", { contexts: [leadContext({ companyName: `Prospect Corp ${uniqueSuffix()}` })] });
  const bare = await createEngagement(cosell.a, "Sandbox", { contexts: null });
  const token = clientToken();
  const name = `Enrich ${uniqueSuffix()}`;
  const started = await startProspecting(cosell.a, [lead.id, bare.id], { name, token });
  assert.equal(started.TaskStatus, "PENDING");
  assert.match(started.TaskId, prospectingTaskIdPattern);
  assert.equal(started.TaskArn, `arn:aws:partnercentral-selling:us-east-1::catalog/Sandbox/prospecting-from-engagement-task/${started.TaskId}`);
  assert.deepEqual(started.Identifiers, [lead.id, bare.id]);
  assert.equal(started.TaskName, name);
  const replay = await startProspecting(cosell.a, [lead.id, bare.id], { name, token });
  assert.equal(replay.TaskId, started.TaskId, "the same ClientToken answers the same task");

  const done = await eventually(async () => {
    const t = await getProspecting(cosell.a, started.TaskId);
    if (!t.EndTime) throw new Error(`still running: ${JSON.stringify(t.Engagements)}`);
    return t;
  }, { timeoutMs: 20000, intervalMs: 250 });
  const [enriched, failed] = done.Engagements;
  assert.equal(enriched.EngagementIdentifier, lead.id);
  assert.equal(enriched.Status, "COMPLETED");
  assert.ok(enriched.EngagementContextId, "a completed engagement names its new context");
  assert.equal(failed.Status, "FAILED");
  assert.ok(failed.ReasonCode && failed.Message, "a failed engagement says why");
  assert.equal(failed.EngagementContextId, undefined);

  const { Contexts } = await getEngagement(cosell.a, "Sandbox", lead.id);
  const context = Contexts.find((c) => c.Id === enriched.EngagementContextId);
  assert.equal(context.Type, "ProspectingResult");
  const result = context.Payload.ProspectingResult.Aws;
  assert.equal(result.TaskId, started.TaskId);
  assert.equal(result.TaskName, name);
  assert.ok(result.Customer.AccountName.startsWith("Prospect Corp"));
  assert.ok(["High", "Medium", "Low"].includes(result.Insights.MarketplaceEngagementScore));
  assert.ok(["High", "Medium", "Low"].includes(Contexts.find((c) => c.Type === "Lead").Payload.Lead.Insights.LeadReadinessScore));

  const { TaskSummaries } = await cosell.a.send(new ListProspectingFromEngagementTasksCommand({ Catalog: "Sandbox", TaskIdentifier: [started.TaskId] }));
  assert.deepEqual(
    TaskSummaries.map((s) => [s.TaskId, s.TotalEngagementCount, s.CompletedEngagementCount, s.FailedEngagementCount]),
    [[started.TaskId, 2, 1, 1]],
  );
  const other = await cosell.b.send(new ListProspectingFromEngagementTasksCommand({ Catalog: "Sandbox", TaskIdentifier: [started.TaskId] }));
  assert.deepEqual(other.TaskSummaries, [], "List shows only the caller's own tasks");
  await rejectsWith(getProspecting(cosell.b, started.TaskId), "ResourceNotFoundException");
});

test("prospecting refuses what the model and the engagements refuse", async () => {
  await rejectsWith(startProspecting(cosell.a, ["eng-00000000000000"]), "ResourceNotFoundException");
  await rejectsWith(startProspecting(cosell.a, ["not-an-engagement"]), "ValidationException", { reason: "REQUEST_VALIDATION_FAILED" });
  await rejectsWith(getProspecting(cosell.a, "task-0123456789abc"), "ValidationException", { reason: "REQUEST_VALIDATION_FAILED" }); // 13 characters: another task's id
  const { id } = await createEngagement(cosell.a, "Sandbox");
  // The ProspectingResult payload is AWS's: a partner cannot write one.
  await rejectsWith(
    cosell.a.send(new CreateEngagementContextCommand({
      Catalog: "Sandbox", EngagementIdentifier: id, ClientToken: clientToken(), Type: "ProspectingResult",
      Payload: { ProspectingResult: { Aws: { TaskName: "made up" } } },
    })),
    "ValidationException",
    { reason: "BUSINESS_VALIDATION_FAILED" },
  );
});

test("CreateEngagement without Title and Description, and leads with free text and five required fields", async () => {
  const out = await cosell.a.send(new CreateEngagementCommand({
    Catalog: "Sandbox", ClientToken: clientToken(),
    Contexts: [{ Type: "Lead", Payload: { Lead: {
      Customer: { CompanyName: `Loose Lead ${uniqueSuffix()}`, Industry: "Quantum widgets", MarketSegment: "Scale-up", Address: { CountryCode: "XK" } },
      Interactions: [{ Contact: { BusinessTitle: "CTO", Email: "cto at example", FirstName: "Ada", LastName: "Byron", Phone: "ext. 12" } }],
    } } }],
  }));
  assert.match(out.Id, engagementIdPattern);
  const got = await getEngagement(cosell.a, "Sandbox", out.Id);
  assert.equal(got.Title, "", "an omitted title reads back empty");
  assert.equal(got.Contexts[0].Payload.Lead.Customer.Industry, "Quantum widgets");
  // The five fields stay required: a contact without an email is refused.
  await rejectsWith(
    cosell.a.send(new CreateEngagementCommand({
      Catalog: "Sandbox", ClientToken: clientToken(),
      Contexts: [{ Type: "Lead", Payload: { Lead: { Customer: { CompanyName: "No Email Inc" }, Interactions: [{ Contact: { BusinessTitle: "CTO", FirstName: "A", LastName: "B" } }] } } }],
    })),
    "ValidationException",
    { reason: "REQUEST_VALIDATION_FAILED" },
  );
});

test("ExpectedContractDuration: 1 to 144 Months with a Self entry, kept by an update that leaves it out", async () => {
  const self = { Amount: "450000", CurrencyCode: "USD", Frequency: "Monthly", TargetCompany: "Self" };
  const { id } = await createOpportunity(cosell.a, "Sandbox", {
    edit: (input) => {
      input.Project.ExpectedCustomerSpend.push(self);
      input.Project.ExpectedContractDuration = { Term: "Months", Value: "36" };
    },
  });
  assert.deepEqual((await getOpportunity(cosell.a, "Sandbox", id)).Project.ExpectedContractDuration, { Term: "Months", Value: "36" });
  await updateOpportunity(cosell.a, "Sandbox", id, (input) => {
    delete input.Project.ExpectedContractDuration;
  });
  assert.deepEqual((await getOpportunity(cosell.a, "Sandbox", id)).Project.ExpectedContractDuration, { Term: "Months", Value: "36" });

  for (const [duration, reason] of [
    [{ Term: "Months", Value: "145" }, "BUSINESS_VALIDATION_FAILED"],
    [{ Term: "Years", Value: "3" }, "REQUEST_VALIDATION_FAILED"],
  ]) {
    await rejectsWith(
      createOpportunity(cosell.a, "Sandbox", { edit: (input) => { input.Project.ExpectedCustomerSpend.push(self); input.Project.ExpectedContractDuration = duration; } }),
      "ValidationException",
      { reason },
    );
  }
  await rejectsWith(
    createOpportunity(cosell.a, "Sandbox", { edit: (input) => input.Project.ExpectedCustomerSpend.push(self) }),
    "ValidationException",
    { reason: "BUSINESS_VALIDATION_FAILED", field: /expectedContractDuration/ },
  );
});

test("AWS Marketplace solutions and products: ListSolutions links them, only Public or Limited listings associate", async (t) => {
  const { SolutionSummaries } = await cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", Identifier: [sandboxSolutionId] }));
  const marketplaceSolution = SolutionSummaries[0].AwsMarketplaceSolutionArn;
  assert.match(marketplaceSolution, /^arn:aws:aws-marketplace:us-east-1:111111111111:AWSMarketplace\/Solution\/soln-[0-9a-z]{13}$/);
  const filtered = await cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", AwsMarketplaceSolutionArn: [marketplaceSolution] }));
  assert.deepEqual(filtered.SolutionSummaries.map((s) => s.Id), [sandboxSolutionId]);

  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const associate = (type, arn) => cosell.a.send(new AssociateOpportunityCommand({ Catalog: "Sandbox", OpportunityIdentifier: id, RelatedEntityType: type, RelatedEntityIdentifier: arn }));
  await associate("AwsMarketplaceSolutions", marketplaceSolution);
  assert.deepEqual((await getOpportunity(cosell.a, "Sandbox", id)).RelatedEntityIdentifiers.AwsMarketplaceSolutions, [marketplaceSolution]);
  await rejectsWith(associate("AwsMarketplaceProducts", "not-an-arn"), "ValidationException", { reason: "REQUEST_VALIDATION_FAILED" });
  await rejectsWith(associate("AwsMarketplaceProducts", "arn:aws:aws-marketplace:us-east-1:111111111111:AWSMarketplace/SaaSProduct/prod-unknown000000"), "ResourceNotFoundException");

  if (skipWithoutClock(t)) return;
  const draft = await aws("POST", "listings", { catalog: "Sandbox", account: cosell.accountA.accountId, kind: "SaaSProduct", name: "Not yet live", visibility: "Draft" });
  await rejectsWith(associate("AwsMarketplaceProducts", draft.arn), "ValidationException", { reason: "BUSINESS_VALIDATION_FAILED" });
  const limited = await aws("POST", "listings", { catalog: "Sandbox", account: cosell.accountA.accountId, kind: "AmiProduct", name: "Private AMI", visibility: "Limited" });
  await associate("AwsMarketplaceProducts", limited.arn);
  const summary = await cosell.a.send(new GetAwsOpportunitySummaryCommand({ Catalog: "Sandbox", RelatedOpportunityIdentifier: id }));
  assert.deepEqual(summary.RelatedEntityIds.AwsMarketplaceProducts, [limited.arn]);
});

test("AWS's scoring, co-sell motion, software revenue and Signatory reach GetAwsOpportunitySummary", async (t) => {
  if (skipWithoutClock(t)) return;
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const before = await cosell.a.send(new GetAwsOpportunitySummaryCommand({ Catalog: "Sandbox", RelatedOpportunityIdentifier: id }));
  assert.equal(before.CosellMotion, undefined, "null before scoring");
  assert.equal(before.Insights?.OpportunityQuality, undefined);
  await aws("POST", `opportunities/Sandbox/${cosell.accountA.accountId}/${id}/summary`, {
    CosellMotion: "Agent-engaged",
    SoftwareRevenue: { Value: { Amount: "250000", CurrencyCode: "USD" }, Discount: "15.00", EffectiveDate: "2026-09-01", ExpirationDate: "2027-08-31" },
    OpportunityTeam: [{ Email: "signer@amazon.com", FirstName: "Sam", LastName: "Signer", BusinessTitle: "Signatory" }],
    Insights: {
      OpportunityQuality: { Score: 72, Trend: "Improving" },
      Recommendations: [{ Type: "SolutionRecommendation", Details: "Attach the Marketplace listing.", Attributes: { Listing: "soln-1" } }],
    },
  });
  const after = await cosell.a.send(new GetAwsOpportunitySummaryCommand({ Catalog: "Sandbox", RelatedOpportunityIdentifier: id }));
  assert.equal(after.CosellMotion, "Agent-engaged");
  assert.equal(after.SoftwareRevenue.Discount, "15.00");
  assert.deepEqual(after.SoftwareRevenue.Value, { Amount: "250000", CurrencyCode: "USD" });
  assert.equal(after.OpportunityTeam[0].BusinessTitle, "Signatory");
  assert.deepEqual(after.Insights.OpportunityQuality, { Score: 72, Trend: "Improving" });
  assert.equal(after.Insights.Recommendations[0].Attributes.Listing, "soln-1");
  const refused = await aws("POST", `opportunities/Sandbox/${cosell.accountA.accountId}/${id}/summary`, { Insights: { OpportunityQuality: { Score: 101 } } }, { expectStatus: 400 });
  assert.equal(refused.status, 400, "a score above 100 is refused");
});

test("a lead invitation shows AWS's enrichment before it is answered", async (t) => {
  if (skipWithoutClock(t)) return;
  const lead = leadContext().Payload.Lead;
  lead.Insights = { LeadReadinessScore: "Medium" };
  const ref = await aws("POST", "referrals", { catalog: "Sandbox", account: cosell.accountA.accountId, lead });
  const inv = await getInvitation(cosell.a, "Sandbox", ref.invitationId);
  assert.deepEqual(inv.EnrichmentContext, { LeadInsights: { LeadReadinessScore: "Medium" } });
  await aws("POST", `engagements/Sandbox/${ref.engagementId}/lead-insights`, { LeadReadinessScore: "High" });
  assert.equal((await getInvitation(cosell.a, "Sandbox", ref.invitationId)).EnrichmentContext.LeadInsights.LeadReadinessScore, "High");
  const bad = await aws("POST", `engagements/Sandbox/${ref.engagementId}/lead-insights`, { LeadReadinessScore: "Excellent" }, { expectStatus: 400 });
  assert.equal(bad.status, 400);
});
