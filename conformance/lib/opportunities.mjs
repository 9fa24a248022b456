// Opportunity steps that many tests share, each one SDK call as a partner makes it.
import {
  CreateOpportunityCommand,
  GetOpportunityCommand,
  UpdateOpportunityCommand,
  SubmitOpportunityCommand,
  AssociateOpportunityCommand,
  ListSolutionsCommand,
} from "@aws-sdk/client-partnercentral-selling";
import { completeOpportunity, updateInputFrom } from "./fixtures.mjs";

/** Creates a complete opportunity; `edit` may adjust the input first. Resolves to { id, created, input }. */
export async function createOpportunity(client, catalog, { edit, ...builderOptions } = {}) {
  const input = completeOpportunity(catalog, builderOptions);
  edit?.(input);
  const created = await client.send(new CreateOpportunityCommand(input));
  return { id: created.Id, created, input };
}

export function getOpportunity(client, catalog, id) {
  return client.send(new GetOpportunityCommand({ Catalog: catalog, Identifier: id }));
}

/**
 * Reads the opportunity, lets `edit` change the full payload, and sends it
 * back as UpdateOpportunity (the documented read-modify-write cycle).
 */
export async function updateOpportunity(client, catalog, id, edit) {
  const input = updateInputFrom(await getOpportunity(client, catalog, id));
  edit(input);
  return client.send(new UpdateOpportunityCommand(input));
}

/**
 * Associates one of the account's active solutions (if the catalog has any;
 * the complete payload also names an OtherSolutionDescription) and submits
 * for review, as AWS's samples do.
 */
export async function submitOpportunity(client, catalog, id) {
  const { SolutionSummaries } = await client.send(new ListSolutionsCommand({ Catalog: catalog, Status: ["Active"], MaxResults: 1 }));
  if (SolutionSummaries.length > 0) {
    await client.send(
      new AssociateOpportunityCommand({
        Catalog: catalog,
        OpportunityIdentifier: id,
        RelatedEntityType: "Solutions",
        RelatedEntityIdentifier: SolutionSummaries[0].Id,
      }),
    );
  }
  await client.send(new SubmitOpportunityCommand({ Catalog: catalog, Identifier: id, InvolvementType: "Co-Sell", Visibility: "Full" }));
}

/**
 * Plays AWS's reviewer in Sandbox: UpdateOpportunity with LifeCycle.ReviewStatus
 * set, plus any LifeCycle members in `lifeCycle` (ReviewComments, ...).
 */
export function simulateReview(client, catalog, id, reviewStatus, lifeCycle = {}) {
  return updateOpportunity(client, catalog, id, (input) => {
    input.LifeCycle = { ...input.LifeCycle, ReviewStatus: reviewStatus, ...lifeCycle };
  });
}
