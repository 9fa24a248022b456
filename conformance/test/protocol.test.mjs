// The protocol layer as SDKs see it: SigV4, request validation, request ids,
// routing (X-Amz-Target and the Postman-style POST /<Operation>), and a clear
// answer from every modelled operation.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as selling from "@aws-sdk/client-partnercentral-selling";
import * as account from "@aws-sdk/client-partnercentral-account";
import { useCosell, skipAwsCatalogWriteOnRealEndpoint } from "../lib/suite.mjs";
import { sellingClient, accountClient } from "../lib/clients.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { signedPost } from "../lib/raw.mjs";
import { completeOpportunity } from "../lib/fixtures.mjs";
import { sellingOperations, accountOperations } from "../lib/model.mjs";

const { ListOpportunitiesCommand, GetOpportunityCommand } = selling;
const cosell = useCosell();

const unknownKey = { credentials: { accessKeyId: "AKIDNOSUCHKEY0000000", secretAccessKey: "whatever" } };
const wrongSecret = (who) => ({ credentials: { ...who.credentials, secretAccessKey: `${who.credentials.secretAccessKey}-wrong` } });

test("an unknown access key is UnrecognizedClientException", async () => {
  const client = sellingClient(cosell.endpoint, unknownKey);
  await rejectsWith(client.send(new ListOpportunitiesCommand({ Catalog: "Sandbox" })), "UnrecognizedClientException");
  client.destroy();
});

test("a wrong secret is InvalidSignatureException", async () => {
  const client = sellingClient(cosell.endpoint, wrongSecret(cosell.accountA));
  await rejectsWith(client.send(new ListOpportunitiesCommand({ Catalog: "Sandbox" })), "InvalidSignatureException");
  client.destroy();
});

test("the Account API checks signatures the same way", async () => {
  const unknown = accountClient(cosell.endpoint, unknownKey);
  await rejectsWith(unknown.send(new account.ListPartnersCommand({ Catalog: "Sandbox" })), "UnrecognizedClientException");
  unknown.destroy();
  const wrong = accountClient(cosell.endpoint, wrongSecret(cosell.accountB));
  await rejectsWith(wrong.send(new account.ListPartnersCommand({ Catalog: "Sandbox" })), "InvalidSignatureException");
  wrong.destroy();
});

test("a missing required member is a REQUEST_VALIDATION_FAILED ValidationException naming the field", async () => {
  const err = await rejectsWith(cosell.a.send(new GetOpportunityCommand({ Catalog: "Sandbox" })), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /^identifier$/i,
    code: "REQUIRED_FIELD_MISSING",
  });
  assert.ok(err instanceof selling.ValidationException, "the SDK maps it to its modelled ValidationException class");
  assert.equal(err.$metadata.httpStatusCode, 400);
});

test("a missing Catalog is a ValidationException (the model's own smoke test)", async () => {
  await rejectsWith(cosell.a.send(new ListOpportunitiesCommand({})), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /catalog/i,
    code: "REQUIRED_FIELD_MISSING",
  });
});

test("a value outside an enum is INVALID_ENUM_VALUE on that field", async () => {
  const input = { Catalog: "Sandbox", Sort: { SortBy: "Popularity", SortOrder: "ASCENDING" } };
  await rejectsWith(cosell.a.send(new ListOpportunitiesCommand(input)), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /sortby/i,
    code: "INVALID_ENUM_VALUE",
  });
});

test("a pattern or range violation names the field", async () => {
  await rejectsWith(cosell.a.send(new GetOpportunityCommand({ Catalog: "Sandbox", Identifier: "X-1" })), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /identifier/i,
  });
  await rejectsWith(cosell.a.send(new ListOpportunitiesCommand({ Catalog: "Sandbox", MaxResults: 101 })), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /maxresults/i,
  });
});

test("every response carries its own request id", async () => {
  const first = await rejectsWith(cosell.a.send(new GetOpportunityCommand({ Catalog: "Sandbox" })), "ValidationException");
  const second = await rejectsWith(cosell.a.send(new GetOpportunityCommand({ Catalog: "Sandbox" })), "ValidationException");
  assert.match(first.$metadata.requestId, /\S/);
  assert.notEqual(first.$metadata.requestId, second.$metadata.requestId, "request ids are unique per request");
});

test("Postman style: POST /CreateOpportunity with application/json and no X-Amz-Target", async (t) => {
  if (skipAwsCatalogWriteOnRealEndpoint(t)) return;
  const body = completeOpportunity("AWS");
  const res = await signedPost(cosell.endpoint, "/CreateOpportunity", body, {
    who: cosell.accountA,
    headers: { "content-type": "application/json; charset=UTF-8" },
  });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get("content-type") ?? "", /json/);
  assert.match(res.headers.get("x-amzn-requestid") ?? "", /\S/);
  assert.match(res.json?.Id ?? "", /^O\d+$/);
  assert.ok(!Number.isNaN(Date.parse(res.json.LastModifiedDate)), "LastModifiedDate is an ISO-8601 string");

  // The record is the same one the SDK then reads through X-Amz-Target routing.
  const got = await cosell.a.send(new GetOpportunityCommand({ Catalog: "AWS", Identifier: res.json.Id }));
  assert.equal(got.Customer.Account.CompanyName, body.Customer.Account.CompanyName);
});

test("Postman style errors are JSON with __type and the modelled members", async () => {
  const res = await signedPost(cosell.endpoint, "/GetOpportunity", { Catalog: "Sandbox" }, {
    who: cosell.accountA,
    headers: { "content-type": "application/json; charset=UTF-8" },
  });
  assert.equal(res.status, 400, res.text);
  assert.match(res.json?.__type ?? "", /ValidationException$/);
  assert.equal(res.json.Reason, "REQUEST_VALIDATION_FAILED");
  assert.ok(Array.isArray(res.json.ErrorList) && res.json.ErrorList.length > 0, res.text);
});

test("an unknown X-Amz-Target is UnknownOperationException", async () => {
  const res = await signedPost(cosell.endpoint, "/", { Catalog: "Sandbox" }, {
    who: cosell.accountA,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSPartnerCentralSelling.NoSuchOperation" },
  });
  assert.equal(res.status, 400, res.text);
  assert.match(res.json?.__type ?? "", /UnknownOperationException$/);
});

test("a body that is not JSON is SerializationException", async () => {
  const res = await signedPost(cosell.endpoint, "/", "{not json", {
    who: cosell.accountA,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSPartnerCentralSelling.ListOpportunities" },
  });
  assert.equal(res.status, 400, res.text);
  assert.match(res.json?.__type ?? "", /SerializationException$/);
});

// Every modelled operation must answer with a result, a modelled exception,
// or (while unimplemented) a NotImplementedException that names it; never a
// bare 500 or an error the SDK cannot name.
for (const [service, sdk, operations, makeClient] of [
  ["selling", selling, sellingOperations, sellingClient],
  ["account", account, accountOperations, accountClient],
]) {
  const baseError = Object.values(sdk).find((v) => typeof v === "function" && /ServiceException$/.test(v.name) && v.name !== "ServiceException");
  const modelled = new Set(Object.values(sdk).filter((v) => typeof v === "function" && v.prototype instanceof baseError).map((v) => v.name));
  test(`every ${service} operation gives a clear answer`, async (t) => {
    const client = makeClient(cosell.endpoint, cosell.accountB);
    const notImplemented = [];
    const unknownToSdk = [];
    for (const op of operations) {
      const Command = sdk[`${op}Command`];
      if (!Command) {
        // The newest published client can predate the model (the Account
        // client 3.1086.0 has none of the 2026-07 qualification operations);
        // the boto3 suite, on botocore's newest model, covers those.
        unknownToSdk.push(op);
        continue;
      }
      await t.test(op, async () => {
        try {
          await client.send(new Command({ Catalog: "Sandbox" }));
        } catch (err) {
          assert.ok(err.$metadata?.requestId, `${op}: ${err.name} has a request id (${err.message})`);
          if (err.name === "NotImplementedException") {
            assert.match(err.message, new RegExp(op), `${op}: the message names the operation`);
            notImplemented.push(op);
            return;
          }
          assert.ok(modelled.has(err.name), `${op}: ${err.name} (${err.$metadata?.httpStatusCode}) is a modelled exception: ${err.message}`);
          assert.notEqual(err.name, "InternalServerException", `${op}: ${err.message}`);
        }
      });
    }
    client.destroy();
    t.diagnostic(`${service} operations not implemented yet: ${notImplemented.join(", ") || "none"}`);
    t.diagnostic(`${service} operations the pinned SDK does not know: ${unknownToSdk.join(", ") || "none"}`);
    assert.ok(unknownToSdk.length < operations.length / 2, `the SDK knows most ${service} operations (unknown: ${unknownToSdk})`);
  });
}
