// UpdateOpportunity: full replace, optimistic locking on LastModifiedDate,
// and the business rules AWS checks (semantics.md §2.3, §2.5, §2.6).
import { test } from "node:test";
import assert from "node:assert/strict";
import { UpdateOpportunityCommand } from "@aws-sdk/client-partnercentral-selling";
import { useCosell, skipAwsCatalogWriteOnRealEndpoint } from "../lib/suite.mjs";
import { rejectsWith, withoutNulls } from "../lib/expect.mjs";
import { isoDate, updateInputFrom } from "../lib/fixtures.mjs";
import { createOpportunity, getOpportunity, updateOpportunity } from "../lib/opportunities.mjs";

const cosell = useCosell();

test("UpdateOpportunity returns the id and a later LastModifiedDate, and the change is stored", async () => {
  const { id, created } = await createOpportunity(cosell.a, "Sandbox");
  const out = await updateOpportunity(cosell.a, "Sandbox", id, (input) => {
    input.LifeCycle.Stage = "Qualified";
    input.Project.Title = "Core banking migration, phase 2";
  });
  assert.equal(out.Id, id);
  assert.ok(out.LastModifiedDate > created.LastModifiedDate);

  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.LifeCycle.Stage, "Qualified");
  assert.equal(got.Project.Title, "Core banking migration, phase 2");
  assert.equal(got.LastModifiedDate.getTime(), out.LastModifiedDate.getTime());
});

test("UpdateOpportunity replaces the whole opportunity: omitted optional members disappear", async () => {
  const { id, input: created } = await createOpportunity(cosell.a, "Sandbox");
  await updateOpportunity(cosell.a, "Sandbox", id, (input) => {
    delete input.Marketing;
    delete input.PartnerOpportunityIdentifier;
    delete input.Project.CompetitorName;
    delete input.Project.OtherSolutionDescription;
    delete input.LifeCycle.NextSteps;
    input.Customer.Contacts = [];
  });
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.PartnerOpportunityIdentifier ?? undefined, undefined);
  assert.equal(got.Project.CompetitorName ?? undefined, undefined);
  assert.equal(got.Project.OtherSolutionDescription ?? undefined, undefined);
  assert.equal(got.LifeCycle.NextSteps ?? undefined, undefined);
  assert.deepEqual(withoutNulls(got.Marketing) ?? {}, {});
  assert.deepEqual(got.Customer.Contacts ?? [], []);
  // What was sent again is still there.
  assert.equal(got.Project.Title, created.Project.Title);
  assert.equal(got.Customer.Account.CompanyName, created.Customer.Account.CompanyName);
});

test("a stale LastModifiedDate is a ConflictException and changes nothing", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const stale = updateInputFrom(await getOpportunity(cosell.a, "Sandbox", id));
  await updateOpportunity(cosell.a, "Sandbox", id, (input) => (input.LifeCycle.Stage = "Qualified"));

  stale.Project.Title = "Lost update";
  // Exact message: NOT FOUND in semantics.md (§2.3).
  await rejectsWith(cosell.a.send(new UpdateOpportunityCommand(stale)), "ConflictException");
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.notEqual(got.Project.Title, "Lost update");
  assert.equal(got.LifeCycle.Stage, "Qualified");
});

test("LastModifiedDate strictly increases over quick successive updates and round-trips into the next one", async () => {
  const { id, created } = await createOpportunity(cosell.a, "Sandbox");
  const input = updateInputFrom(await getOpportunity(cosell.a, "Sandbox", id));
  let previous = created.LastModifiedDate;
  for (let i = 1; i <= 8; i++) {
    input.LifeCycle.NextSteps = `Follow-up call number ${i}.`;
    input.LastModifiedDate = previous;
    const out = await cosell.a.send(new UpdateOpportunityCommand(input));
    assert.ok(out.LastModifiedDate > previous, `update ${i}: ${out.LastModifiedDate.toISOString()} > ${previous.toISOString()}`);
    previous = out.LastModifiedDate;
  }
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.LastModifiedDate.getTime(), previous.getTime());
  assert.equal(got.LifeCycle.NextSteps, "Follow-up call number 8.");
});

test("echoing GetOpportunity back unchanged is accepted in catalog AWS (ReviewStatus included)", async (t) => {
  if (skipAwsCatalogWriteOnRealEndpoint(t)) return;
  const { id } = await createOpportunity(cosell.a, "AWS");
  const out = await updateOpportunity(cosell.a, "AWS", id, () => {});
  assert.equal(out.Id, id);
  assert.equal((await getOpportunity(cosell.a, "AWS", id)).LifeCycle.ReviewStatus, "Pending Submission");
});

test("a missing LastModifiedDate is a request validation error", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const input = updateInputFrom(await getOpportunity(cosell.a, "Sandbox", id));
  delete input.LastModifiedDate;
  await rejectsWith(cosell.a.send(new UpdateOpportunityCommand(input)), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /lastmodifieddate/i,
    code: "REQUIRED_FIELD_MISSING",
  });
});

test("another account cannot update the opportunity", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const input = updateInputFrom(await getOpportunity(cosell.a, "Sandbox", id));
  await rejectsWith(cosell.b.send(new UpdateOpportunityCommand(input)), "ResourceNotFoundException");
});

test("Closed Lost needs a ClosedLostReason", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await rejectsWith(
    updateOpportunity(cosell.a, "Sandbox", id, (input) => (input.LifeCycle.Stage = "Closed Lost")),
    "ValidationException",
    { reason: "BUSINESS_VALIDATION_FAILED" },
  );
  await updateOpportunity(cosell.a, "Sandbox", id, (input) => {
    input.LifeCycle.Stage = "Closed Lost";
    input.LifeCycle.ClosedLostReason = "Price";
  });
  const got = await getOpportunity(cosell.a, "Sandbox", id);
  assert.equal(got.LifeCycle.Stage, "Closed Lost");
  assert.equal(got.LifeCycle.ClosedLostReason, "Price");
});

test("a TargetCloseDate in the past is refused", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await rejectsWith(
    updateOpportunity(cosell.a, "Sandbox", id, (input) => (input.LifeCycle.TargetCloseDate = isoDate(-30))),
    "ValidationException",
    { reason: "BUSINESS_VALIDATION_FAILED" },
  );
});

test("StateOrRegion is accepted only for US addresses", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  await rejectsWith(
    updateOpportunity(cosell.a, "Sandbox", id, (input) => {
      input.Customer.Account.Address = { CountryCode: "DE", PostalCode: "10115", City: "Berlin", StateOrRegion: "Berlin" };
    }),
    "ValidationException",
    { reason: "BUSINESS_VALIDATION_FAILED" },
  );
  await updateOpportunity(cosell.a, "Sandbox", id, (input) => {
    input.Customer.Account.Address = { CountryCode: "DE", PostalCode: "10115", City: "Berlin" };
  });
  assert.equal((await getOpportunity(cosell.a, "Sandbox", id)).Customer.Account.Address.CountryCode, "DE");
});
