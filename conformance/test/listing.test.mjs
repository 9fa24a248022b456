// ListOpportunities and ListSolutions: default order, every sort and filter,
// page sizes and NextToken (semantics.md §3.8). Every query is narrowed by
// this run's unique company names, so it also holds on a shared Sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ListOpportunitiesCommand, ListSolutionsCommand, paginateListOpportunities } from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { isoDate, uniqueSuffix, sandboxSolutionId } from "../lib/fixtures.mjs";
import { createOpportunity, getOpportunity, updateOpportunity, submitOpportunity } from "../lib/opportunities.mjs";

const run = `List ${uniqueSuffix()}`;
const bulkName = `${run} Bulk`;
const bulkCount = 21;

// Five opportunities with distinct names and close dates; Bravo is moved to
// Qualified, Charlie submitted, and Alpha edited last.
const plan = [
  ["Alpha", 30],
  ["Bravo", 90],
  ["Charlie", 60],
  ["Delta", 120],
  ["Echo", 10],
];
const named = {};
let beforeAll;
let bulkIds;

const cosell = useCosell(async () => {
  beforeAll = new Date(Date.now() - 60_000);
  for (const [name, days] of plan) {
    const { id } = await createOpportunity(cosell.a, "Sandbox", { companyName: `${run} ${name}`, targetCloseDate: isoDate(days) });
    named[name] = id;
  }
  await updateOpportunity(cosell.a, "Sandbox", named.Bravo, (input) => (input.LifeCycle.Stage = "Qualified"));
  await submitOpportunity(cosell.a, "Sandbox", named.Charlie);
  await updateOpportunity(cosell.a, "Sandbox", named.Alpha, (input) => (input.LifeCycle.NextSteps = "Edited last."));
  bulkIds = [];
  for (let i = 0; i < bulkCount; i++) bulkIds.push((await createOpportunity(cosell.a, "Sandbox", { companyName: bulkName })).id);
});

const ourNames = () => plan.map(([name]) => `${run} ${name}`);

function list(client, input = {}) {
  return client.send(new ListOpportunitiesCommand({ Catalog: "Sandbox", CustomerCompanyName: ourNames(), ...input }));
}

const idsOf = (page) => page.OpportunitySummaries.map((o) => o.Id);
const sameSet = (actual, expected) => assert.deepEqual([...actual].sort(), [...expected].sort());

/** Asserts `values` is ordered by `compare` (ties allowed: their order is NOT FOUND in semantics.md). */
function assertOrdered(values, compare, label) {
  for (let i = 1; i < values.length; i++) {
    assert.ok(compare(values[i - 1], values[i]) <= 0, `${label}: ${JSON.stringify(values[i - 1])} then ${JSON.stringify(values[i])}`);
  }
}

// Ids compare by their number (O123 < O1000; S-0000012 < S-0000100).
const idNumber = (id) => BigInt(id.replace(/\D/g, ""));
const byNumber = (a, b) => (idNumber(a) < idNumber(b) ? -1 : idNumber(a) > idNumber(b) ? 1 : 0);
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const byTime = (a, b) => a.getTime() - b.getTime();
const sortKeys = {
  Identifier: [(o) => o.Id, byNumber],
  CustomerCompanyName: [(o) => o.Customer.Account.CompanyName, byText],
  CreatedDate: [(o) => o.CreatedDate, byTime],
  LastModifiedDate: [(o) => o.LastModifiedDate, byTime],
  TargetCloseDate: [(o) => o.LifeCycle.TargetCloseDate, byText],
};

test("summaries carry what a partner's sync needs", async () => {
  const page = await list(cosell.a, { Identifier: [named.Bravo] });
  assert.equal(page.OpportunitySummaries.length, 1);
  const [summary] = page.OpportunitySummaries;
  const got = await getOpportunity(cosell.a, "Sandbox", named.Bravo);
  assert.equal(summary.Id, named.Bravo);
  assert.equal(summary.Catalog, "Sandbox");
  assert.equal(summary.Arn, got.Arn);
  assert.equal(summary.LastModifiedDate.getTime(), got.LastModifiedDate.getTime());
  assert.equal(summary.CreatedDate.getTime(), got.CreatedDate.getTime());
  assert.equal(summary.Customer.Account.CompanyName, `${run} Bravo`);
  assert.equal(summary.LifeCycle.Stage, "Qualified");
  assert.equal(summary.LifeCycle.ReviewStatus, "Pending Submission");
  assert.equal(summary.LifeCycle.TargetCloseDate, got.LifeCycle.TargetCloseDate);
  assert.equal(summary.OpportunityType, "Net New Business");
});

test("the default order is LastModifiedDate, newest first", async () => {
  const page = await list(cosell.a);
  sameSet(idsOf(page), Object.values(named));
  assert.equal(page.OpportunitySummaries[0].Id, named.Alpha, "the opportunity edited last comes first");
  assertOrdered(page.OpportunitySummaries.map((o) => o.LastModifiedDate), (a, b) => byTime(b, a), "LastModifiedDate descending");
});

for (const [sortBy, [key, compare]] of Object.entries(sortKeys)) {
  for (const order of ["ASCENDING", "DESCENDING"]) {
    test(`Sort ${sortBy} ${order}`, async () => {
      const page = await list(cosell.a, { Sort: { SortBy: sortBy, SortOrder: order } });
      sameSet(idsOf(page), Object.values(named));
      const direction = order === "ASCENDING" ? compare : (a, b) => compare(b, a);
      assertOrdered(page.OpportunitySummaries.map(key), direction, `${sortBy} ${order}`);
    });
  }
}

test("distinct sort keys give one exact order", async () => {
  const byClose = await list(cosell.a, { Sort: { SortBy: "TargetCloseDate", SortOrder: "ASCENDING" } });
  assert.deepEqual(idsOf(byClose), ["Echo", "Alpha", "Charlie", "Bravo", "Delta"].map((n) => named[n]));
  const byName = await list(cosell.a, { Sort: { SortBy: "CustomerCompanyName", SortOrder: "DESCENDING" } });
  assert.deepEqual(idsOf(byName), ["Echo", "Delta", "Charlie", "Bravo", "Alpha"].map((n) => named[n]));
});

test("filter by Identifier", async () => {
  sameSet(idsOf(await list(cosell.a, { Identifier: [named.Alpha, named.Delta] })), [named.Alpha, named.Delta]);
});

test("filter by LifeCycleStage", async () => {
  sameSet(idsOf(await list(cosell.a, { LifeCycleStage: ["Qualified"] })), [named.Bravo]);
  sameSet(idsOf(await list(cosell.a, { LifeCycleStage: ["Prospect"] })), ["Alpha", "Charlie", "Delta", "Echo"].map((n) => named[n]));
});

test("filter by LifeCycleReviewStatus", async () => {
  sameSet(idsOf(await list(cosell.a, { LifeCycleReviewStatus: ["Submitted"] })), [named.Charlie]);
  sameSet(idsOf(await list(cosell.a, { LifeCycleReviewStatus: ["Pending Submission"] })), ["Alpha", "Bravo", "Delta", "Echo"].map((n) => named[n]));
});

test("filter by CustomerCompanyName", async () => {
  sameSet(idsOf(await list(cosell.a, { CustomerCompanyName: [`${run} Delta`] })), [named.Delta]);
});

test("filter by TargetCloseDate range", async () => {
  // Bounds sit between the stored dates: inclusivity is NOT FOUND in semantics.md.
  const page = await list(cosell.a, { TargetCloseDate: { AfterTargetCloseDate: isoDate(45), BeforeTargetCloseDate: isoDate(100) } });
  sameSet(idsOf(page), [named.Charlie, named.Bravo]);
});

test("filter by CreatedDate range", async () => {
  const all = await list(cosell.a, { CreatedDate: { AfterCreatedDate: beforeAll, BeforeCreatedDate: new Date(Date.now() + 3_600_000) } });
  sameSet(idsOf(all), Object.values(named));
  const none = await list(cosell.a, { CreatedDate: { AfterCreatedDate: new Date(Date.now() + 3_600_000) } });
  assert.deepEqual(idsOf(none), []);
});

test("AfterLastModifiedDate is inclusive (the model says 'on or after')", async () => {
  const alpha = await getOpportunity(cosell.a, "Sandbox", named.Alpha);
  const page = await list(cosell.a, { LastModifiedDate: { AfterLastModifiedDate: alpha.LastModifiedDate } });
  sameSet(idsOf(page), [named.Alpha]);
  const none = await list(cosell.a, { LastModifiedDate: { BeforeLastModifiedDate: beforeAll } });
  assert.deepEqual(idsOf(none), []);
});

test("MaxResults defaults to 20 and NextToken walks every record exactly once", async () => {
  const first = await list(cosell.a, { CustomerCompanyName: [bulkName] });
  assert.equal(first.OpportunitySummaries.length, 20);
  assert.ok(first.NextToken, "a further page is announced");
  const second = await list(cosell.a, { CustomerCompanyName: [bulkName], NextToken: first.NextToken });
  sameSet([...idsOf(first), ...idsOf(second)], bulkIds);
  assert.equal(second.NextToken ?? undefined, undefined, "the last page has no NextToken");

  const seen = [];
  let pages = 0;
  const paginator = paginateListOpportunities({ client: cosell.a, pageSize: 4 }, { Catalog: "Sandbox", CustomerCompanyName: [bulkName] });
  for await (const page of paginator) {
    assert.ok(page.OpportunitySummaries.length <= 4);
    seen.push(...idsOf(page));
    pages++;
  }
  assert.equal(seen.length, bulkCount, "no record twice");
  sameSet(seen, bulkIds);
  assert.ok(pages >= Math.ceil(bulkCount / 4));
});

test("MaxResults accepts 1 and 100 and refuses 0 and 101", async () => {
  assert.equal((await list(cosell.a, { CustomerCompanyName: [bulkName], MaxResults: 1 })).OpportunitySummaries.length, 1);
  assert.equal((await list(cosell.a, { CustomerCompanyName: [bulkName], MaxResults: 100 })).OpportunitySummaries.length, bulkCount);
  for (const bad of [0, 101]) {
    await rejectsWith(list(cosell.a, { MaxResults: bad }), "ValidationException", { reason: "REQUEST_VALIDATION_FAILED", field: /maxresults/i });
  }
});

test("a tampered NextToken is a ValidationException", async () => {
  const { NextToken } = await list(cosell.a, { CustomerCompanyName: [bulkName], MaxResults: 5 });
  const middle = Math.floor(NextToken.length / 2);
  const tampered = NextToken.slice(0, middle) + (NextToken[middle] === "A" ? "B" : "A") + NextToken.slice(middle + 1);
  // Exact message and Reason: NOT FOUND in semantics.md (§8 item 8).
  await rejectsWith(list(cosell.a, { CustomerCompanyName: [bulkName], MaxResults: 5, NextToken: tampered }), "ValidationException");
  await rejectsWith(list(cosell.a, { CustomerCompanyName: [bulkName], MaxResults: 5, NextToken: "not-a-token" }), "ValidationException");
});

test("a NextToken reused with a different filter is a ValidationException", async () => {
  const { NextToken } = await list(cosell.a, { CustomerCompanyName: [bulkName], MaxResults: 5 });
  await rejectsWith(list(cosell.a, { MaxResults: 5, NextToken, LifeCycleStage: ["Qualified"] }), "ValidationException");
});

test("another account's NextToken is refused", async () => {
  const { NextToken } = await list(cosell.a, { CustomerCompanyName: [bulkName], MaxResults: 5 });
  await rejectsWith(list(cosell.b, { CustomerCompanyName: [bulkName], MaxResults: 5, NextToken }), "ValidationException");
});

test("listing is isolated by catalog and by account", async () => {
  assert.deepEqual(idsOf(await list(cosell.a, { Catalog: "AWS" })), []);
  assert.deepEqual(idsOf(await list(cosell.b)), []);
  assert.deepEqual(idsOf(await list(cosell.b, { CustomerCompanyName: [bulkName] })), []);
});

test("ListSolutions lists the Sandbox solution S-1234567 as Active", async () => {
  const { SolutionSummaries } = await cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", Identifier: [sandboxSolutionId] }));
  assert.equal(SolutionSummaries.length, 1);
  const [solution] = SolutionSummaries;
  assert.equal(solution.Id, sandboxSolutionId);
  assert.equal(solution.Catalog, "Sandbox");
  assert.equal(solution.Status, "Active");
  assert.ok(solution.Name);
  assert.ok(solution.CreatedDate instanceof Date);
});

test("ListSolutions filters by Status and Category", async () => {
  const all = (await cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", MaxResults: 100 }))).SolutionSummaries;
  assert.ok(all.length >= 1);
  for (const status of ["Active", "Inactive", "Draft"]) {
    const page = await cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", Status: [status], MaxResults: 100 }));
    sameSet(idsOf({ OpportunitySummaries: page.SolutionSummaries }), all.filter((s) => s.Status === status).map((s) => s.Id));
  }
  const category = all.find((s) => s.Category)?.Category;
  assert.ok(category, "some solution has a category");
  const page = await cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", Category: [category], MaxResults: 100 }));
  sameSet(page.SolutionSummaries.map((s) => s.Id), all.filter((s) => s.Category === category).map((s) => s.Id));
});

const solutionKeys = {
  Identifier: [(s) => s.Id, byNumber],
  Name: [(s) => s.Name, byText],
  Status: [(s) => s.Status, byText],
  Category: [(s) => s.Category ?? "", byText],
  CreatedDate: [(s) => s.CreatedDate, byTime],
};
for (const [sortBy, [key, compare]] of Object.entries(solutionKeys)) {
  for (const order of ["ASCENDING", "DESCENDING"]) {
    test(`ListSolutions Sort ${sortBy} ${order}`, async () => {
      const { SolutionSummaries } = await cosell.a.send(
        new ListSolutionsCommand({ Catalog: "Sandbox", MaxResults: 100, Sort: { SortBy: sortBy, SortOrder: order } }),
      );
      const direction = order === "ASCENDING" ? compare : (a, b) => compare(b, a);
      assertOrdered(SolutionSummaries.map(key), direction, `${sortBy} ${order}`);
    });
  }
}

test("ListSolutions refuses an unknown Status", async () => {
  await rejectsWith(cosell.a.send(new ListSolutionsCommand({ Catalog: "Sandbox", Status: ["Retired"] })), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /status/i,
    code: "INVALID_ENUM_VALUE",
  });
});
