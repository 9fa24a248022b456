// End-to-end co-selling flows with two partner accounts, as AWS's Postman
// collection walks them: "Working with AWS-originated Opportunities" / "Demo
// Accept AWS-originated Opportunities", "Working with Multipartner
// Opportunities", and LeadToOpportunity (semantics.md §2.1, §2.4, §3).
import { test } from "node:test";
import assert from "node:assert/strict";
import { AcceptEngagementInvitationCommand, ListEngagementMembersCommand } from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { connectPartners } from "../lib/connections.mjs";
import { rejectsWith, withoutNulls } from "../lib/expect.mjs";
import { completeOpportunity } from "../lib/fixtures.mjs";
import { getOpportunity, updateOpportunity, simulateReview } from "../lib/opportunities.mjs";
import {
  simulateAwsReferral,
  getInvitation,
  listInvitations,
  acceptInvitationTask,
  submittableOpportunity,
  startEngagementFromOpportunity,
  invite,
  opportunityInvitationFor,
  createEngagement,
  getEngagement,
  leadContext,
  leadInvitation,
  opportunityFromEngagementTask,
  associateSandboxSolution,
  listSnapshots,
  collectPages,
  fifteenDaysMs,
  eventually,
} from "../lib/engagements.mjs";

const cosell = useCosell(connectPartners);

async function memberIds(client, engagementId) {
  const members = await collectPages(
    (NextToken) => client.send(new ListEngagementMembersCommand({ Catalog: "Sandbox", Identifier: engagementId, NextToken })),
    (page) => page.EngagementMemberList,
  );
  return members.map((m) => m.AccountId).sort();
}

const snapshotKeys = async (client, engagementId) =>
  (await listSnapshots(client, "Sandbox", engagementId)).map((s) => `${s.ResourceId}/${s.ResourceSnapshotTemplateName}/${s.Revision}`).sort();

test("AWS referral in Sandbox: AWS invites the caller, and accepting makes an Approved opportunity at Prospect", async () => {
  const { opportunity, summary } = await simulateAwsReferral(cosell.a);

  assert.equal(summary.ParticipantType, "RECEIVER");
  assert.equal(summary.PayloadType, "OpportunityInvitation");
  assert.equal(summary.Status, "PENDING");
  assert.equal(summary.SenderCompanyName, "AWS");
  assert.equal(summary.Receiver.Account.AwsAccountId, cosell.accountA.accountId);
  assert.equal(summary.ExpirationDate.getTime() - summary.InvitationDate.getTime(), fifteenDaysMs, "ExpirationDate = InvitationDate + 15 days");

  const invitation = await getInvitation(cosell.a, "Sandbox", summary.Id);
  assert.equal(
    invitation.InvitationMessage,
    "This invite is for an AWS originated referral. Accepting this invitation will create an AWS originated opportunity in your pipeline.",
  );
  assert.deepEqual(invitation.ExistingMembers.map(withoutNulls), [{ CompanyName: "AWS", WebsiteUrl: "www.aws.com" }]);
  assert.equal(invitation.EngagementTitle, opportunity.input.Project.Title);
  const payload = invitation.Payload.OpportunityInvitation;
  assert.equal(payload.Project.Title, opportunity.input.Project.Title);
  assert.equal(payload.Project.BusinessProblem, opportunity.input.Project.CustomerBusinessProblem);
  assert.equal(payload.Customer.CompanyName, opportunity.input.Customer.Account.CompanyName);

  const task = await acceptInvitationTask(cosell.a, "Sandbox", summary.Id);
  assert.equal(task.TaskStatus, "COMPLETE");
  assert.equal(task.EngagementInvitationId, summary.Id);
  const accepted = await getOpportunity(cosell.a, "Sandbox", task.OpportunityId);
  assert.equal(accepted.LifeCycle.ReviewStatus, "Approved");
  assert.equal(accepted.LifeCycle.Stage, "Prospect");
  assert.equal(accepted.Customer.Account.CompanyName, opportunity.input.Customer.Account.CompanyName);
  assert.equal(accepted.Project.Title, opportunity.input.Project.Title);
  // Accepting reveals what the invitation hid (the Demo capture's opportunity carries address and contacts).
  assert.equal(accepted.Customer.Account.Address.StreetAddress, opportunity.input.Customer.Account.Address.StreetAddress);
  assert.deepEqual(accepted.Customer.Contacts.map((c) => c.Email), opportunity.input.Customer.Contacts.map((c) => c.Email));

  assert.equal((await getInvitation(cosell.a, "Sandbox", summary.Id)).Status, "ACCEPTED");
  const acceptedList = await listInvitations(cosell.a, "Sandbox", "RECEIVER", { Status: ["ACCEPTED"] });
  assert.ok(acceptedList.some((s) => s.Id === summary.Id), "the invitation lists as ACCEPTED");
  const pendingList = await listInvitations(cosell.a, "Sandbox", "RECEIVER", { Status: ["PENDING"] });
  assert.ok(!pendingList.some((s) => s.Id === summary.Id), "and no longer as PENDING");
});

test("partner to partner: A engages, invites B; B accepts into its own opportunity; both see the same members and snapshots", async () => {
  // A: a complete opportunity with the Sandbox solution, engaged with AWS.
  const { id: aOpportunity, input } = await submittableOpportunity(cosell.a, "Sandbox");
  const engaged = await startEngagementFromOpportunity(cosell.a, "Sandbox", aOpportunity);
  assert.equal(engaged.TaskStatus, "COMPLETE");
  const engagementId = engaged.EngagementId;
  assert.equal((await getOpportunity(cosell.a, "Sandbox", aOpportunity)).LifeCycle.ReviewStatus, "Submitted");

  // A invites B to the engagement.
  const sent = await invite(cosell.a, "Sandbox", engagementId, opportunityInvitationFor(cosell.accountB.accountId, input));

  // B finds it as RECEIVER.
  const received = await listInvitations(cosell.b, "Sandbox", "RECEIVER", { PayloadType: ["OpportunityInvitation"], EngagementIdentifier: [engagementId] });
  assert.deepEqual(received.map((s) => [s.Id, s.Status, s.SenderAwsAccountId]), [[sent.id, "PENDING", cosell.accountA.accountId]]);
  const invitation = await getInvitation(cosell.b, "Sandbox", sent.id);
  assert.ok(invitation.ExistingMembers.some((m) => m.CompanyName === invitation.SenderCompanyName), "A is among the existing members");

  // B accepts and gets its own opportunity; its ReviewStatus follows A's (§2.1).
  const acceptance = await acceptInvitationTask(cosell.b, "Sandbox", sent.id);
  assert.equal(acceptance.TaskStatus, "COMPLETE");
  const bOpportunity = acceptance.OpportunityId;
  assert.notEqual(bOpportunity, aOpportunity);
  const theirs = await getOpportunity(cosell.b, "Sandbox", bOpportunity);
  assert.equal(theirs.Customer.Account.CompanyName, input.Customer.Account.CompanyName);
  assert.equal(theirs.Project.Title, input.Project.Title);
  assert.equal(theirs.LifeCycle.Stage, "Prospect");
  assert.equal(theirs.LifeCycle.ReviewStatus, "Submitted", "the sender's opportunity is Submitted, so the receiver's is too");

  await simulateReview(cosell.a, "Sandbox", aOpportunity, "Approved");
  assert.equal((await getOpportunity(cosell.b, "Sandbox", bOpportunity)).LifeCycle.ReviewStatus, "Approved", "AWS approving the sender's approves the receiver's");

  // Both members see the same members — AWS among them since its approval accepted the
  // submission's invitation (semantics §1.2: "Engagement Member Added") — and the same
  // snapshots, A's and B's opportunities among them.
  const expectedMembers = [cosell.accountA.accountId, cosell.accountB.accountId, "aws"].sort();
  assert.deepEqual(await memberIds(cosell.a, engagementId), expectedMembers);
  assert.deepEqual(await memberIds(cosell.b, engagementId), expectedMembers);
  await eventually(async () => {
    const seenByA = await snapshotKeys(cosell.a, engagementId);
    assert.deepEqual(await snapshotKeys(cosell.b, engagementId), seenByA);
    assert.ok(seenByA.some((k) => k.startsWith(`${aOpportunity}/`)), `A's opportunity is snapshotted: ${seenByA}`);
    assert.ok(seenByA.some((k) => k.startsWith(`${bOpportunity}/`)), `B's opportunity is snapshotted: ${seenByA}`);
  });
});

test("lead to opportunity: A shares a lead with B, B converts it into an opportunity and submits it", async () => {
  const companyName = "Lead Flow Corp";
  const { id: engagementId } = await createEngagement(cosell.a, "Sandbox", { contexts: [leadContext({ companyName })] });
  const sent = await invite(cosell.a, "Sandbox", engagementId, leadInvitation(cosell.accountB.accountId, { companyName }));

  // Lead contact details stay hidden until B accepts: B is not yet a member.
  await rejectsWith(getEngagement(cosell.b, "Sandbox", engagementId), "AccessDeniedException");
  const pending = await getInvitation(cosell.b, "Sandbox", sent.id);
  assert.equal(pending.PayloadType, "LeadInvitation");
  assert.equal(pending.Payload.LeadInvitation.Customer.CompanyName, companyName);

  await cosell.b.send(new AcceptEngagementInvitationCommand({ Catalog: "Sandbox", Identifier: sent.id }));
  const shared = await getEngagement(cosell.b, "Sandbox", engagementId);
  assert.equal(shared.MemberCount, 2);
  assert.equal(shared.Contexts[0].Payload.Lead.Interactions[0].Contact.Email, "lee.contact@example.com", "accepted: the lead's contact is visible");

  // B converts context 1 (Lead_To_Opportunity capture: ContextId "2", opportunity Pending Submission).
  const converted = await opportunityFromEngagementTask(cosell.b, "Sandbox", engagementId, "1");
  assert.equal(converted.TaskStatus, "COMPLETE");
  assert.equal(converted.ContextId, "2");
  assert.equal(converted.EngagementId, engagementId);
  const opportunityId = converted.OpportunityId;
  const draft = await getOpportunity(cosell.b, "Sandbox", opportunityId);
  assert.equal(draft.LifeCycle.ReviewStatus, "Pending Submission");
  assert.equal(draft.LifeCycle.Stage, "Prospect");
  assert.equal(draft.Customer.Account.CompanyName, companyName);
  for (const client of [cosell.a, cosell.b]) {
    const { Contexts } = await getEngagement(client, "Sandbox", engagementId);
    assert.deepEqual(Contexts.map((c) => [c.Id, c.Type]), [["1", "Lead"], ["2", "CustomerProject"]]);
  }

  // B fills in what submission needs (as the capture's UpdateOpportunity does), associates a solution and submits.
  const complete = completeOpportunity("Sandbox", { companyName });
  await updateOpportunity(cosell.b, "Sandbox", opportunityId, (input) => {
    for (const member of ["PrimaryNeedsFromAws", "NationalSecurity", "OpportunityType", "Project", "Marketing", "PartnerOpportunityIdentifier"]) {
      input[member] = complete[member];
    }
    input.Customer = complete.Customer;
    input.LifeCycle = { ...input.LifeCycle, TargetCloseDate: complete.LifeCycle.TargetCloseDate, NextSteps: complete.LifeCycle.NextSteps };
  });
  await associateSandboxSolution(cosell.b, "Sandbox", opportunityId);
  const submitted = await startEngagementFromOpportunity(cosell.b, "Sandbox", opportunityId, { awsSubmission: { InvolvementType: "For Visibility Only", Visibility: "Full" } });
  assert.equal(submitted.TaskStatus, "COMPLETE", `${submitted.ReasonCode}: ${submitted.Message}`);
  assert.equal(submitted.EngagementId, engagementId, "the opportunity's engagement is reused, not a new one (capture: same eng- id)");
  assert.equal((await getOpportunity(cosell.b, "Sandbox", opportunityId)).LifeCycle.ReviewStatus, "Submitted");
});
