// Submission, the Sandbox's simulated AWS review, and what each ReviewStatus
// lets the partner edit (semantics.md §2.1, §2.2, §2.4, §2.5).
//
// Which exception AWS returns for an edit that the ReviewStatus forbids is
// NOT FOUND in semantics.md (§8 item 3); these tests follow the only report
// (a third-party audit): ValidationException with BUSINESS_VALIDATION_FAILED.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateOpportunityCommand, SubmitOpportunityCommand } from "@aws-sdk/client-partnercentral-selling";
import { useCosell, skipAwsCatalogWriteOnRealEndpoint } from "../lib/suite.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { clientToken, isoDate } from "../lib/fixtures.mjs";
import { createOpportunity, getOpportunity, updateOpportunity, submitOpportunity, simulateReview } from "../lib/opportunities.mjs";

const cosell = useCosell();
const locked = { reason: "BUSINESS_VALIDATION_FAILED" };

/** A Sandbox opportunity that AWS's simulated reviewer has moved to `status`. */
async function reviewedOpportunity(status, lifeCycle) {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await submitOpportunity(cosell.a, "Sandbox", id);
  await simulateReview(cosell.a, "Sandbox", id, status, lifeCycle);
  return id;
}

test("SubmitOpportunity moves a complete opportunity to Submitted", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await submitOpportunity(cosell.a, "Sandbox", id);
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.LifeCycle.ReviewStatus, "Submitted");
});

test("SubmitOpportunity refuses an opportunity that lacks what submission needs", async () => {
  const created = await cosell.a.send(
    new CreateOpportunityCommand({
      Catalog: "Sandbox",
      ClientToken: clientToken(),
      Origin: "Partner Referral",
      Customer: { Account: { CompanyName: "Incomplete Inc" } },
    }),
  );
  await rejectsWith(
    cosell.a.send(new SubmitOpportunityCommand({ Catalog: "Sandbox", Identifier: created.Id, InvolvementType: "Co-Sell", Visibility: "Full" })),
    "ValidationException",
    { reason: "BUSINESS_VALIDATION_FAILED" },
  );
  assert.equal((await getOpportunity(cosell.a, "Sandbox", created.Id)).LifeCycle?.ReviewStatus, "Pending Submission");
});

test("SubmitOpportunity on another account's opportunity is ResourceNotFoundException", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await rejectsWith(
    cosell.b.send(new SubmitOpportunityCommand({ Catalog: "Sandbox", Identifier: id, InvolvementType: "Co-Sell", Visibility: "Full" })),
    "ResourceNotFoundException",
  );
});

test("a Submitted opportunity cannot be edited", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await submitOpportunity(cosell.a, "Sandbox", id);
  await rejectsWith(
    updateOpportunity(cosell.a, "Sandbox", id, (input) => (input.LifeCycle.NextSteps = "Try to edit while submitted.")),
    "ValidationException",
    locked,
  );
});

test("Sandbox: UpdateOpportunity with ReviewStatus Approved simulates AWS approving a Submitted opportunity", async () => {
  const id = await reviewedOpportunity("Approved");
  assert.equal((await getOpportunity(cosell.a, "Sandbox", id)).LifeCycle.ReviewStatus, "Approved");
});

test("catalog AWS: the partner cannot set ReviewStatus", async (t) => {
  if (skipAwsCatalogWriteOnRealEndpoint(t)) return;
  const { id } = await createOpportunity(cosell.a, "AWS");
  // Exact Reason and message: NOT FOUND; ReviewStatus is documented read-only outside Sandbox.
  await rejectsWith(simulateReview(cosell.a, "AWS", id, "Approved"), "ValidationException");
  await submitOpportunity(cosell.a, "AWS", id);
  await rejectsWith(simulateReview(cosell.a, "AWS", id, "Approved"), "ValidationException");
  await rejectsWith(simulateReview(cosell.a, "AWS", id, "Action Required", { ReviewComments: "Please fix." }), "ValidationException");
  await rejectsWith(simulateReview(cosell.a, "AWS", id, "Rejected"), "ValidationException");
  assert.equal((await getOpportunity(cosell.a, "AWS", id)).LifeCycle.ReviewStatus, "Submitted");
});

test("Sandbox: Action Required carries the reviewer's comments", async () => {
  const id = await reviewedOpportunity("Action Required", {
    ReviewComments: "Review comments go here",
    ReviewStatusReason: "Additional information needed",
  });
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.LifeCycle.ReviewStatus, "Action Required");
  assert.equal(got.LifeCycle.ReviewComments, "Review comments go here");
});

test("Action Required: the whitelisted fields can be edited", async () => {
  const id = await reviewedOpportunity("Action Required", { ReviewComments: "Please correct the address." });
  const newClose = isoDate(240);
  await updateOpportunity(cosell.a, "Sandbox", id, (input) => {
    input.Customer.Account.Address.City = "Brooklyn";
    input.Customer.Account.Address.PostalCode = "11201";
    input.Customer.Account.Address.StreetAddress = "1 Main Street";
    input.Customer.Account.WebsiteUrl = "https://www.example.org";
    input.LifeCycle.TargetCloseDate = newClose;
    input.Project.ExpectedCustomerSpend[0].Amount = "20000";
    input.Project.CustomerBusinessProblem = "The customer must leave its data centre within a year and needs help.";
    input.PartnerOpportunityIdentifier = "crm-corrected";
  });
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.Customer.Account.Address.City, "Brooklyn");
  assert.equal(got.Customer.Account.WebsiteUrl, "https://www.example.org");
  assert.equal(got.LifeCycle.TargetCloseDate, newClose);
  assert.equal(got.Project.ExpectedCustomerSpend[0].Amount, "20000");
  assert.equal(got.PartnerOpportunityIdentifier, "crm-corrected");
});

test("Action Required: fields outside the whitelist cannot be edited", async () => {
  const id = await reviewedOpportunity("Action Required", { ReviewComments: "Please correct the address." });
  for (const [what, edit] of [
    ["Project.Title", (input) => (input.Project.Title = "A new title")],
    ["Customer.Account.Industry", (input) => (input.Customer.Account.Industry = "Retail")],
    ["LifeCycle.Stage", (input) => (input.LifeCycle.Stage = "Qualified")],
    ["PrimaryNeedsFromAws", (input) => (input.PrimaryNeedsFromAws = ["Co-Sell - Pricing Assistance"])],
  ]) {
    await rejectsWith(updateOpportunity(cosell.a, "Sandbox", id, edit), "ValidationException", locked).catch((err) => {
      throw new Error(`${what}: ${err.message}`, { cause: err });
    });
  }
});

test("Approved: the documented fields are frozen, the rest stays editable", async () => {
  const id = await reviewedOpportunity("Approved");
  for (const [what, edit] of [
    ["Project.Title", (input) => (input.Project.Title = "A new title")],
    ["Project.CustomerBusinessProblem", (input) => (input.Project.CustomerBusinessProblem = "A completely different business problem.")],
    ["Customer.Account.Industry", (input) => (input.Customer.Account.Industry = "Retail")],
    ["Customer.Account.WebsiteUrl", (input) => (input.Customer.Account.WebsiteUrl = "https://www.example.net")],
    ["Customer.Account.Address.CountryCode", (input) => {
      input.Customer.Account.Address = { CountryCode: "CA", PostalCode: "M5V 2T6", City: "Toronto" };
    }],
    ["Customer.Account.Address.PostalCode", (input) => (input.Customer.Account.Address.PostalCode = "10002")],
    ["PartnerOpportunityIdentifier", (input) => (input.PartnerOpportunityIdentifier = "crm-changed")],
  ]) {
    await rejectsWith(updateOpportunity(cosell.a, "Sandbox", id, edit), "ValidationException", locked).catch((err) => {
      throw new Error(`${what}: ${err.message}`, { cause: err });
    });
  }

  await updateOpportunity(cosell.a, "Sandbox", id, (input) => {
    input.LifeCycle.Stage = "Technical Validation";
    input.LifeCycle.NextSteps = "Run the proof of concept.";
    input.Customer.Account.Address.City = "Brooklyn";
  });
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.LifeCycle.Stage, "Technical Validation");
  assert.equal(got.LifeCycle.ReviewStatus, "Approved");
  assert.equal(got.Customer.Account.Address.City, "Brooklyn");
});

test("Rejected: the opportunity is read-only", async () => {
  const id = await reviewedOpportunity("Rejected", { ReviewComments: "Duplicate of an existing opportunity." });
  assert.equal((await getOpportunity(cosell.a, "Sandbox", id)).LifeCycle.ReviewStatus, "Rejected");
  await rejectsWith(
    updateOpportunity(cosell.a, "Sandbox", id, (input) => (input.LifeCycle.NextSteps = "Try again.")),
    "ValidationException",
    locked,
  );
});
