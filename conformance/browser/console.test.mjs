// Drives the console in headless Chromium as a user would: sign in, watch
// an opportunity the JS SDK creates appear on the board, open it, approve
// it as AWS, see the event and the new status, make a call fail with a
// fault rule, reset the account. Screenshots of each page go to
// COSELL_ARTIFACTS (default conformance/browser/artifacts/) for a person to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { GetOpportunityCommand, ListSolutionsCommand } from "@aws-sdk/client-partnercentral-selling";
import { startServer, externalEndpoint } from "../lib/server.mjs";
import { sellingClient, accountA } from "../lib/clients.mjs";
import { createOpportunity, submitOpportunity, updateOpportunity } from "../lib/opportunities.mjs";
import { channelClient, createPMA, sendPMAHandshake } from "../lib/channel.mjs";
import { CreateBenefitApplicationCommand, SubmitBenefitApplicationCommand, GetBenefitApplicationCommand } from "@aws-sdk/client-partnercentral-benefits";
import { benefitsClient, benefitOf, pocDetails } from "../lib/benefits.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = resolve(process.env.COSELL_ARTIFACTS || join(here, "artifacts"));
const chromiumPath = process.env.COSELL_CHROMIUM || "/usr/bin/chromium";
const catalog = "Sandbox";
const account = accountA.accountId;

let server, browser, context, page, client, userDataDir;

before(async () => {
  if (externalEndpoint) return;
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  client = sellingClient(server.endpoint, accountA);
  userDataDir = join(artifacts, ".profile-" + process.pid);
  // A persistent context is how a fresh --user-data-dir is given; it is
  // created empty for this run.
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await context?.close();
  client?.destroy();
  await server?.stop();
  if (userDataDir) (await import("node:fs")).rmSync(userDataDir, { recursive: true, force: true });
});

const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
const skipExternal = (t) => {
  if (externalEndpoint) {
    t.skip("the console belongs to cosell, not to AWS");
    return true;
  }
  return false;
};

let opportunityId;

test("the console sends a browser to sign in and lets the admin token in, by keyboard", async (t) => {
  if (skipExternal(t)) return;
  await page.goto(server.endpoint + "/");
  assert.match(page.url(), /\/console\/login/);
  await shot("login");
  // The token field has focus: type and press Enter, no mouse.
  await page.keyboard.type("not the token");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "not the admin token" }).waitFor();
  await page.getByLabel("Admin token").fill(server.adminToken);
  await page.getByLabel("Admin token").press("Enter");
  await page.waitForURL(/\/console\/pipeline/);
  await page.getByRole("heading", { name: "Pipeline", level: 1 }).waitFor();
});

test("an opportunity created with the SDK appears on the board without a reload", async (t) => {
  if (skipExternal(t)) return;
  await page.evaluate(() => { window.cosellNoReload = true; });
  await page.getByText("Live: connected").waitFor();
  const { id } = await createOpportunity(client, catalog, { companyName: "Board Test Corp" });
  opportunityId = id;
  const card = page.locator("#board .card", { hasText: id });
  await card.waitFor();
  assert.equal(await page.evaluate(() => window.cosellNoReload), true, "the page reloaded");
  assert.match(await card.textContent(), /Board Test Corp/);
  assert.match(await card.locator(".badge").textContent(), /Pending Submission/);
  // Submitted with the SDK, the card's badge follows.
  await submitOpportunity(client, catalog, id);
  await page.locator("#board .card", { hasText: id }).locator(".badge", { hasText: "Submitted" }).waitFor();
  await shot("board");
});

test("the table lists, filters and pages the opportunities", async (t) => {
  if (skipExternal(t)) return;
  await page.getByRole("link", { name: "Table", exact: true }).click();
  await page.getByRole("cell", { name: opportunityId }).waitFor();
  await page.getByLabel("Rejected").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByText("No opportunity matches.").waitFor();
  await page.getByLabel("Rejected").uncheck();
  await page.getByLabel("Submitted").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("cell", { name: opportunityId }).waitFor();
  await page.getByRole("link", { name: "Customer" }).click();
  await page.locator('th[aria-sort="descending"]', { hasText: "Customer" }).waitFor();
  await shot("table");
});

test("opening an opportunity and approving it as AWS shows the new status and its event", async (t) => {
  if (skipExternal(t)) return;
  await page.getByRole("link", { name: opportunityId }).click();
  await page.getByRole("heading", { name: `Opportunity ${opportunityId}` }).waitFor();
  assert.match(await page.locator("#review-status").textContent(), /Submitted/);
  await shot("opportunity");
  await page.getByLabel("Outcome").selectOption("Approved");
  await page.getByRole("button", { name: "Review as AWS" }).click();
  await page.getByRole("status").filter({ hasText: `AWS reviewed ${opportunityId}: Approved` }).waitFor();
  assert.match(await page.locator("#review-status").textContent(), /Approved/);
  // The partner sees it through the API too.
  const got = await client.send(new GetOpportunityCommand({ Catalog: catalog, Identifier: opportunityId }));
  assert.equal(got.LifeCycle.ReviewStatus, "Approved");
  // The opportunity's history has the update the review made.
  const events = page.locator("#opportunity-events li");
  assert.ok((await events.count()) >= 3, "created, submitted and approved events");
  await assert.doesNotReject(events.filter({ hasText: "Opportunity Updated" }).last().waitFor());
  await shot("opportunity-approved");
});

test("the events view lists the approval and streams new events live", async (t) => {
  if (skipExternal(t)) return;
  await page.getByRole("link", { name: "Events" }).click();
  await page.getByLabel("Account").selectOption(account);
  await page.getByLabel("Detail type").fill("Opportunity Updated");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByText("Live: connected").waitFor();
  const before = await page.locator("#event-list > li").count();
  assert.ok(before >= 2, `${before} Opportunity Updated events listed`);
  await updateOpportunity(client, catalog, opportunityId, (input) => { input.LifeCycle.NextSteps = "Streamed to the console"; });
  const fresh = page.locator("#event-list > li.fresh");
  await fresh.first().waitFor();
  await fresh.first().locator("summary").click();
  assert.match(await fresh.first().locator("pre").textContent(), new RegExp(`"identifier": "${opportunityId}"`));
  await shot("events");
});

test("a fault rule added in the console makes the API call fail", async (t) => {
  if (skipExternal(t)) return;
  await page.getByRole("link", { name: "Operations" }).click();
  await page.getByLabel("Operation").fill("ListSolutions");
  await page.getByLabel("Error code").fill("ThrottlingException");
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByRole("status").filter({ hasText: "fault rule added" }).waitFor();
  await page.locator("#fault-rules td", { hasText: "ListSolutions" }).waitFor();
  await shot("operations");
  await assert.rejects(client.send(new ListSolutionsCommand({ Catalog: catalog })), (err) => err.name === "ThrottlingException");
  await page.getByRole("button", { name: "Clear all rules" }).click();
  await page.getByText("No fault rules").waitFor();
  await client.send(new ListSolutionsCommand({ Catalog: catalog }));
});

test("resetting an account's catalog needs its id typed and removes its opportunities", async (t) => {
  if (skipExternal(t)) return;
  const form = page.locator("form", { has: page.getByRole("heading", { name: "One account's catalog" }) });
  await form.locator("select[name=account]").selectOption(account);
  await form.locator("select[name=catalog]").selectOption(catalog);
  await form.getByLabel("Type the account id").fill("wrong");
  await form.getByRole("button", { name: "Reset this catalog" }).click();
  await page.getByRole("alert").filter({ hasText: "nothing was reset" }).waitFor();
  await client.send(new GetOpportunityCommand({ Catalog: catalog, Identifier: opportunityId }));
  await form.getByLabel("Type the account id").fill(account);
  await form.getByRole("button", { name: "Reset this catalog" }).click();
  await page.getByRole("status").filter({ hasText: `account ${account}'s ${catalog} catalog was reset` }).waitFor();
  await assert.rejects(client.send(new GetOpportunityCommand({ Catalog: catalog, Identifier: opportunityId })), (err) => err.name === "ResourceNotFoundException");
  await page.getByRole("link", { name: "Pipeline" }).click();
  await page.locator("#board").waitFor();
  assert.equal(await page.locator("#board .card", { hasText: opportunityId }).count(), 0);
});

test("the other pages draw, and the board works in a narrow window", async (t) => {
  if (skipExternal(t)) return;
  await page.getByRole("link", { name: "Act as AWS" }).click();
  await page.getByRole("heading", { name: "Refer a new opportunity or lead" }).waitFor();
  await shot("aws");
  await page.getByRole("button", { name: "Send referral" }).click();
  await page.getByRole("status").filter({ hasText: "AWS sent OpportunityInvitation" }).waitFor();
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("cell", { name: account }).waitFor();
  await shot("accounts");
  await page.getByRole("link", { name: "ACE buckets" }).click();
  await page.getByRole("link", { name: /beta/ }).first().click();
  await page.getByRole("button", { name: /Export AWS's referrals/ }).click();
  await page.getByRole("status").filter({ hasText: "exported" }).waitFor();
  await shot("ace");
  // On a phone-width window no page is wider than the window: wide
  // tables scroll inside their own box.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const name of ["Table", "Act as AWS", "Channel", "Revenue", "Benefits", "Events", "Operations", "ACE buckets", "Accounts", "Pipeline"]) {
    await page.getByRole("link", { name, exact: true }).click();
    await page.getByRole("heading", { level: 1 }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} is ${overflow}px wider than a 390px window`);
  }
  await page.locator("#board").waitFor();
  await shot("board-narrow");
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("a channel handshake sent with the JS SDK is accepted in the console, with its event", async (t) => {
  if (skipExternal(t)) return;
  const channel = channelClient(server.endpoint, accountA);
  t.after(() => channel.destroy());
  const pma = await createPMA(channel, "333333333333", { displayName: "Console Channel PMA" });
  const handshake = await sendPMAHandshake(channel, pma.id);
  await page.getByRole("link", { name: "Channel", exact: true }).click();
  await page.getByRole("heading", { name: "Channel", level: 1 }).waitFor();
  const row = page.locator(`#hs-${handshake.id}`);
  assert.match(await row.locator(".badge").textContent(), /PENDING/);
  await page.getByRole("cell", { name: "Console Channel PMA" }).waitFor();
  await shot("channel");
  await row.getByRole("button", { name: "Accept as receiver" }).click();
  await page.getByRole("status").filter({ hasText: `handshake ${handshake.id} is ACCEPTED` }).waitFor();
  assert.match(await page.locator(`#hs-${handshake.id} .badge`).textContent(), /ACCEPTED/);
  assert.equal(await page.locator(`#hs-${handshake.id} button`).count(), 0, "an answered handshake still offers actions");
  await shot("channel-accepted");
  // Its event, found by the source filter the events page offers.
  await page.getByRole("link", { name: "Events" }).click();
  await page.getByLabel("Source").fill("aws.partnercentral-channel");
  await page.getByLabel("Detail type").fill("Channel Handshake Accepted");
  await page.getByRole("button", { name: "Filter" }).click();
  const event = page.locator("#event-list > li", { hasText: "Channel Handshake Accepted" }).first();
  await event.locator("summary").click();
  assert.match(await event.locator("pre").textContent(), new RegExp(handshake.id));
  await shot("events-channel");
  // The Revenue page lists the account's seeded Marketplace products.
  await page.getByRole("link", { name: "Revenue", exact: true }).click();
  await page.locator("#products tbody tr td", { hasText: /^prod-/ }).first().waitFor();
  await shot("revenue");
});

test("a benefit application submitted with the JS SDK is reviewed in the console: action required, then approved with its allocation", async (t) => {
  if (skipExternal(t)) return;
  const benefits = benefitsClient(server.endpoint, accountA);
  t.after(() => benefits.destroy());
  const BenefitIdentifier = await benefitOf(benefits, catalog, "POC");
  const created = await benefits.send(new CreateBenefitApplicationCommand({ Catalog: catalog, ClientToken: "console-" + Date.now(),
    Name: "Console POC", BenefitIdentifier, BenefitApplicationDetails: pocDetails }));
  await benefits.send(new SubmitBenefitApplicationCommand({ Catalog: catalog, Identifier: created.Id }));
  await page.getByRole("link", { name: "Benefits", exact: true }).click();
  const row = page.locator(`#app-${created.Id}`);
  assert.match(await row.locator(".badge").textContent(), /IN_REVIEW/);
  await shot("benefits");
  await row.getByLabel("Decision").selectOption("ACTION_REQUIRED");
  await row.getByLabel("Reason", { exact: true }).fill("Attach the customer's signed SOW.");
  await row.getByLabel(/Reason codes/).fill("MISSING_DOCUMENTATION");
  await row.getByRole("button", { name: "Decide" }).click();
  await page.getByRole("status").filter({ hasText: `AWS decided ACTION_REQUIRED on ${created.Id}` }).waitFor();
  const got = await benefits.send(new GetBenefitApplicationCommand({ Catalog: catalog, Identifier: created.Id }));
  assert.equal(got.Status, "ACTION_REQUIRED");
  assert.deepEqual(got.StatusReasonCodes, ["MISSING_DOCUMENTATION"]);
  // The partner answers and resubmits; AWS approves in the console.
  await benefits.send(new SubmitBenefitApplicationCommand({ Catalog: catalog, Identifier: created.Id }));
  await page.reload();
  await page.locator(`#app-${created.Id}`).getByLabel("Decision").selectOption("APPROVED");
  await page.locator(`#app-${created.Id}`).getByRole("button", { name: "Decide" }).click();
  await page.getByRole("status").filter({ hasText: `AWS decided APPROVED on ${created.Id}` }).waitFor();
  assert.match(await page.locator(`#app-${created.Id} .badge`).textContent(), /APPROVED/);
  const allocation = page.locator("#allocations tr", { hasText: created.Id });
  await allocation.getByRole("button", { name: "Fulfil" }).click();
  await page.getByRole("status").filter({ hasText: "is FULFILLED" }).waitFor();
  await shot("benefits-approved");
});
