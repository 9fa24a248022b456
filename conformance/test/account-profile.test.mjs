// Account API profile: visibility, and profile update tasks — one at a time,
// cancellable while running, and published to the partner's profile once
// they complete (semantics.md §7.2). Its own server: it moves the clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GetProfileVisibilityCommand,
  PutProfileVisibilityCommand,
  GetProfileUpdateTaskCommand,
  CancelProfileUpdateTaskCommand,
} from "@aws-sdk/client-partnercentral-account";
import { skipWithoutClock } from "../lib/admin.mjs";
import { clientToken } from "../lib/fixtures.mjs";
import {
  useAccountApi,
  createPartner,
  getPartner,
  profileDetails,
  startProfileTask,
  settleDuration,
  profileIdPattern,
  profileTaskIdPattern,
  rejectsWithReason,
} from "../lib/account.mjs";

let partner;
const cosell = useAccountApi(async (ctx) => {
  partner = await createPartner(ctx.pa, "Sandbox");
});

const getVisibility = (client, identifier = partner.Id) => client.send(new GetProfileVisibilityCommand({ Catalog: "Sandbox", Identifier: identifier }));
const putVisibility = (client, visibility, identifier = partner.Id) =>
  client.send(new PutProfileVisibilityCommand({ Catalog: "Sandbox", Identifier: identifier, Visibility: visibility }));
const getTask = (identifier = partner.Id) => cosell.pa.send(new GetProfileUpdateTaskCommand({ Catalog: "Sandbox", Identifier: identifier }));
const cancelTask = (taskId) => cosell.pa.send(new CancelProfileUpdateTaskCommand({ Catalog: "Sandbox", Identifier: partner.Id, ClientToken: clientToken(), TaskId: taskId }));
const unknownPartnerId = "partner-0000000000000";
const unknownTaskId = "pprofiletask-0000000000000";

test("GetProfileVisibility names the partner, its public profile id and a visibility", async () => {
  const got = await getVisibility(cosell.pa);
  assert.equal(got.Catalog, "Sandbox");
  assert.equal(got.Id, partner.Id);
  assert.equal(got.Arn, partner.Arn);
  assert.match(got.ProfileId, profileIdPattern);
  assert.ok(["PUBLIC", "PRIVATE"].includes(got.Visibility), got.Visibility);
});

test("PutProfileVisibility switches between PUBLIC and PRIVATE, and GetProfileVisibility follows", async () => {
  const { ProfileId } = await getVisibility(cosell.pa);
  for (const visibility of ["PUBLIC", "PRIVATE"]) {
    const put = await putVisibility(cosell.pa, visibility, partner.Arn);
    assert.equal(put.Visibility, visibility);
    assert.equal(put.Id, partner.Id);
    assert.equal(put.ProfileId, ProfileId, "the profile id does not change with visibility");
    assert.equal((await getVisibility(cosell.pa)).Visibility, visibility);
  }
});

test("visibility of an unknown partner is PARTNER_NOT_FOUND; another account's partner is refused", async () => {
  await rejectsWithReason(getVisibility(cosell.pa, unknownPartnerId), "ResourceNotFoundException", { reason: "PARTNER_NOT_FOUND" });
  await rejectsWithReason(putVisibility(cosell.pa, "PUBLIC", unknownPartnerId), "ResourceNotFoundException", { reason: "PARTNER_NOT_FOUND" });
  // Which exception for a foreign partner: NOT FOUND in semantics.md.
  await assert.rejects(putVisibility(cosell.pb, "PUBLIC"), (err) => {
    assert.ok(["AccessDeniedException", "ResourceNotFoundException"].includes(err.name), `${err.name}: ${err.message}`);
    return true;
  });
});

test("before any update task, GetProfileUpdateTask is PARTNER_PROFILE_TASK_NOT_FOUND", async () => {
  await rejectsWithReason(getTask(), "ResourceNotFoundException", { reason: "PARTNER_PROFILE_TASK_NOT_FOUND" });
});

test("one update task at a time: a second start is INCOMPATIBLE_PARTNER_PROFILE_TASK_STATE until the first is cancelled", async () => {
  const details = profileDetails();
  const token = clientToken();
  const started = await startProfileTask(cosell.pa, "Sandbox", partner.Id, details, token);
  assert.equal(started.Catalog, "Sandbox");
  assert.equal(started.Id, partner.Id);
  assert.equal(started.Arn, partner.Arn);
  assert.match(started.TaskId, profileTaskIdPattern);
  assert.equal(started.Status, "IN_PROGRESS");
  assert.ok(started.StartedAt instanceof Date);
  assert.equal(started.EndedAt ?? undefined, undefined);
  assert.equal(started.TaskDetails.DisplayName, details.DisplayName);
  assert.deepEqual(started.TaskDetails.IndustrySegments, details.IndustrySegments);

  const polled = await getTask(partner.Arn);
  assert.equal(polled.TaskId, started.TaskId);
  assert.equal(polled.Status, "IN_PROGRESS");

  // The same request replayed with its token is the same task, not a second one.
  const replay = await startProfileTask(cosell.pa, "Sandbox", partner.Id, details, token);
  assert.equal(replay.TaskId, started.TaskId);

  await rejectsWithReason(startProfileTask(cosell.pa, "Sandbox", partner.Id), "ConflictException", { reason: "INCOMPATIBLE_PARTNER_PROFILE_TASK_STATE" });

  const canceled = await cancelTask(started.TaskId);
  assert.equal(canceled.TaskId, started.TaskId);
  assert.equal(canceled.Status, "CANCELED");
  assert.ok(canceled.EndedAt instanceof Date);
  assert.equal((await getTask()).Status, "CANCELED");
  assert.notEqual((await getPartner(cosell.pa, "Sandbox", partner.Id)).Profile.DisplayName, details.DisplayName, "a cancelled task changes nothing");

  // Cancelling is allowed only while IN_PROGRESS.
  await rejectsWithReason(cancelTask(started.TaskId), "ConflictException", { reason: "INCOMPATIBLE_PARTNER_PROFILE_TASK_STATE" });
  await rejectsWithReason(cancelTask(unknownTaskId), "ResourceNotFoundException", { reason: "PARTNER_PROFILE_TASK_NOT_FOUND" });
});

test("an update task completes once time passes and the partner's profile shows the new content", async (t) => {
  if (skipWithoutClock(t)) return;
  const details = profileDetails({
    Description: "Data and analytics consultancy.",
    WebsiteUrl: "https://partner.example.org",
    LogoUrl: "https://partner.example.org/logo.png",
    PrimarySolutionType: "MANAGED_SERVICES",
    IndustrySegments: ["RETAIL"],
  });
  const started = await startProfileTask(cosell.pa, "Sandbox", partner.Id, details);
  assert.equal(started.Status, "IN_PROGRESS");
  await cosell.advanceClock(settleDuration);

  const done = await getTask();
  assert.equal(done.TaskId, started.TaskId);
  assert.equal(done.Status, "SUCCEEDED");
  assert.ok(done.EndedAt instanceof Date && done.EndedAt >= done.StartedAt);

  const { Profile } = await getPartner(cosell.pa, "Sandbox", partner.Id);
  assert.equal(Profile.DisplayName, details.DisplayName);
  assert.equal(Profile.Description, details.Description);
  assert.equal(Profile.WebsiteUrl, details.WebsiteUrl);
  assert.equal(Profile.LogoUrl, details.LogoUrl);
  assert.equal(Profile.PrimarySolutionType, details.PrimarySolutionType);
  assert.deepEqual(Profile.IndustrySegments, details.IndustrySegments);
  assert.equal(Profile.TranslationSourceLocale, details.TranslationSourceLocale);
  assert.match(Profile.ProfileId, profileIdPattern);

  // A finished task cannot be cancelled; a new one may start.
  await rejectsWithReason(cancelTask(started.TaskId), "ConflictException", { reason: "INCOMPATIBLE_PARTNER_PROFILE_TASK_STATE" });
  const next = await startProfileTask(cosell.pa, "Sandbox", partner.Id);
  assert.notEqual(next.TaskId, started.TaskId);
  assert.equal((await cancelTask(next.TaskId)).Status, "CANCELED");
});

test("update tasks of an unknown partner are PARTNER_NOT_FOUND", async () => {
  await rejectsWithReason(startProfileTask(cosell.pa, "Sandbox", unknownPartnerId), "ResourceNotFoundException", { reason: "PARTNER_NOT_FOUND" });
  await rejectsWithReason(getTask(unknownPartnerId), "ResourceNotFoundException", { reason: "PARTNER_NOT_FOUND" });
});
