// TagResource / UntagResource / ListTagsForResource on opportunities, and the
// selling system settings (semantics.md §3.6, §4).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
  GetSellingSystemSettingsCommand,
  PutSellingSystemSettingsCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { rejectsWith } from "../lib/expect.mjs";
import { opportunityArn } from "../lib/fixtures.mjs";
import { createOpportunity, getOpportunity } from "../lib/opportunities.mjs";

const cosell = useCosell();

const tagsOf = async (client, arn) => (await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
const byKey = (tags) => [...tags].sort((x, y) => (x.Key < y.Key ? -1 : 1));

test("tags given at CreateOpportunity are listed on the opportunity's ARN", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox", { edit: (input) => (input.Tags = [{ Key: "crm", Value: "salesforce" }]) });
  const { Arn } = await getOpportunity(cosell.a, "Sandbox", id);
  assert.deepEqual(await tagsOf(cosell.a, Arn), [{ Key: "crm", Value: "salesforce" }]);
});

test("TagResource adds and overwrites, UntagResource removes, ListTagsForResource shows the result", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const arn = opportunityArn(cosell.accountA.accountId, "Sandbox", id);
  assert.deepEqual(await tagsOf(cosell.a, arn), []);

  const tagged = await cosell.a.send(
    new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "Environment", Value: "Test" }, { Key: "Project", Value: "Alpha" }] }),
  );
  assert.equal(tagged.$metadata.httpStatusCode, 200);
  await cosell.a.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "Environment", Value: "Production" }] }));
  assert.deepEqual(byKey(await tagsOf(cosell.a, arn)), [
    { Key: "Environment", Value: "Production" },
    { Key: "Project", Value: "Alpha" },
  ]);

  await cosell.a.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["Project", "NotThere"] }));
  assert.deepEqual(await tagsOf(cosell.a, arn), [{ Key: "Environment", Value: "Production" }]);
});

test("another account's opportunity ARN is refused for every tag operation", async () => {
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const arn = opportunityArn(cosell.accountA.accountId, "Sandbox", id);
  // Which exception: NOT FOUND in semantics.md; AWS answers foreign ARNs with AccessDenied or NotFound.
  const refused = ["AccessDeniedException", "ResourceNotFoundException"];
  for (const command of [
    new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "k", Value: "v" }] }),
    new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["k"] }),
    new ListTagsForResourceCommand({ ResourceArn: arn }),
  ]) {
    await assert.rejects(cosell.b.send(command), (err) => {
      assert.ok(refused.includes(err.name), `${command.constructor.name}: ${err.name}: ${err.message}`);
      return true;
    });
  }
  assert.deepEqual(await tagsOf(cosell.a, arn), []);
});

test("an ARN naming no opportunity is ResourceNotFoundException", async () => {
  const arn = opportunityArn(cosell.accountA.accountId, "Sandbox", "O9999999999999999");
  await rejectsWith(cosell.a.send(new ListTagsForResourceCommand({ ResourceArn: arn })), "ResourceNotFoundException");
});

test("a malformed ARN or an empty tag list is a request validation error", async () => {
  await rejectsWith(cosell.a.send(new ListTagsForResourceCommand({ ResourceArn: "arn:aws:s3:::bucket" })), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /resourcearn/i,
  });
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const arn = opportunityArn(cosell.accountA.accountId, "Sandbox", id);
  await rejectsWith(cosell.a.send(new TagResourceCommand({ ResourceArn: arn, Tags: [] })), "ValidationException", {
    reason: "REQUEST_VALIDATION_FAILED",
    field: /tags/i,
  });
});

test("PutSellingSystemSettings stores the snapshot job role and GetSellingSystemSettings returns it", async () => {
  const role = `arn:aws:iam::${cosell.accountA.accountId}:role/PartnerCentralSnapshotJobRole`;
  const put = await cosell.a.send(new PutSellingSystemSettingsCommand({ Catalog: "Sandbox", ResourceSnapshotJobRoleIdentifier: role }));
  assert.equal(put.Catalog, "Sandbox");
  assert.equal(put.ResourceSnapshotJobRoleArn, role);
  const got = await cosell.a.send(new GetSellingSystemSettingsCommand({ Catalog: "Sandbox" }));
  assert.equal(got.Catalog, "Sandbox");
  assert.equal(got.ResourceSnapshotJobRoleArn, role);
});

test("selling system settings belong to one account", async () => {
  const role = `arn:aws:iam::${cosell.accountA.accountId}:role/OnlyForAccountA`;
  await cosell.a.send(new PutSellingSystemSettingsCommand({ Catalog: "Sandbox", ResourceSnapshotJobRoleIdentifier: role }));
  const other = await cosell.b.send(new GetSellingSystemSettingsCommand({ Catalog: "Sandbox" }));
  assert.notEqual(other.ResourceSnapshotJobRoleArn, role);
});

test("a role identifier outside the model's pattern is refused", async () => {
  await rejectsWith(
    cosell.a.send(new PutSellingSystemSettingsCommand({ Catalog: "Sandbox", ResourceSnapshotJobRoleIdentifier: "arn:aws:iam::123:user/not-a-role" })),
    "ValidationException",
    { reason: "REQUEST_VALIDATION_FAILED", field: /resourcesnapshotjobroleidentifier/i },
  );
});
