// The legacy ACE file exchange over S3 (semantics.md §6), driven with the
// official JS S3 client as a partner's integration drives it: files into
// opportunity-inbound/, results read back from the results folder, AWS's
// referrals read from opportunity-outbound/, and the folder permissions
// AWS's policy grants. The opportunities files create are the ones the
// Selling API shows. AWS closed the exchange to new partners and its buckets
// are AWS-owned, so against a real endpoint every test is skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  S3Client,
  PutObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  DeleteObjectCommand,
  PutObjectTaggingCommand,
  GetObjectTaggingCommand,
} from "@aws-sdk/client-s3";
import { useCosell } from "../lib/suite.mjs";
import { skipWithoutClock, awsSide } from "../lib/admin.mjs";
import { accountA, accountB } from "../lib/clients.mjs";
import { getOpportunity } from "../lib/opportunities.mjs";
import { isoDate, uniqueSuffix } from "../lib/fixtures.mjs";

const cosell = useCosell();
const bucket = "ace-apn-1111111-beta-us-west-2"; // account A's Sandbox bucket (spmsId from the account id)

function s3(who = accountA) {
  return new S3Client({ endpoint: cosell.endpoint, region: "us-west-2", forcePathStyle: true, credentials: who.credentials, maxAttempts: 1 });
}

/** A file name as AWS requires it: {name}_MMDDYYYY24HHMMSS.json, unique per call. */
function inboundName(name, ext = "json") {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const stamp = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${d.getUTCFullYear()}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return `${name}${uniqueSuffix().replace(/[^A-Za-z0-9]/g, "")}_${stamp}.${ext}`;
}

/** AWS's create sample, for account A and with a close date ahead. */
function sampleFile(partnerCrmId) {
  const file = JSON.parse(readFileSync(new URL("../../internal/ace/exchange/testdata/Opportunity-Create-Inbound-Sample.json", import.meta.url)));
  file.spmsId = "1111111";
  Object.assign(file.opportunities[0], { partnerCrmUniqueIdentifier: partnerCrmId, targetCloseDate: isoDate(365) });
  return JSON.stringify(file);
}

async function put(client, key, body, acl = "bucket-owner-full-control") {
  return client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "application/json", ...(acl ? { ACL: acl } : {}) }));
}

/** Polls for an object the exchange writes, as an integration polls its results folder. */
async function waitForObject(client, key) {
  for (let i = 0; i < 400; i++) {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await out.Body.transformToString());
    } catch (err) {
      if (err.name !== "NoSuchKey") throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${key} never appeared`);
}

async function rejectsAccessDenied(promise, what) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, "AccessDenied", `${what}: ${err.name} ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 403, what);
    return true;
  });
}

test("a file put into opportunity-inbound/ becomes an opportunity the Selling API shows, with a result file", async (t) => {
  if (skipWithoutClock(t)) return;
  const client = s3();
  const name = inboundName("create");
  const crmId = `crm-${uniqueSuffix()}`;
  await put(client, `opportunity-inbound/${name}`, sampleFile(crmId));
  const result = await waitForObject(client, `opportunity-inbound-processed-results/${name.replace(/\.json$/, "_result.json")}`);
  assert.equal(result.success, "ALL", JSON.stringify(result));
  assert.equal(result.spmsId, "1111111");
  assert.equal(result.fileName, `opportunity-inbound/${name}`);
  const [record] = result.inboundApiResults;
  assert.equal(record.partnerCrmUniqueIdentifier, crmId);
  assert.match(record.apnCrmUniqueIdentifier, /^O[0-9]+$/);

  const opportunity = await getOpportunity(cosell.a, "Sandbox", record.apnCrmUniqueIdentifier);
  assert.equal(opportunity.PartnerOpportunityIdentifier, crmId);
  assert.equal(opportunity.Customer.Account.CompanyName, "Test LLC");
  assert.equal(opportunity.LifeCycle.ReviewStatus, "Pending Submission");

  // The input moved to the inbound archive; the result has its archive copy.
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "opportunity-inbound" }));
  const keys = (listed.Contents ?? []).map((o) => o.Key);
  assert.ok(keys.includes(`opportunity-inbound-archive/${name}`), keys.join(", "));
  assert.ok(!keys.includes(`opportunity-inbound/${name}`), keys.join(", "));

  // A second file with the same partner CRM id updates that opportunity.
  const update = JSON.stringify({ version: "2.0", spmsId: "1111111", opportunities: [{ partnerCrmUniqueIdentifier: crmId, nextStep: "Schedule the architecture review" }] });
  const second = inboundName("update");
  await put(client, `opportunity-inbound/${second}`, update);
  const updated = await waitForObject(client, `opportunity-inbound-processed-results/${second.replace(/\.json$/, "_result.json")}`);
  assert.equal(updated.success, "ALL", JSON.stringify(updated));
  assert.equal(updated.inboundApiResults[0].apnCrmUniqueIdentifier, record.apnCrmUniqueIdentifier);
  assert.equal((await getOpportunity(cosell.a, "Sandbox", record.apnCrmUniqueIdentifier)).LifeCycle.NextSteps, "Schedule the architecture review");
});

test("files AWS cannot take are answered, not processed", async (t) => {
  if (skipWithoutClock(t)) return;
  const client = s3();
  const csv = inboundName("notjson", "csv");
  await put(client, `opportunity-inbound/${csv}`, "a,b\n1,2\n");
  const error = await waitForObject(client, `opportunity-inbound-processed-results/${csv}.error.json`);
  assert.ok(JSON.stringify(error).length > 2, "the error file says why");

  const broken = inboundName("broken");
  await put(client, `opportunity-inbound/${broken}`, "{not json");
  const result = await waitForObject(client, `opportunity-inbound-processed-results/${broken.replace(/\.json$/, "_result.json")}`);
  assert.equal(result.isApiError, true, JSON.stringify(result));
  assert.equal(result.success, "NONE");
});

test("AWS's policy: uploads only into inbound folders and with the bucket-owner ACL, only into your own bucket", async (t) => {
  if (skipWithoutClock(t)) return;
  const body = sampleFile(`crm-${uniqueSuffix()}`);
  await rejectsAccessDenied(put(s3(), `opportunity-outbound/${inboundName("x")}`, body), "put into opportunity-outbound/");
  await rejectsAccessDenied(put(s3(), `opportunity-inbound/${inboundName("x")}`, body, null), "put without the ACL");
  await rejectsAccessDenied(put(s3(accountB), `opportunity-inbound/${inboundName("x")}`, body), "put into another partner's bucket");
  await rejectsAccessDenied(s3(accountB).send(new ListObjectsV2Command({ Bucket: bucket })), "list another partner's bucket");
});

test("AWS's referral is exported to opportunity-outbound/ masked; the partner tags and deletes the file", async (t) => {
  if (skipWithoutClock(t)) return;
  const referral = await awsSide(cosell.endpoint, cosell.adminToken, "POST", "referrals", {
    catalog: "Sandbox",
    account: accountA.accountId,
    opportunity: {
      Customer: { CompanyName: "Outbound Corp", CountryCode: "US", Industry: "Retail", WebsiteUrl: "https://outbound.example" },
      Project: { Title: "Outbound project", BusinessProblem: "The customer wants its stores on AWS.", TargetCompletionDate: isoDate(200) },
    },
  });
  const exported = await awsSide(cosell.endpoint, cosell.adminToken, "POST", "ace/export", { account: accountA.accountId, catalog: "Sandbox" });
  assert.ok(exported.opportunities >= 1, JSON.stringify(exported));
  const client = s3();
  const key = exported.keys.find((k) => k.startsWith("opportunity-outbound/"));
  assert.ok(key, JSON.stringify(exported));
  const file = await waitForObject(client, key);
  assert.equal(file.version, "2.0");
  const record = file.opportunities.find((o) => o.apnCrmUniqueIdentifier === referral.invitationId);
  assert.ok(record, JSON.stringify(file));
  assert.equal(record.customerCompanyName, "Accept To View");

  await client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [{ Key: "partner_processed", Value: "true" }] } }));
  const tags = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  assert.deepEqual(tags.TagSet, [{ Key: "partner_processed", Value: "true" }]);
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  await rejectsAccessDenied(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key.replace("opportunity-outbound/", "opportunity-outbound-archive/") })), "delete from the archive");
});
