// Engagements, invitations, snapshots and the three tasks: request builders
// modelled on the real Sandbox bodies in AWS's Postman collection (the
// LeadToOpportunity, multi-partner and AWS-originated folders), id and ARN
// shapes from semantics.md §4, and the steps many tests share.
import {
  CreateEngagementCommand,
  GetEngagementCommand,
  CreateEngagementInvitationCommand,
  GetEngagementInvitationCommand,
  ListEngagementInvitationsCommand,
  AssociateOpportunityCommand,
  StartEngagementFromOpportunityTaskCommand,
  StartEngagementByAcceptingInvitationTaskCommand,
  StartOpportunityFromEngagementTaskCommand,
  CreateResourceSnapshotJobCommand,
  ListResourceSnapshotsCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { clientToken, isoDate, uniqueSuffix, sandboxSolutionId } from "./fixtures.mjs";
import { createOpportunity } from "./opportunities.mjs";
import { region } from "./clients.mjs";

export const engagementIdPattern = /^eng-[0-9a-z]{14}$/;
export const invitationIdPattern = /^engi-[0-9a-z]{13}$/;
export const taskIdPattern = /^task-[0-9a-z]{13}$/;
export const jobIdPattern = /^job-[0-9a-z]{13}$/;

/** Engagement ARNs carry no account (real: arn:aws:partnercentral:us-east-1::catalog/AWS/engagement/eng-…). */
export function engagementArn(catalog, id) {
  return `arn:aws:partnercentral:${region}::catalog/${catalog}/engagement/${id}`;
}

export function invitationArn(catalog, id) {
  return `arn:aws:partnercentral:${region}::catalog/${catalog}/engagement-invitation/${id}`;
}

/** kind: engagement-from-opportunity-task, engagement-by-accepting-invitation-task or opportunity-from-engagement-task. */
export function taskArn(kind, catalog, id) {
  return `arn:aws:partnercentral:${region}::catalog/${catalog}/${kind}/${id}`;
}

/** Snapshot jobs are the one collaboration resource whose ARN names the owning account. */
export function snapshotJobArn(accountId, catalog, id) {
  return `arn:aws:partnercentral:${region}:${accountId}:catalog/${catalog}/resource-snapshot-job/${id}`;
}

export function snapshotArn(catalog, engagementId, opportunityId, template, revision) {
  return `arn:aws:partnercentral:${region}::catalog/${catalog}/engagement/${engagementId}/resource/Opportunity/${opportunityId}/template/${template}/snapshot/${revision}`;
}

/** The template snapshot jobs use (and AWS's events name). */
export const summaryTemplate = "OpportunitySummaryView";

export const fifteenDaysMs = 15 * 24 * 60 * 60 * 1000;

/** A CustomerProject context, as in the "All API Actions/CreateEngagement" capture. */
export function customerProjectContext({ companyName = `Project Corp ${uniqueSuffix()}`, title = `Project ${uniqueSuffix()}` } = {}) {
  return {
    Type: "CustomerProject",
    Payload: {
      CustomerProject: {
        Customer: { CompanyName: companyName, WebsiteUrl: "https://www.example.com", Industry: "Retail", CountryCode: "US" },
        Project: {
          Title: title,
          BusinessProblem: "Historically taken a regional approach to access management.",
          TargetCompletionDate: isoDate(120),
        },
      },
    },
  };
}

/** A Lead context, as in the "LeadToOpportunity/CreateEngagement-Lead" capture. */
export function leadContext({ companyName = `Lead Corp ${uniqueSuffix()}` } = {}) {
  return {
    Type: "Lead",
    Payload: {
      Lead: {
        Customer: { CompanyName: companyName, Industry: "Aerospace", Address: { CountryCode: "US" } },
        Interactions: [
          {
            SourceType: "Campaign",
            SourceId: "CAMP2025",
            SourceName: "Spring Campaign - 2025",
            CustomerAction: "Completed Form",
            Contact: { BusinessTitle: "Head of Data", Email: "lee.contact@example.com", FirstName: "Lee", LastName: "Contact" },
          },
        ],
      },
    },
  };
}

/** CreateEngagement input; `contexts` defaults to one CustomerProject context. */
export function engagementInput(catalog, { title = `Engagement ${uniqueSuffix()}`, description = "Joint pursuit of a customer migration.", contexts } = {}) {
  return {
    Catalog: catalog,
    ClientToken: clientToken(),
    Title: title,
    Description: description,
    ...(contexts === null ? {} : { Contexts: contexts ?? [customerProjectContext()] }),
  };
}

/** Creates an engagement; resolves to { id, arn, out, input }. */
export async function createEngagement(client, catalog, options = {}) {
  const input = engagementInput(catalog, options);
  const out = await client.send(new CreateEngagementCommand(input));
  return { id: out.Id, arn: out.Arn, out, input };
}

export function getEngagement(client, catalog, id) {
  return client.send(new GetEngagementCommand({ Catalog: catalog, Identifier: id }));
}

/** An OpportunityInvitation to `receiverAccountId`, modelled on "Inviting Partner - CreateEngagementInvitation". */
export function opportunityInvitation(receiverAccountId, { companyName = `Invited Corp ${uniqueSuffix()}`, title = `Invited ${uniqueSuffix()}`, message = "Would you like to co-sell this opportunity with us?" } = {}) {
  return {
    Message: message,
    Receiver: { Account: { AwsAccountId: receiverAccountId } },
    Payload: {
      OpportunityInvitation: {
        SenderContacts: [
          { Email: "sender.manager@partner.example", FirstName: "Sam", LastName: "Sender", BusinessTitle: "Regional Manager", Phone: "+14151231234" },
        ],
        ReceiverResponsibilities: ["Distributor"],
        Customer: { Industry: "Agriculture", CompanyName: companyName, WebsiteUrl: "https://www.example.org", CountryCode: "US" },
        Project: {
          Title: title,
          BusinessProblem: "This is a very important problem for the customer to solve.",
          TargetCompletionDate: isoDate(200),
          ExpectedCustomerSpend: [{ Amount: "10000", CurrencyCode: "USD", Frequency: "Monthly", TargetCompany: "AWS" }],
        },
      },
    },
  };
}

/** An OpportunityInvitation whose payload describes the opportunity built from `oppInput` (CreateOpportunity input). */
export function opportunityInvitationFor(receiverAccountId, oppInput) {
  const invitation = opportunityInvitation(receiverAccountId);
  const { Account } = oppInput.Customer;
  invitation.Payload.OpportunityInvitation.Customer = {
    Industry: Account.Industry,
    CompanyName: Account.CompanyName,
    WebsiteUrl: Account.WebsiteUrl,
    CountryCode: Account.Address.CountryCode,
  };
  Object.assign(invitation.Payload.OpportunityInvitation.Project, {
    Title: oppInput.Project.Title,
    BusinessProblem: oppInput.Project.CustomerBusinessProblem,
    TargetCompletionDate: oppInput.LifeCycle.TargetCloseDate,
  });
  return invitation;
}

/** A LeadInvitation, modelled on "LeadToOpportunity/CreateEngagementInvitation". */
export function leadInvitation(receiverAccountId, { companyName = `Lead Corp ${uniqueSuffix()}` } = {}) {
  return {
    Message: "We have a qualified lead that matches your expertise. Would you like to collaborate?",
    Receiver: { Account: { AwsAccountId: receiverAccountId } },
    Payload: {
      LeadInvitation: {
        Customer: {
          CompanyName: companyName,
          Industry: "Software and Internet",
          CountryCode: "US",
          WebsiteUrl: "https://www.example.net",
          MarketSegment: "Enterprise",
          AwsMaturity: "Evaluating",
        },
        Interaction: {
          SourceType: "Campaign",
          SourceId: "CAMP2025",
          SourceName: "Partner Referral Program - 2025",
          ContactBusinessTitle: "Head of Data",
          Usecase: "Database",
        },
      },
    },
  };
}

/** Sends CreateEngagementInvitation; resolves to { id, arn, input }. */
export async function invite(client, catalog, engagementId, invitation) {
  const input = { Catalog: catalog, ClientToken: clientToken(), EngagementIdentifier: engagementId, Invitation: invitation };
  const out = await client.send(new CreateEngagementInvitationCommand(input));
  return { id: out.Id, arn: out.Arn, input };
}

export function getInvitation(client, catalog, id) {
  return client.send(new GetEngagementInvitationCommand({ Catalog: catalog, Identifier: id }));
}

/** Every page of ListEngagementInvitations for `participantType`, narrowed by `filters`. */
export async function listInvitations(client, catalog, participantType, filters = {}) {
  return collectPages(
    (NextToken) => client.send(new ListEngagementInvitationsCommand({ Catalog: catalog, ParticipantType: participantType, ...filters, NextToken })),
    (page) => page.EngagementInvitationSummaries ?? [],
  );
}

/** Follows NextToken to the end; `items(page)` picks a page's records. */
export async function collectPages(fetchPage, items) {
  const all = [];
  let token;
  for (let guard = 0; guard < 200; guard++) {
    const page = await fetchPage(token);
    all.push(...items(page));
    token = page.NextToken;
    if (!token) return all;
  }
  throw new Error("more than 200 pages: NextToken never ran out");
}

/**
 * A complete opportunity ready for StartEngagementFromOpportunityTask: in
 * Sandbox it is associated with the built-in solution S-1234567 (AWS makes
 * one partner solution mandatory before starting an engagement, §2.5).
 */
export async function submittableOpportunity(client, catalog, options = {}) {
  const created = await createOpportunity(client, catalog, options);
  await associateSandboxSolution(client, catalog, created.id);
  return created;
}

export function associateSandboxSolution(client, catalog, opportunityId) {
  return client.send(
    new AssociateOpportunityCommand({
      Catalog: catalog,
      OpportunityIdentifier: opportunityId,
      RelatedEntityType: "Solutions",
      RelatedEntityIdentifier: sandboxSolutionId,
    }),
  );
}

export function startEngagementFromOpportunity(client, catalog, opportunityId, { token = clientToken(), awsSubmission = { InvolvementType: "Co-Sell", Visibility: "Full" } } = {}) {
  return client.send(
    new StartEngagementFromOpportunityTaskCommand({ Catalog: catalog, ClientToken: token, Identifier: opportunityId, AwsSubmission: awsSubmission }),
  );
}

export function acceptInvitationTask(client, catalog, invitationId, { token = clientToken() } = {}) {
  return client.send(new StartEngagementByAcceptingInvitationTaskCommand({ Catalog: catalog, ClientToken: token, Identifier: invitationId }));
}

export function opportunityFromEngagementTask(client, catalog, engagementId, contextId, { token = clientToken() } = {}) {
  return client.send(
    new StartOpportunityFromEngagementTaskCommand({ Catalog: catalog, ClientToken: token, Identifier: engagementId, ContextIdentifier: contextId }),
  );
}

/** Creates a snapshot job on the OpportunitySummaryView template; resolves to { id, arn, input }. */
export async function createSnapshotJob(client, catalog, engagementId, opportunityId, extra = {}) {
  const input = {
    Catalog: catalog,
    ClientToken: clientToken(),
    EngagementIdentifier: engagementId,
    ResourceType: "Opportunity",
    ResourceIdentifier: opportunityId,
    ResourceSnapshotTemplateIdentifier: summaryTemplate,
    ...extra,
  };
  const out = await client.send(new CreateResourceSnapshotJobCommand(input));
  return { id: out.Id, arn: out.Arn, input };
}

/** Every snapshot summary of the engagement (optionally narrowed by `filters`). */
export function listSnapshots(client, catalog, engagementId, filters = {}) {
  return collectPages(
    (NextToken) => client.send(new ListResourceSnapshotsCommand({ Catalog: catalog, EngagementIdentifier: engagementId, ...filters, NextToken })),
    (page) => page.ResourceSnapshotSummaries ?? [],
  );
}

/**
 * Sandbox's simulated AWS referral (§2.4): CreateOpportunity with Origin
 * "AWS Referral" makes AWS invite the caller. The invitation is found the
 * documented way, by its title matching the opportunity's Project.Title.
 * Resolves to { opportunity: { id, input }, summary } (the RECEIVER summary).
 */
export async function simulateAwsReferral(client, catalog = "Sandbox") {
  const title = `AWS Referral ${uniqueSuffix()}`;
  const opportunity = await createOpportunity(client, catalog, {
    edit: (input) => {
      input.Origin = "AWS Referral";
      input.Project.Title = title;
      input.Customer.Account.Address = {
        CountryCode: "US",
        PostalCode: "07030",
        StateOrRegion: "New Jersey",
        City: "Hoboken",
        StreetAddress: "77 Riverside Walk",
      };
      input.Customer.Account.AwsAccountId = "987654321098";
      input.Customer.Contacts = [
        { Email: "hidden.contact@referral.example", FirstName: "Hidden", LastName: "Contact", BusinessTitle: "CFO", Phone: "+12125551234" },
      ];
      input.Project.OtherSolutionDescription = "Undisclosed referral solution";
    },
  });
  const summary = await eventually(async () => {
    const pending = await listInvitations(client, catalog, "RECEIVER", { Status: ["PENDING"], PayloadType: ["OpportunityInvitation"] });
    const found = pending.find((s) => s.EngagementTitle === title);
    if (!found) throw new Error(`no PENDING invitation titled ${JSON.stringify(title)} among ${JSON.stringify(pending.map((s) => s.EngagementTitle))}`);
    return found;
  });
  return { opportunity, summary, title };
}

/**
 * Calls `fn` until it resolves without throwing, for effects AWS documents as
 * asynchronous (snapshot jobs, referrals); rethrows the last error on timeout.
 */
export async function eventually(fn, { timeoutMs = 5000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((res) => setTimeout(res, intervalMs));
    }
  }
}
