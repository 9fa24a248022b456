// The three tasks and their listings (semantics.md §3.2–§3.4; Postman
// "Inviting Partner", "Receiving Partner" and LeadToOpportunity captures).
// Every real capture shows the tasks completing synchronously.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateOpportunityCommand,
  ListEngagementFromOpportunityTasksCommand,
  ListEngagementByAcceptingInvitationTasksCommand,
  ListOpportunityFromEngagementTasksCommand,
  ListEngagementResourceAssociationsCommand,
  ListEngagementsCommand,
  ListResourceSnapshotJobsCommand,
  UpdateEngagementContextCommand,
  GetResourceSnapshotJobCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { connectPartners } from "../lib/connections.mjs";
import { rejectsWith, withoutNulls } from "../lib/expect.mjs";
import { clientToken } from "../lib/fixtures.mjs";
import { getOpportunity } from "../lib/opportunities.mjs";
import {
  createEngagement,
  getEngagement,
  leadContext,
  customerProjectContext,
  invite,
  getInvitation,
  opportunityInvitationFor,
  submittableOpportunity,
  associateSandboxSolution,
  startEngagementFromOpportunity,
  acceptInvitationTask,
  opportunityFromEngagementTask,
  collectPages,
  listInvitations,
  taskArn,
  taskIdPattern,
  engagementIdPattern,
  invitationIdPattern,
  jobIdPattern,
  summaryTemplate,
} from "../lib/engagements.mjs";

const cosell = useCosell(connectPartners);

/** ReasonCode and Message are absent (or null) on a COMPLETE task; list responses were seen carrying the string "null". */
function assertNoFailure(task, label) {
  assert.ok([undefined, null, "null"].includes(task.ReasonCode), `${label}: ReasonCode ${task.ReasonCode}`);
}

/** An opportunity with only what CreateOpportunity requires: not ready for submission. */
async function incompleteOpportunity(client) {
  const created = await client.send(
    new CreateOpportunityCommand({
      Catalog: "Sandbox",
      ClientToken: clientToken(),
      Origin: "Partner Referral",
      Customer: { Account: { CompanyName: "Incomplete Inc" } },
    }),
  );
  await associateSandboxSolution(client, "Sandbox", created.Id);
  return created.Id;
}

/** A's opportunity engaged with AWS, and A's invitation for B on that engagement. */
async function invitationForB() {
  const { id: opportunityId, input } = await submittableOpportunity(cosell.a, "Sandbox");
  const task = await startEngagementFromOpportunity(cosell.a, "Sandbox", opportunityId);
  const sent = await invite(cosell.a, "Sandbox", task.EngagementId, opportunityInvitationFor(cosell.accountB.accountId, input));
  return { opportunityId, input, engagementId: task.EngagementId, invitationId: sent.id, invitationArn: sent.arn };
}

/** An engagement of A holding one Lead context ("1"). */
async function leadEngagement(companyName) {
  return createEngagement(cosell.a, "Sandbox", { contexts: [leadContext({ companyName })] });
}

function listAll(client, Command, input) {
  return collectPages(
    (NextToken) => client.send(new Command({ Catalog: "Sandbox", ...input, NextToken })),
    (page) => page.TaskSummaries ?? [],
  );
}

const taskIds = (list) => list.map((t) => t.TaskId);

test("StartEngagementFromOpportunityTask completes at once: engagement, AWS invitation, running snapshot job, submitted opportunity", async () => {
  const { id } = await submittableOpportunity(cosell.a, "Sandbox");
  const task = await startEngagementFromOpportunity(cosell.a, "Sandbox", id);

  assert.equal(task.TaskStatus, "COMPLETE");
  assert.match(task.TaskId, taskIdPattern);
  assert.equal(task.TaskArn, taskArn("engagement-from-opportunity-task", "Sandbox", task.TaskId));
  assert.ok(task.StartTime instanceof Date);
  assert.equal(task.OpportunityId, id);
  assert.match(task.EngagementId, engagementIdPattern);
  assert.match(task.EngagementInvitationId, invitationIdPattern);
  assert.match(task.ResourceSnapshotJobId, jobIdPattern);
  assertNoFailure(task, "StartEngagementFromOpportunityTask");

  assert.equal((await getOpportunity(cosell.a, "Sandbox", id)).LifeCycle.ReviewStatus, "Submitted");
  const engagement = await getEngagement(cosell.a, "Sandbox", task.EngagementId);
  assert.equal(engagement.CreatedBy, cosell.accountA.accountId);
  const { EngagementResourceAssociationSummaries } = await cosell.a.send(
    new ListEngagementResourceAssociationsCommand({ Catalog: "Sandbox", ResourceType: "Opportunity", ResourceIdentifier: id }),
  );
  assert.deepEqual(EngagementResourceAssociationSummaries.map((s) => s.EngagementId), [task.EngagementId]);
  const job = await cosell.a.send(new GetResourceSnapshotJobCommand({ Catalog: "Sandbox", ResourceSnapshotJobIdentifier: task.ResourceSnapshotJobId }));
  assert.equal(job.Status, "Running");
  assert.equal(job.EngagementId, task.EngagementId);
  assert.equal(job.ResourceId, id);
  assert.equal(job.ResourceSnapshotTemplateName, summaryTemplate);
});

test("StartEngagementFromOpportunityTask: replaying the ClientToken returns the same task and starts nothing new", async () => {
  const { id } = await submittableOpportunity(cosell.a, "Sandbox");
  const token = clientToken();
  const first = await startEngagementFromOpportunity(cosell.a, "Sandbox", id, { token });
  const replay = await startEngagementFromOpportunity(cosell.a, "Sandbox", id, { token });
  assert.equal(replay.TaskId, first.TaskId);
  assert.equal(replay.EngagementId, first.EngagementId);
  assert.equal(replay.TaskStatus, "COMPLETE");
  const listed = await listAll(cosell.a, ListEngagementFromOpportunityTasksCommand, { OpportunityIdentifier: [id] });
  assert.deepEqual(taskIds(listed), [first.TaskId]);
});

test("StartEngagementFromOpportunityTask on an opportunity missing what submission needs FAILS with OpportunityValidationFailed and leaves nothing behind", async () => {
  const id = await incompleteOpportunity(cosell.a);
  const countEngagements = async () =>
    (await collectPages((NextToken) => cosell.a.send(new ListEngagementsCommand({ Catalog: "Sandbox", NextToken })), (p) => p.EngagementSummaryList)).length;
  const countJobs = async () =>
    (await collectPages((NextToken) => cosell.a.send(new ListResourceSnapshotJobsCommand({ Catalog: "Sandbox", NextToken })), (p) => p.ResourceSnapshotJobSummaries)).length;
  const before = { engagements: await countEngagements(), jobs: await countJobs(), sent: (await listInvitations(cosell.a, "Sandbox", "SENDER")).length };

  const task = await startEngagementFromOpportunity(cosell.a, "Sandbox", id);
  assert.equal(task.TaskStatus, "FAILED");
  assert.equal(task.ReasonCode, "OpportunityValidationFailed");
  assert.match(task.TaskId, taskIdPattern);
  assert.equal(task.OpportunityId, id);
  // The model promises "a detailed message describing the failure and possible recovery steps"; its wording is NOT FOUND,
  // so the test asks only that it names something the opportunity lacks.
  assert.match(task.Message ?? "", /Title|CustomerBusinessProblem|Industry|WebsiteUrl|PostalCode|TargetCloseDate|CustomerUseCase|DeliveryModels|ExpectedCustomerSpend|PrimaryNeedsFromAws/i);
  assert.ok(!task.EngagementId && !task.EngagementInvitationId && !task.ResourceSnapshotJobId, `nothing was made: ${JSON.stringify(withoutNulls(task))}`);

  assert.equal((await getOpportunity(cosell.a, "Sandbox", id)).LifeCycle?.ReviewStatus, "Pending Submission");
  assert.equal(await countEngagements(), before.engagements, "no engagement left behind");
  assert.equal(await countJobs(), before.jobs, "no snapshot job left behind");
  assert.equal((await listInvitations(cosell.a, "Sandbox", "SENDER")).length, before.sent, "no invitation to AWS left behind");
  const { EngagementResourceAssociationSummaries } = await cosell.a.send(
    new ListEngagementResourceAssociationsCommand({ Catalog: "Sandbox", ResourceType: "Opportunity", ResourceIdentifier: id }),
  );
  assert.deepEqual(EngagementResourceAssociationSummaries, []);

  const listed = await listAll(cosell.a, ListEngagementFromOpportunityTasksCommand, { TaskIdentifier: [task.TaskId] });
  assert.deepEqual(listed.map((t) => [t.TaskId, t.TaskStatus, t.ReasonCode]), [[task.TaskId, "FAILED", "OpportunityValidationFailed"]]);
});

test("StartEngagementFromOpportunityTask on another account's opportunity does not start anything", async () => {
  const { id } = await submittableOpportunity(cosell.a, "Sandbox");
  // Synchronous exception or FAILED task: NOT FOUND; either way B must not engage A's opportunity.
  const outcome = await startEngagementFromOpportunity(cosell.b, "Sandbox", id).then(
    (task) => task.TaskStatus,
    (err) => err.name,
  );
  assert.ok(["ResourceNotFoundException", "AccessDeniedException", "FAILED"].includes(outcome), outcome);
  assert.equal((await getOpportunity(cosell.a, "Sandbox", id)).LifeCycle.ReviewStatus, "Pending Submission");
});

test("StartEngagementByAcceptingInvitationTask accepts the invitation and gives the receiver its own opportunity", async () => {
  const { invitationId, input, engagementId } = await invitationForB();
  const task = await acceptInvitationTask(cosell.b, "Sandbox", invitationId);

  assert.equal(task.TaskStatus, "COMPLETE");
  assert.match(task.TaskId, taskIdPattern);
  assert.equal(task.TaskArn, taskArn("engagement-by-accepting-invitation-task", "Sandbox", task.TaskId));
  assert.ok(task.StartTime instanceof Date);
  assert.equal(task.EngagementInvitationId, invitationId);
  assert.match(task.OpportunityId ?? "", /^O\d+$/);
  assert.match(task.ResourceSnapshotJobId ?? "", jobIdPattern);
  assertNoFailure(task, "StartEngagementByAcceptingInvitationTask");

  assert.equal((await getInvitation(cosell.b, "Sandbox", invitationId)).Status, "ACCEPTED");
  const theirs = await getOpportunity(cosell.b, "Sandbox", task.OpportunityId);
  assert.equal(theirs.Customer.Account.CompanyName, input.Customer.Account.CompanyName);
  assert.equal(theirs.Project.Title, input.Project.Title);
  assert.equal(theirs.LifeCycle.Stage, "Prospect");
  await rejectsWith(getOpportunity(cosell.a, "Sandbox", task.OpportunityId), "ResourceNotFoundException");
  assert.equal((await getEngagement(cosell.b, "Sandbox", engagementId)).MemberCount, 2);
});

test("StartEngagementByAcceptingInvitationTask: the same ClientToken again reports the same task", async () => {
  const { invitationId } = await invitationForB();
  const token = clientToken();
  const first = await acceptInvitationTask(cosell.b, "Sandbox", invitationId, { token });
  // "call StartEngagementByAcceptingInvitationTask again with the same payload to check the latest status" (§2.7)
  const again = await acceptInvitationTask(cosell.b, "Sandbox", invitationId, { token });
  assert.equal(again.TaskId, first.TaskId);
  assert.equal(again.OpportunityId, first.OpportunityId);
  assert.equal(again.TaskStatus, "COMPLETE");
});

test("StartEngagementByAcceptingInvitationTask takes the invitation ARN as Identifier", async () => {
  const { invitationId, invitationArn } = await invitationForB();
  const task = await acceptInvitationTask(cosell.b, "Sandbox", invitationArn);
  assert.equal(task.TaskStatus, "COMPLETE");
  assert.equal((await getInvitation(cosell.b, "Sandbox", invitationId)).Status, "ACCEPTED");
});

test("StartEngagementByAcceptingInvitationTask with an unknown invitation is ResourceNotFoundException", async () => {
  // Synchronous exception rather than a FAILED task: NOT FOUND; an unknown identifier is refused like every Get.
  await rejectsWith(acceptInvitationTask(cosell.b, "Sandbox", "engi-0000000000000"), "ResourceNotFoundException");
});

test("StartOpportunityFromEngagementTask turns a Lead context into a Pending Submission opportunity and adds CustomerProject context 2", async () => {
  const { id: engagementId } = await leadEngagement("Lead Convert Corp");
  const task = await opportunityFromEngagementTask(cosell.a, "Sandbox", engagementId, "1");

  assert.equal(task.TaskStatus, "COMPLETE");
  assert.match(task.TaskId, taskIdPattern);
  assert.equal(task.TaskArn, taskArn("opportunity-from-engagement-task", "Sandbox", task.TaskId));
  assert.ok(task.StartTime instanceof Date);
  assert.equal(task.EngagementId, engagementId);
  assert.equal(task.ContextId, "2");
  assert.match(task.OpportunityId ?? "", /^O\d+$/);
  assert.match(task.ResourceSnapshotJobId ?? "", jobIdPattern);
  assertNoFailure(task, "StartOpportunityFromEngagementTask");

  const opportunity = await getOpportunity(cosell.a, "Sandbox", task.OpportunityId);
  assert.equal(opportunity.LifeCycle.ReviewStatus, "Pending Submission");
  assert.equal(opportunity.LifeCycle.Stage, "Prospect");
  assert.equal(opportunity.Customer.Account.CompanyName, "Lead Convert Corp");
  assert.equal(opportunity.Customer.Account.Industry, "Aerospace");
  assert.equal(opportunity.Customer.Account.Address.CountryCode, "US");
  assert.equal(opportunity.Project.Title, "Converted from Lead", "as in the Lead_To_Opportunity capture");
  assert.equal(opportunity.OpportunityType, "Net New Business");

  const engagement = await getEngagement(cosell.a, "Sandbox", engagementId);
  assert.deepEqual(engagement.Contexts.map((c) => [c.Id, c.Type]), [["1", "Lead"], ["2", "CustomerProject"]]);
  const { EngagementResourceAssociationSummaries } = await cosell.a.send(
    new ListEngagementResourceAssociationsCommand({ Catalog: "Sandbox", EngagementIdentifier: engagementId }),
  );
  assert.deepEqual(EngagementResourceAssociationSummaries.map((s) => s.ResourceId), [task.OpportunityId]);
});

test("StartOpportunityFromEngagementTask: replaying the ClientToken returns the same task and opportunity", async () => {
  const { id: engagementId } = await leadEngagement();
  const token = clientToken();
  const first = await opportunityFromEngagementTask(cosell.a, "Sandbox", engagementId, "1", { token });
  const again = await opportunityFromEngagementTask(cosell.a, "Sandbox", engagementId, "1", { token });
  assert.equal(again.TaskId, first.TaskId);
  assert.equal(again.OpportunityId, first.OpportunityId);
  assert.equal((await getEngagement(cosell.a, "Sandbox", engagementId)).Contexts.length, 2);
});

test("StartOpportunityFromEngagementTask FAILS with the documented reason codes for a missing context, a CustomerProject context and a disqualified lead", async () => {
  // The mapping of conditions to ReasonCodes is NOT FOUND beyond the codes' names (§3.4).
  const { id: engagementId } = await leadEngagement();
  const missing = await opportunityFromEngagementTask(cosell.a, "Sandbox", engagementId, "4");
  assert.equal(missing.TaskStatus, "FAILED");
  assert.equal(missing.ReasonCode, "ContextNotFound");

  const { id: projectEngagement } = await createEngagement(cosell.a, "Sandbox", { contexts: [customerProjectContext()] });
  const project = await opportunityFromEngagementTask(cosell.a, "Sandbox", projectEngagement, "1");
  assert.equal(project.TaskStatus, "FAILED");
  assert.equal(project.ReasonCode, "CustomerProjectContextNotPermitted");

  const { id: disqualified } = await leadEngagement("Disqualified Corp");
  const { ModifiedAt } = await getEngagement(cosell.a, "Sandbox", disqualified);
  await cosell.a.send(
    new UpdateEngagementContextCommand({
      Catalog: "Sandbox",
      EngagementIdentifier: disqualified,
      ContextIdentifier: "1",
      EngagementLastModifiedAt: ModifiedAt,
      Type: "Lead",
      Payload: { Lead: { QualificationStatus: "Disqualified", Customer: { CompanyName: "Disqualified Corp", Industry: "Aerospace", Address: { CountryCode: "US" } } } },
    }),
  );
  const lead = await opportunityFromEngagementTask(cosell.a, "Sandbox", disqualified, "1");
  assert.equal(lead.TaskStatus, "FAILED");
  assert.equal(lead.ReasonCode, "DisqualifiedLeadNotPermitted");

  for (const [failed, id] of [[missing, engagementId], [lead, disqualified]]) {
    assert.ok(failed.Message, "a failed task explains itself");
    assert.ok(!failed.OpportunityId, "no opportunity was made");
    assert.equal((await getEngagement(cosell.a, "Sandbox", id)).Contexts.length, 1, "no context was added");
  }
});

test("ListEngagementFromOpportunityTasks filters by task, opportunity, engagement and status, and sorts by StartTime", async () => {
  const started = [];
  for (let i = 0; i < 2; i++) {
    const { id } = await submittableOpportunity(cosell.a, "Sandbox");
    started.push(await startEngagementFromOpportunity(cosell.a, "Sandbox", id));
  }
  started.push(await startEngagementFromOpportunity(cosell.a, "Sandbox", await incompleteOpportunity(cosell.a)));
  const [first, second, failed] = started;
  const ours = { OpportunityIdentifier: started.map((t) => t.OpportunityId) };
  const list = (filters) => listAll(cosell.a, ListEngagementFromOpportunityTasksCommand, { ...ours, ...filters });

  const summary = (await list({ TaskIdentifier: [first.TaskId] }))[0];
  for (const member of ["TaskId", "TaskArn", "TaskStatus", "OpportunityId", "EngagementId", "EngagementInvitationId", "ResourceSnapshotJobId"]) {
    assert.equal(summary[member], first[member], member);
  }
  assert.equal(summary.StartTime.getTime(), first.StartTime.getTime());

  assert.deepEqual(taskIds(await list({ OpportunityIdentifier: [second.OpportunityId] })), [second.TaskId]);
  assert.deepEqual(taskIds(await list({ EngagementIdentifier: [second.EngagementId] })), [second.TaskId]);
  assert.deepEqual(taskIds(await list({ TaskStatus: ["FAILED"] })), [failed.TaskId]);
  assert.deepEqual(taskIds(await list({ TaskStatus: ["COMPLETE"], Sort: { SortBy: "StartTime", SortOrder: "ASCENDING" } })), [first.TaskId, second.TaskId]);
  assert.deepEqual(taskIds(await list({ Sort: { SortBy: "StartTime", SortOrder: "ASCENDING" } })), taskIds(started));
  assert.deepEqual(taskIds(await list({ Sort: { SortBy: "StartTime", SortOrder: "DESCENDING" } })), taskIds(started).reverse());

  const page = await cosell.a.send(new ListEngagementFromOpportunityTasksCommand({ Catalog: "Sandbox", ...ours, MaxResults: 2, Sort: { SortBy: "StartTime", SortOrder: "ASCENDING" } }));
  assert.deepEqual(taskIds(page.TaskSummaries), [first.TaskId, second.TaskId]);
  assert.ok(page.NextToken);

  assert.deepEqual(await listAll(cosell.b, ListEngagementFromOpportunityTasksCommand, ours), [], "tasks belong to the account that ran them");
});

test("ListEngagementByAcceptingInvitationTasks filters by task, invitation, opportunity and status, and sorts by StartTime", async () => {
  const accepted = [];
  for (let i = 0; i < 2; i++) accepted.push(await acceptInvitationTask(cosell.b, "Sandbox", (await invitationForB()).invitationId));
  const [first, second] = accepted;
  const ours = { EngagementInvitationIdentifier: accepted.map((t) => t.EngagementInvitationId) };
  const list = (filters) => listAll(cosell.b, ListEngagementByAcceptingInvitationTasksCommand, { ...ours, ...filters });

  const summary = (await list({ TaskIdentifier: [second.TaskId] }))[0];
  for (const member of ["TaskId", "TaskArn", "TaskStatus", "OpportunityId", "EngagementInvitationId", "ResourceSnapshotJobId"]) {
    assert.equal(summary[member], second[member], member);
  }
  assert.deepEqual(taskIds(await list({ EngagementInvitationIdentifier: [first.EngagementInvitationId] })), [first.TaskId]);
  assert.deepEqual(taskIds(await list({ OpportunityIdentifier: [second.OpportunityId] })), [second.TaskId]);
  assert.deepEqual(await list({ TaskStatus: ["FAILED"] }), []);
  assert.deepEqual(taskIds(await list({ Sort: { SortBy: "StartTime", SortOrder: "ASCENDING" } })), taskIds(accepted));
  assert.deepEqual(taskIds(await list({ Sort: { SortBy: "StartTime", SortOrder: "DESCENDING" } })), taskIds(accepted).reverse());
  assert.deepEqual(await listAll(cosell.a, ListEngagementByAcceptingInvitationTasksCommand, ours), []);
});

test("ListOpportunityFromEngagementTasks filters by task, engagement, context, opportunity and status, and sorts by StartTime", async () => {
  const engagements = [(await leadEngagement()).id, (await leadEngagement()).id];
  const tasks = [];
  for (const id of engagements) tasks.push(await opportunityFromEngagementTask(cosell.a, "Sandbox", id, "1"));
  tasks.push(await opportunityFromEngagementTask(cosell.a, "Sandbox", engagements[0], "5"));
  const [first, second, failed] = tasks;
  const ours = { EngagementIdentifier: engagements };
  const list = (filters) => listAll(cosell.a, ListOpportunityFromEngagementTasksCommand, { ...ours, ...filters });

  const summary = (await list({ TaskIdentifier: [first.TaskId] }))[0];
  for (const member of ["TaskId", "TaskArn", "TaskStatus", "OpportunityId", "EngagementId", "ContextId", "ResourceSnapshotJobId"]) {
    assert.equal(summary[member], first[member], member);
  }
  assert.deepEqual(taskIds(await list({ EngagementIdentifier: [engagements[1]] })), [second.TaskId]);
  assert.deepEqual(taskIds(await list({ OpportunityIdentifier: [second.OpportunityId] })), [second.TaskId]);
  assert.deepEqual(taskIds(await list({ TaskStatus: ["FAILED"] })), [failed.TaskId]);
  assert.deepEqual(taskIds(await list({ ContextIdentifier: [first.ContextId], Sort: { SortBy: "StartTime", SortOrder: "ASCENDING" } })), [first.TaskId, second.TaskId]);
  assert.deepEqual(taskIds(await list({ Sort: { SortBy: "StartTime", SortOrder: "DESCENDING" } })), taskIds(tasks).reverse());
  assert.deepEqual(await listAll(cosell.b, ListOpportunityFromEngagementTasksCommand, ours), []);
});
