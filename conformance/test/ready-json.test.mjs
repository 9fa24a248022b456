// `cosell serve --ready-json` started by the Jest global setup the README
// shows (lib/jest-global-setup.mjs): the SDK then finds cosell through the
// environment the setup exports, and the admin token opens the admin API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PartnerCentralSellingClient, ListOpportunitiesCommand } from "@aws-sdk/client-partnercentral-selling";
import startCosell from "../lib/jest-global-setup.mjs";
import { externalEndpoint } from "../lib/server.mjs";

const skip = externalEndpoint ? "starts its own cosell" : !process.env.COSELL_BIN && "needs a built cosell (COSELL_BIN)";
let teardown;
before(async () => { if (!skip) teardown = await startCosell(); });
after(async () => { await teardown?.(); });

test("the README shows the global setup as it is", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const setup = readFileSync(new URL("../lib/jest-global-setup.mjs", import.meta.url), "utf8");
  const body = setup.slice(setup.indexOf("import "));
  assert.ok(readme.includes(body), "README.md does not show conformance/lib/jest-global-setup.mjs from its imports on");
});

test("a client configured only by the environment reaches cosell", { skip }, async () => {
  assert.match(process.env.AWS_ENDPOINT_URL, /^http:\/\/127\.0\.0\.1:\d+$/);
  const client = new PartnerCentralSellingClient({ maxAttempts: 1 });
  const out = await client.send(new ListOpportunitiesCommand({ Catalog: "Sandbox" }));
  assert.deepEqual(out.OpportunitySummaries, []);
});

test("the admin token in the line opens the admin API", { skip }, async () => {
  const res = await fetch(`${process.env.AWS_ENDPOINT_URL}/_cosell/clock`, {
    headers: { Authorization: `Bearer ${process.env.COSELL_ADMIN_TOKEN}` },
  });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).now);
  assert.equal(globalThis.__COSELL__.exitCode, null);
});
