// Resource snapshots and snapshot jobs (semantics.md §3.6, §4; Postman
// CreateResourceSnapshot / GetResourceSnapshot / *ResourceSnapshotJob captures).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateResourceSnapshotCommand,
  GetResourceSnapshotCommand,
  GetResourceSnapshotJobCommand,
  ListResourceSnapshotJobsCommand,
  StartResourceSnapshotJobCommand,
  StopResourceSnapshotJobCommand,
  DeleteResourceSnapshotJobCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { rejectsWith, withoutNulls } from "../lib/expect.mjs";
import { clientToken, opportunityArn } from "../lib/fixtures.mjs";
import { createOpportunity, updateOpportunity } from "../lib/opportunities.mjs";
import {
  createEngagement,
  createSnapshotJob,
  listSnapshots,
  collectPages,
  snapshotArn,
  snapshotJobArn,
  jobIdPattern,
  summaryTemplate,
  eventually,
} from "../lib/engagements.mjs";

const cosell = useCosell();

/** An engagement of A and one of A's opportunities. */
async function engagementWithOpportunity() {
  const { id: engagementId } = await createEngagement(cosell.a, "Sandbox");
  const { id: opportunityId, input } = await createOpportunity(cosell.a, "Sandbox");
  return { engagementId, opportunityId, input };
}

function snapshotInput(engagementId, opportunityId, extra = {}) {
  return {
    Catalog: "Sandbox",
    ClientToken: clientToken(),
    EngagementIdentifier: engagementId,
    ResourceType: "Opportunity",
    ResourceIdentifier: opportunityId,
    ResourceSnapshotTemplateIdentifier: summaryTemplate,
    ...extra,
  };
}

const snapshot = (client, engagementId, opportunityId, extra) => client.send(new CreateResourceSnapshotCommand(snapshotInput(engagementId, opportunityId, extra)));

function getSnapshot(client, engagementId, opportunityId, revision) {
  return client.send(
    new GetResourceSnapshotCommand({
      Catalog: "Sandbox",
      EngagementIdentifier: engagementId,
      ResourceType: "Opportunity",
      ResourceIdentifier: opportunityId,
      ResourceSnapshotTemplateIdentifier: summaryTemplate,
      ...(revision === undefined ? {} : { Revision: revision }),
    }),
  );
}

const jobCall = (Command, client, id) => client.send(new Command({ Catalog: "Sandbox", ResourceSnapshotJobIdentifier: id }));
const getJob = (client, id) => jobCall(GetResourceSnapshotJobCommand, client, id);
const startJob = (client, id) => jobCall(StartResourceSnapshotJobCommand, client, id);
const stopJob = (client, id) => jobCall(StopResourceSnapshotJobCommand, client, id);
const deleteJob = (client, id) => jobCall(DeleteResourceSnapshotJobCommand, client, id);

const nextSteps = (id, text) => updateOpportunity(cosell.a, "Sandbox", id, (input) => (input.LifeCycle.NextSteps = text));

test("CreateResourceSnapshot numbers revisions 1, 2, ... with ARNs ending /snapshot/<revision>", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  const first = await snapshot(cosell.a, engagementId, opportunityId);
  assert.equal(first.Revision, 1);
  assert.equal(first.Arn, snapshotArn("Sandbox", engagementId, opportunityId, summaryTemplate, 1));

  await nextSteps(opportunityId, "Second revision's next steps.");
  const second = await snapshot(cosell.a, engagementId, opportunityId);
  assert.equal(second.Revision, 2);
  assert.equal(second.Arn, snapshotArn("Sandbox", engagementId, opportunityId, summaryTemplate, 2));
});

test("GetResourceSnapshot returns the latest revision unless one is named; each is an immutable copy", async () => {
  const { engagementId, opportunityId, input } = await engagementWithOpportunity();
  await snapshot(cosell.a, engagementId, opportunityId);
  await nextSteps(opportunityId, "Changed after the first snapshot.");
  await snapshot(cosell.a, engagementId, opportunityId);

  const latest = await getSnapshot(cosell.a, engagementId, opportunityId);
  assert.equal(latest.Revision, 2);
  assert.equal(latest.Arn, snapshotArn("Sandbox", engagementId, opportunityId, summaryTemplate, 2));
  assert.equal(latest.Catalog, "Sandbox");
  assert.equal(latest.EngagementId, engagementId);
  assert.equal(latest.ResourceType, "Opportunity");
  assert.equal(latest.ResourceId, opportunityId);
  assert.equal(latest.ResourceSnapshotTemplateName, summaryTemplate);
  assert.equal(latest.CreatedBy, cosell.accountA.accountId);
  assert.ok(latest.CreatedAt instanceof Date);

  const view = latest.Payload.OpportunitySummary;
  assert.ok(view, "the OpportunitySummaryView template fills Payload.OpportunitySummary");
  assert.equal(view.Lifecycle.NextSteps, "Changed after the first snapshot.", "views spell it Lifecycle");
  assert.equal(view.Lifecycle.Stage, "Prospect");
  assert.equal(view.Lifecycle.ReviewStatus, "Pending Submission");
  assert.equal(view.Customer.Account.CompanyName, input.Customer.Account.CompanyName);
  assert.equal(view.Project.CustomerUseCase, input.Project.CustomerUseCase);
  assert.deepEqual(view.PrimaryNeedsFromAws, input.PrimaryNeedsFromAws);
  assert.equal(view.OpportunityType, "Net New Business");

  const first = await getSnapshot(cosell.a, engagementId, opportunityId, 1);
  assert.equal(first.Revision, 1);
  assert.equal(first.Payload.OpportunitySummary.Lifecycle.NextSteps, input.LifeCycle.NextSteps, "revision 1 keeps the state it captured");
});

test("replaying CreateResourceSnapshot's ClientToken returns the same revision", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  const input = snapshotInput(engagementId, opportunityId);
  const first = await cosell.a.send(new CreateResourceSnapshotCommand(input));
  const replay = await cosell.a.send(new CreateResourceSnapshotCommand(structuredClone(input)));
  assert.equal(replay.Revision, first.Revision);
  assert.equal((await listSnapshots(cosell.a, "Sandbox", engagementId)).length, 1);
});

test("a revision that does not exist is ResourceNotFoundException", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  await rejectsWith(getSnapshot(cosell.a, engagementId, opportunityId), "ResourceNotFoundException");
  await snapshot(cosell.a, engagementId, opportunityId);
  await rejectsWith(getSnapshot(cosell.a, engagementId, opportunityId, 7), "ResourceNotFoundException");
});

test("an unknown template is refused", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  // Exception for a well-formed but unknown template name: NOT FOUND; the template is part of the request's validity.
  await rejectsWith(snapshot(cosell.a, engagementId, opportunityId, { ResourceSnapshotTemplateIdentifier: "NoSuchTemplateView" }), "ValidationException");
});

test("snapshots are for members: a non-member can neither take nor read them", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  await snapshot(cosell.a, engagementId, opportunityId);
  const { id: otherOpportunity } = await createOpportunity(cosell.b, "Sandbox");
  // Non-members get AccessDenied, as for the engagement itself; messages NOT FOUND.
  await rejectsWith(snapshot(cosell.b, engagementId, otherOpportunity), "AccessDeniedException");
  await rejectsWith(getSnapshot(cosell.b, engagementId, opportunityId), "AccessDeniedException");
  await rejectsWith(listSnapshots(cosell.b, "Sandbox", engagementId), "AccessDeniedException");
});

test("a member cannot snapshot another account's opportunity", async () => {
  const { id: engagementId } = await createEngagement(cosell.a, "Sandbox");
  const { id: theirs } = await createOpportunity(cosell.b, "Sandbox");
  // The opportunity is invisible to A, as with GetOpportunity.
  await rejectsWith(snapshot(cosell.a, engagementId, theirs), "ResourceNotFoundException");
});

test("ListResourceSnapshots lists every revision and filters by resource, template and creator", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  const { id: otherOpportunity } = await createOpportunity(cosell.a, "Sandbox");
  await snapshot(cosell.a, engagementId, opportunityId);
  await nextSteps(opportunityId, "Another revision.");
  await snapshot(cosell.a, engagementId, opportunityId);
  await snapshot(cosell.a, engagementId, otherOpportunity);

  const all = await listSnapshots(cosell.a, "Sandbox", engagementId);
  const key = (s) => `${s.ResourceId}#${s.Revision}`;
  assert.deepEqual(all.map(key).sort(), [`${opportunityId}#1`, `${opportunityId}#2`, `${otherOpportunity}#1`].sort());
  const one = all.find((s) => s.ResourceId === opportunityId && s.Revision === 2);
  assert.deepEqual(withoutNulls(one), {
    Arn: snapshotArn("Sandbox", engagementId, opportunityId, summaryTemplate, 2),
    Revision: 2,
    ResourceType: "Opportunity",
    ResourceId: opportunityId,
    ResourceSnapshotTemplateName: summaryTemplate,
    CreatedBy: cosell.accountA.accountId,
  });

  const byResource = await listSnapshots(cosell.a, "Sandbox", engagementId, { ResourceType: "Opportunity", ResourceIdentifier: otherOpportunity });
  assert.deepEqual(byResource.map(key), [`${otherOpportunity}#1`]);
  assert.equal((await listSnapshots(cosell.a, "Sandbox", engagementId, { ResourceSnapshotTemplateIdentifier: summaryTemplate })).length, 3);
  assert.equal((await listSnapshots(cosell.a, "Sandbox", engagementId, { CreatedBy: cosell.accountA.accountId })).length, 3);
  assert.deepEqual(await listSnapshots(cosell.a, "Sandbox", engagementId, { CreatedBy: cosell.accountB.accountId }), []);
});

test("CreateResourceSnapshotJob makes a Stopped job whose ARN names the owner", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  const tags = [{ Key: "Environment", Value: "Test" }];
  const { id, arn } = await createSnapshotJob(cosell.a, "Sandbox", engagementId, opportunityId, { Tags: tags });
  assert.match(id, jobIdPattern);
  assert.equal(arn, snapshotJobArn(cosell.accountA.accountId, "Sandbox", id));

  const job = await getJob(cosell.a, id);
  assert.equal(job.Id, id);
  assert.equal(job.Arn, arn);
  assert.equal(job.Catalog, "Sandbox");
  assert.equal(job.EngagementId, engagementId);
  assert.equal(job.ResourceType, "Opportunity");
  assert.equal(job.ResourceId, opportunityId);
  assert.equal(job.ResourceArn, opportunityArn(cosell.accountA.accountId, "Sandbox", opportunityId));
  assert.equal(job.ResourceSnapshotTemplateName, summaryTemplate);
  assert.equal(job.Status, "Stopped", "a created job has not been started (real capture: Stopped)");
  assert.ok(job.CreatedAt instanceof Date);

  const { Tags } = await cosell.a.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
  assert.deepEqual(Tags, tags);
});

test("snapshot jobs move Stopped → Running → Stopped and refuse the moves their state forbids", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  const { id } = await createSnapshotJob(cosell.a, "Sandbox", engagementId, opportunityId);

  // StopResourceSnapshotJob: "The job must be started prior to being stopped". Start/Stop model no
  // ConflictException, so a state error is a ValidationException; its Reason and message: NOT FOUND.
  await rejectsWith(stopJob(cosell.a, id), "ValidationException");
  await startJob(cosell.a, id);
  assert.equal((await getJob(cosell.a, id)).Status, "Running");
  await rejectsWith(startJob(cosell.a, id), "ValidationException");
  // "The job must be in a stopped state before it can be deleted"; DeleteResourceSnapshotJob models ConflictException.
  await rejectsWith(deleteJob(cosell.a, id), "ConflictException");

  await stopJob(cosell.a, id);
  assert.equal((await getJob(cosell.a, id)).Status, "Stopped");
  await rejectsWith(stopJob(cosell.a, id), "ValidationException");

  await deleteJob(cosell.a, id);
  await rejectsWith(getJob(cosell.a, id), "ResourceNotFoundException");
  await rejectsWith(deleteJob(cosell.a, id), "ResourceNotFoundException");
});

test("a running job takes a new revision when a template field changes, and none after a no-op update", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  const { id } = await createSnapshotJob(cosell.a, "Sandbox", engagementId, opportunityId);
  const revisions = async () => (await listSnapshots(cosell.a, "Sandbox", engagementId, { ResourceIdentifier: opportunityId, ResourceType: "Opportunity" })).map((s) => s.Revision).sort((x, y) => x - y);
  const expectRevisions = (expected) => eventually(async () => assert.deepEqual(await revisions(), expected));

  await startJob(cosell.a, id);
  await expectRevisions([1]); // the first run captures the resource, which has no snapshot yet

  await nextSteps(opportunityId, "Changed while the job runs.");
  await expectRevisions([1, 2]);
  const latest = await getSnapshot(cosell.a, engagementId, opportunityId);
  assert.equal(latest.Revision, 2);
  assert.equal(latest.Payload.OpportunitySummary.Lifecycle.NextSteps, "Changed while the job runs.");
  const job = await getJob(cosell.a, id);
  assert.ok(job.LastSuccessfulExecutionDate instanceof Date, "a successful run is recorded");

  await updateOpportunity(cosell.a, "Sandbox", opportunityId, () => {}); // same content sent back
  await new Promise((res) => setTimeout(res, 500));
  assert.deepEqual(await revisions(), [1, 2], "no new revision when the resource state has not changed");

  await stopJob(cosell.a, id);
  await nextSteps(opportunityId, "Changed after the job stopped.");
  await new Promise((res) => setTimeout(res, 500));
  assert.deepEqual(await revisions(), [1, 2], "a stopped job takes no revisions");
});

test("ListResourceSnapshotJobs lists the caller's jobs, filtered by engagement and status", async () => {
  const { engagementId, opportunityId } = await engagementWithOpportunity();
  const { id: otherOpportunity } = await createOpportunity(cosell.a, "Sandbox");
  const running = await createSnapshotJob(cosell.a, "Sandbox", engagementId, opportunityId);
  const stopped = await createSnapshotJob(cosell.a, "Sandbox", engagementId, otherOpportunity);
  await startJob(cosell.a, running.id);

  const list = (client, filters) =>
    collectPages(
      (NextToken) => client.send(new ListResourceSnapshotJobsCommand({ Catalog: "Sandbox", ...filters, NextToken })),
      (page) => page.ResourceSnapshotJobSummaries,
    );
  const all = await list(cosell.a, { EngagementIdentifier: engagementId });
  assert.deepEqual(all.map((j) => j.Id).sort(), [running.id, stopped.id].sort());
  assert.deepEqual(withoutNulls(all.find((j) => j.Id === running.id)), {
    Id: running.id,
    Arn: running.arn,
    EngagementId: engagementId,
    Status: "Running",
  });
  assert.deepEqual((await list(cosell.a, { EngagementIdentifier: engagementId, Status: "Running" })).map((j) => j.Id), [running.id]);
  assert.deepEqual((await list(cosell.a, { EngagementIdentifier: engagementId, Status: "Stopped" })).map((j) => j.Id), [stopped.id]);
  assert.deepEqual(await list(cosell.b, { EngagementIdentifier: engagementId }).catch((err) => (err.name === "AccessDeniedException" ? [] : Promise.reject(err))), []);
});

test("an unknown snapshot job is ResourceNotFoundException", async () => {
  await rejectsWith(getJob(cosell.a, "job-0000000000000"), "ResourceNotFoundException");
  await rejectsWith(startJob(cosell.a, "job-0000000000000"), "ResourceNotFoundException");
});

test("a non-member cannot create a snapshot job on the engagement", async () => {
  const { engagementId } = await engagementWithOpportunity();
  const { id: theirs } = await createOpportunity(cosell.b, "Sandbox");
  await rejectsWith(createSnapshotJob(cosell.b, "Sandbox", engagementId, theirs), "AccessDeniedException");
});
