// Engagements, their members, contexts and resource associations
// (semantics.md §3.5, §3.6, §4; model docs of CreateEngagement,
// ListEngagementMembers, ListEngagementResourceAssociations).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateEngagementCommand,
  ListEngagementsCommand,
  ListEngagementMembersCommand,
  ListEngagementResourceAssociationsCommand,
  CreateEngagementContextCommand,
  UpdateEngagementContextCommand,
  CreateResourceSnapshotCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { useCosell } from "../lib/suite.mjs";
import { rejectsWith, withoutNulls } from "../lib/expect.mjs";
import { clientToken, uniqueSuffix } from "../lib/fixtures.mjs";
import { createOpportunity } from "../lib/opportunities.mjs";
import {
  engagementInput,
  createEngagement,
  getEngagement,
  customerProjectContext,
  leadContext,
  engagementArn,
  engagementIdPattern,
  collectPages,
  summaryTemplate,
} from "../lib/engagements.mjs";

const cosell = useCosell();

function createContext(client, engagementId, context, token = clientToken()) {
  return client.send(new CreateEngagementContextCommand({ Catalog: "Sandbox", EngagementIdentifier: engagementId, ClientToken: token, ...context }));
}

function listMembers(client, engagementId, extra = {}) {
  return client.send(new ListEngagementMembersCommand({ Catalog: "Sandbox", Identifier: engagementId, ...extra }));
}

function listEngagements(client, input) {
  return collectPages(
    (NextToken) => client.send(new ListEngagementsCommand({ Catalog: "Sandbox", ...input, NextToken })),
    (page) => page.EngagementSummaryList,
  );
}

test("CreateEngagement returns an eng- id, an account-less ARN and ModifiedAt", async () => {
  const { id, arn, out } = await createEngagement(cosell.a, "Sandbox");
  assert.match(id, engagementIdPattern);
  assert.equal(arn, engagementArn("Sandbox", id));
  assert.ok(out.ModifiedAt instanceof Date && !Number.isNaN(out.ModifiedAt.getTime()), "ModifiedAt (LeadToOpportunity capture)");
});

test("GetEngagement returns what was created, with the caller as creator and only member", async () => {
  const { id, input } = await createEngagement(cosell.a, "Sandbox");
  const got = await getEngagement(cosell.a, "Sandbox", id);
  assert.equal(got.Id, id);
  assert.equal(got.Arn, engagementArn("Sandbox", id));
  assert.equal(got.Title, input.Title);
  assert.equal(got.Description, input.Description);
  assert.equal(got.CreatedBy, cosell.accountA.accountId);
  assert.equal(got.MemberCount, 1);
  assert.ok(got.CreatedAt instanceof Date);
  assert.equal(got.Contexts.length, 1);
  assert.equal(got.Contexts[0].Id, "1");
  assert.equal(got.Contexts[0].Type, "CustomerProject");
  assert.deepEqual(withoutNulls(got.Contexts[0].Payload), input.Contexts[0].Payload);
});

test("the engagement ARN is accepted wherever an engagement identifier is", async () => {
  const { id, arn } = await createEngagement(cosell.a, "Sandbox");
  assert.equal((await getEngagement(cosell.a, "Sandbox", arn)).Id, id);
});

test("replaying CreateEngagement's ClientToken returns the same engagement and creates no other", async () => {
  const input = engagementInput("Sandbox");
  const first = await cosell.a.send(new CreateEngagementCommand(input));
  const replay = await cosell.a.send(new CreateEngagementCommand(structuredClone(input)));
  assert.equal(replay.Id, first.Id);
  const mine = await listEngagements(cosell.a, {});
  assert.equal(mine.filter((e) => e.Title === input.Title).length, 1);
});

test("CreateEngagement: the same ClientToken with a different body is a ConflictException", async () => {
  const input = engagementInput("Sandbox");
  await cosell.a.send(new CreateEngagementCommand(input));
  // Message for this operation: NOT FOUND (documented only for CreateOpportunity).
  await rejectsWith(cosell.a.send(new CreateEngagementCommand({ ...input, Title: `${input.Title} changed` })), "ConflictException");
});

test("CreateEngagement refuses more than five contexts", async () => {
  const contexts = Array.from({ length: 6 }, () => customerProjectContext());
  // The model caps EngagementContexts at 5; the Reason AWS gives is NOT FOUND.
  await rejectsWith(cosell.a.send(new CreateEngagementCommand(engagementInput("Sandbox", { contexts }))), "ValidationException");
});

test("a non-member cannot read the engagement: AccessDeniedException", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  // Message: NOT FOUND.
  await rejectsWith(getEngagement(cosell.b, "Sandbox", id), "AccessDeniedException");
});

test("an unknown engagement is ResourceNotFoundException", async () => {
  await rejectsWith(getEngagement(cosell.a, "Sandbox", "eng-0000000000000z"), "ResourceNotFoundException");
});

test("the other catalog does not hold the engagement", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  await rejectsWith(getEngagement(cosell.a, "AWS", id), "ResourceNotFoundException");
});

test("ListEngagementMembers lists the creator, to members only", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  const { EngagementMemberList } = await listMembers(cosell.a, id);
  assert.deepEqual(EngagementMemberList.map((m) => m.AccountId), [cosell.accountA.accountId]);
  assert.ok(EngagementMemberList[0].CompanyName, "members carry their company name");
  // "This operation can only be invoked by members of the Engagement"; the exception is AccessDenied as for GetEngagement.
  await rejectsWith(listMembers(cosell.b, id), "AccessDeniedException");
});

test("ListEngagementMembers refuses a page size above 10", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  await rejectsWith(listMembers(cosell.a, id, { MaxResults: 11 }), "ValidationException", { reason: "REQUEST_VALIDATION_FAILED" });
});

test("ListEngagements: the caller's engagements, sorted by CreatedDate either way, paged", async () => {
  const run = `Listed ${uniqueSuffix()}`;
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await createEngagement(cosell.a, "Sandbox", { title: `${run} ${i}` })).id);

  const ascending = await listEngagements(cosell.a, { EngagementIdentifier: ids, Sort: { SortBy: "CreatedDate", SortOrder: "ASCENDING" } });
  assert.deepEqual(ascending.map((e) => e.Id), ids);
  const descending = await listEngagements(cosell.a, { EngagementIdentifier: ids, Sort: { SortBy: "CreatedDate", SortOrder: "DESCENDING" } });
  assert.deepEqual(descending.map((e) => e.Id), [...ids].reverse());

  const first = await cosell.a.send(
    new ListEngagementsCommand({ Catalog: "Sandbox", EngagementIdentifier: ids, MaxResults: 2, Sort: { SortBy: "CreatedDate", SortOrder: "ASCENDING" } }),
  );
  assert.deepEqual(first.EngagementSummaryList.map((e) => e.Id), ids.slice(0, 2));
  assert.ok(first.NextToken, "a further page is announced");
  const second = await cosell.a.send(
    new ListEngagementsCommand({
      Catalog: "Sandbox",
      EngagementIdentifier: ids,
      MaxResults: 2,
      Sort: { SortBy: "CreatedDate", SortOrder: "ASCENDING" },
      NextToken: first.NextToken,
    }),
  );
  assert.deepEqual(second.EngagementSummaryList.map((e) => e.Id), ids.slice(2));
  assert.ok(!second.NextToken, "the last page has no NextToken");

  const summary = ascending[0];
  assert.equal(summary.Arn, engagementArn("Sandbox", ids[0]));
  assert.equal(summary.Title, `${run} 0`);
  assert.equal(summary.CreatedBy, cosell.accountA.accountId);
  assert.equal(summary.MemberCount, 1);
  assert.ok(summary.CreatedAt instanceof Date);
});

test("ListEngagements shows another account nothing of engagements it is not a member of", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  assert.deepEqual(await listEngagements(cosell.b, { EngagementIdentifier: [id] }), []);
});

test("ListEngagements filters by creator and by context type, inclusively and exclusively", async () => {
  const project = await createEngagement(cosell.a, "Sandbox");
  const lead = await createEngagement(cosell.a, "Sandbox", { contexts: [leadContext()] });
  const ids = [project.id, lead.id];
  const idsOf = (list) => list.map((e) => e.Id).sort();

  assert.deepEqual(idsOf(await listEngagements(cosell.a, { EngagementIdentifier: ids, ContextTypes: ["Lead"] })), [lead.id]);
  assert.deepEqual(idsOf(await listEngagements(cosell.a, { EngagementIdentifier: ids, ExcludeContextTypes: ["Lead"] })), [project.id]);
  assert.deepEqual(idsOf(await listEngagements(cosell.a, { EngagementIdentifier: ids, CreatedBy: [cosell.accountA.accountId] })), [...ids].sort());
  assert.deepEqual(await listEngagements(cosell.a, { EngagementIdentifier: ids, ExcludeCreatedBy: [cosell.accountA.accountId] }), []);
  assert.deepEqual(await listEngagements(cosell.a, { EngagementIdentifier: ids, CreatedBy: [cosell.accountB.accountId] }), []);
});

test("ListEngagements refuses a sort other than CreatedDate", async () => {
  await rejectsWith(
    cosell.a.send(new ListEngagementsCommand({ Catalog: "Sandbox", Sort: { SortBy: "Title", SortOrder: "ASCENDING" } })),
    "ValidationException",
    { reason: "REQUEST_VALIDATION_FAILED" },
  );
});

test("CreateEngagementContext numbers contexts 1, 2, ... and stamps the engagement", async () => {
  const { id, out } = await createEngagement(cosell.a, "Sandbox");
  const added = await createContext(cosell.a, id, customerProjectContext());
  assert.equal(added.ContextId, "2");
  assert.equal(added.EngagementId, id);
  assert.equal(added.EngagementArn, engagementArn("Sandbox", id));
  assert.ok(added.EngagementLastModifiedAt instanceof Date);
  assert.ok(added.EngagementLastModifiedAt.getTime() >= out.ModifiedAt.getTime(), "the engagement's modification time moves forward");
  const third = await createContext(cosell.a, id, leadContext());
  assert.equal(third.ContextId, "3");

  const got = await getEngagement(cosell.a, "Sandbox", id);
  assert.deepEqual(got.Contexts.map((c) => [c.Id, c.Type]), [["1", "CustomerProject"], ["2", "CustomerProject"], ["3", "Lead"]]);
  assert.equal(got.ModifiedBy, cosell.accountA.accountId);
});

test("an engagement holds at most five contexts", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox", { contexts: null });
  for (let i = 1; i <= 5; i++) assert.equal((await createContext(cosell.a, id, customerProjectContext())).ContextId, String(i));
  // Exception for the sixth: NOT FOUND; the operation models ServiceQuotaExceededException for quota breaches.
  await rejectsWith(createContext(cosell.a, id, customerProjectContext()), "ServiceQuotaExceededException");
  assert.equal((await getEngagement(cosell.a, "Sandbox", id)).Contexts.length, 5);
});

test("CreateEngagementContext: replaying the ClientToken adds nothing; non-members are refused", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  const context = customerProjectContext();
  const token = clientToken();
  const first = await createContext(cosell.a, id, context, token);
  const replay = await createContext(cosell.a, id, structuredClone(context), token);
  assert.equal(replay.ContextId, first.ContextId);
  assert.equal((await getEngagement(cosell.a, "Sandbox", id)).Contexts.length, 2);
  await rejectsWith(createContext(cosell.b, id, customerProjectContext()), "AccessDeniedException");
});

test("UpdateEngagementContext replaces a context when EngagementLastModifiedAt is current, and refuses a stale one", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  const before = await getEngagement(cosell.a, "Sandbox", id);
  const replacement = customerProjectContext({ title: "Renamed project" });
  const update = (lastModified, payload) =>
    cosell.a.send(
      new UpdateEngagementContextCommand({
        Catalog: "Sandbox",
        EngagementIdentifier: id,
        ContextIdentifier: "1",
        EngagementLastModifiedAt: lastModified,
        Type: "CustomerProject",
        Payload: payload,
      }),
    );

  const out = await update(before.ModifiedAt, replacement.Payload);
  assert.equal(out.ContextId, "1");
  assert.equal(out.EngagementId, id);
  assert.equal(out.EngagementArn, engagementArn("Sandbox", id));
  assert.ok(out.EngagementLastModifiedAt.getTime() > before.ModifiedAt.getTime(), "the update moves EngagementLastModifiedAt forward");

  const after = await getEngagement(cosell.a, "Sandbox", id);
  assert.deepEqual(withoutNulls(after.Contexts[0].Payload), replacement.Payload);
  assert.equal(after.ModifiedAt.getTime(), out.EngagementLastModifiedAt.getTime());

  // Optimistic concurrency (§3.5): the old timestamp no longer matches. Message: NOT FOUND.
  await rejectsWith(update(before.ModifiedAt, customerProjectContext().Payload), "ConflictException");
  assert.deepEqual(withoutNulls((await getEngagement(cosell.a, "Sandbox", id)).Contexts[0].Payload), replacement.Payload);
});

test("UpdateEngagementContext: an unknown context is ResourceNotFoundException; a non-member is refused", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  const { ModifiedAt } = await getEngagement(cosell.a, "Sandbox", id);
  const update = (client, contextId) =>
    client.send(
      new UpdateEngagementContextCommand({
        Catalog: "Sandbox",
        EngagementIdentifier: id,
        ContextIdentifier: contextId,
        EngagementLastModifiedAt: ModifiedAt,
        Type: "CustomerProject",
        Payload: customerProjectContext().Payload,
      }),
    );
  await rejectsWith(update(cosell.a, "4"), "ResourceNotFoundException");
  await rejectsWith(update(cosell.b, "1"), "AccessDeniedException");
});

test("UpdateEngagementContext on a Lead context sets its QualificationStatus", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox", { contexts: [leadContext({ companyName: "Qualifying Corp" })] });
  const { ModifiedAt } = await getEngagement(cosell.a, "Sandbox", id);
  await cosell.a.send(
    new UpdateEngagementContextCommand({
      Catalog: "Sandbox",
      EngagementIdentifier: id,
      ContextIdentifier: "1",
      EngagementLastModifiedAt: ModifiedAt,
      Type: "Lead",
      Payload: { Lead: { QualificationStatus: "Qualified", Customer: { CompanyName: "Qualifying Corp", Industry: "Aerospace", Address: { CountryCode: "US" } } } },
    }),
  );
  const lead = (await getEngagement(cosell.a, "Sandbox", id)).Contexts[0].Payload.Lead;
  assert.equal(lead.QualificationStatus, "Qualified");
  assert.equal(lead.Customer.CompanyName, "Qualifying Corp");
});

test("ListEngagementResourceAssociations lists a member's snapshotted opportunity, filtered by engagement and by resource", async () => {
  const { id: engagementId } = await createEngagement(cosell.a, "Sandbox");
  const { id: opportunityId } = await createOpportunity(cosell.a, "Sandbox");
  await cosell.a.send(
    new CreateResourceSnapshotCommand({
      Catalog: "Sandbox",
      ClientToken: clientToken(),
      EngagementIdentifier: engagementId,
      ResourceType: "Opportunity",
      ResourceIdentifier: opportunityId,
      ResourceSnapshotTemplateIdentifier: summaryTemplate,
    }),
  );
  const list = (client, filters) =>
    collectPages(
      (NextToken) => client.send(new ListEngagementResourceAssociationsCommand({ Catalog: "Sandbox", ...filters, NextToken })),
      (page) => page.EngagementResourceAssociationSummaries,
    );
  const expected = { Catalog: "Sandbox", EngagementId: engagementId, ResourceType: "Opportunity", ResourceId: opportunityId, CreatedBy: cosell.accountA.accountId };

  assert.deepEqual((await list(cosell.a, { EngagementIdentifier: engagementId })).map(withoutNulls), [expected]);
  assert.deepEqual((await list(cosell.a, { ResourceType: "Opportunity", ResourceIdentifier: opportunityId })).map(withoutNulls), [expected]);
  assert.deepEqual(
    (await list(cosell.a, { EngagementIdentifier: engagementId, CreatedBy: cosell.accountB.accountId })).map(withoutNulls),
    [],
    "CreatedBy narrows to the account that associated the resource",
  );
  // "where the caller is a member": the other account sees none of it.
  assert.deepEqual(await list(cosell.b, { ResourceType: "Opportunity", ResourceIdentifier: opportunityId }), []);
});

test("ListEngagementResourceAssociations is empty for an engagement without snapshots", async () => {
  const { id } = await createEngagement(cosell.a, "Sandbox");
  const out = await cosell.a.send(new ListEngagementResourceAssociationsCommand({ Catalog: "Sandbox", EngagementIdentifier: id }));
  assert.deepEqual(out.EngagementResourceAssociationSummaries, []);
});
