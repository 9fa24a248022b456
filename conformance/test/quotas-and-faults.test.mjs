// Request quotas (`cosell serve --quotas aws`, semantics.md §5.2) and fault
// injection through LocalStack's chaos endpoint, as the official SDK sees
// them: the modelled exception classes, with their HTTP status.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ListSolutionsCommand, ListEngagementsCommand } from "@aws-sdk/client-partnercentral-selling";
import { GetPartnerCommand } from "@aws-sdk/client-partnercentral-account";
import { useCosell, freshServer } from "../lib/suite.mjs";
import { replicasBehind } from "../lib/server.mjs";
import { untilReplicasAgree } from "../lib/admin.mjs";
import { sellingClient, accountB } from "../lib/clients.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { createOpportunity } from "../lib/opportunities.mjs";

const cosell = useCosell(undefined, { extraArgs: ["--quotas", "aws"] });

function skipUnlessOurs(t) {
  if (!freshServer) {
    t.skip("needs a cosell started with --quotas aws and its LocalStack chaos endpoint");
    return true;
  }
  return false;
}

// With an admin token set, LocalStack's routes need it too (as a bearer token).
async function setFaults(rules) {
  const res = await fetch(`${cosell.endpoint}/_localstack/chaos/faults`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cosell.adminToken ? { authorization: `Bearer ${cosell.adminToken}` } : {}) },
    body: JSON.stringify(rules),
  });
  assert.equal(res.status, 200, await res.text());
  await untilReplicasAgree(cosell.endpoint, cosell.adminToken, "/_localstack/chaos/faults");
}

test("a second write in one second surfaces as ThrottlingException (HTTP 429)", async (t) => {
  if (skipUnlessOurs(t)) return;
  // Per-second buckets are each replica's own (README, "PostgreSQL store"):
  // both writes go to one replica, as a client's connection would.
  const b = sellingClient(replicasBehind(cosell.endpoint)[0], accountB);
  t.after(() => b.destroy());
  await createOpportunity(b, "Sandbox");
  const err = await rejectsWith(createOpportunity(b, "Sandbox"), "ThrottlingException");
  assert.equal(err.$metadata.httpStatusCode, 429);
  assert.equal(err.$fault, "client");
  assert.match(err.message, /^Rate exceeded/);
  // Reads have their own quota.
  const solutions = await cosell.b.send(new ListSolutionsCommand({ Catalog: "Sandbox" }));
  assert.ok(solutions.SolutionSummaries.length > 0);
});

test("injected faults surface as the modelled exception of each service", async (t) => {
  if (skipUnlessOurs(t)) return;
  await setFaults([
    { service: "partnercentral-selling", operation: "ListEngagements", error: { statusCode: 500, code: "InternalServerException" } },
    { service: "partnercentral-account", operation: "GetPartner", error: { code: "AccessDeniedException", statusCode: 403 } },
  ]);
  try {
    const internal = await rejectsWith(cosell.a.send(new ListEngagementsCommand({ Catalog: "Sandbox" })), "InternalServerException");
    assert.equal(internal.$metadata.httpStatusCode, 500);
    const denied = await rejectsWith(
      cosell.accountApi.send(new GetPartnerCommand({ Catalog: "Sandbox", Identifier: "partner-abcdefghijklm" })),
      "AccessDeniedException",
    );
    assert.equal(denied.$metadata.httpStatusCode, 403);
    assert.equal(denied.Reason, "ACCESS_DENIED");
  } finally {
    await setFaults([]);
  }
  // With the rules gone, the call answers normally.
  const page = await cosell.a.send(new ListEngagementsCommand({ Catalog: "Sandbox" }));
  assert.ok(Array.isArray(page.EngagementSummaryList));
});

test("LocalStack's health endpoint reports every service running", async (t) => {
  if (skipUnlessOurs(t)) return;
  const res = await fetch(`${cosell.endpoint}/_localstack/health`);
  assert.equal(res.status, 200);
  const health = await res.json();
  for (const name of ["partnercentral-selling", "partnercentral-account", "partnercentral-channel", "partnercentral-benefits"]) {
    assert.equal(health.services[name], "running", `${name} in ${JSON.stringify(health.services)}`);
  }
  assert.ok(Object.values(health.services).every((state) => state === "running"), JSON.stringify(health.services));
});
