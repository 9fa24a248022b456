// Connects the suite's partner accounts through the Account API. AWS lets a
// partner invite another partner to an engagement only once the two are
// connected for opportunity collaboration, so every Selling test file that
// invites B calls connectPartners from its useCosell setup.
import {
  ListPartnersCommand,
  ListConnectionsCommand,
  AcceptConnectionInvitationCommand,
} from "@aws-sdk/client-partnercentral-account";
import { accountClient } from "./clients.mjs";
import { clientToken } from "./fixtures.mjs";
import { createPartner, getPartner, publishProfile, inviteConnection } from "./account.mjs";

const collaboration = "OPPORTUNITY_COLLABORATION";

/**
 * Registers A and B as partners in `catalog` where they are not yet, and
 * connects them: A invites B's public profile, B accepts. Does nothing when
 * they are already connected (as a reused real account may be).
 */
export async function connectPartners(ctx, catalog = "Sandbox") {
  const pa = accountClient(ctx.endpoint, ctx.accountA);
  const pb = accountClient(ctx.endpoint, ctx.accountB);
  try {
    await publicProfile(ctx, pa, catalog);
    const profileB = await publicProfile(ctx, pb, catalog);
    const { ConnectionSummaries } = await pa.send(
      new ListConnectionsCommand({ Catalog: catalog, ConnectionType: `${collaboration}:ACTIVE`, OtherParticipantIdentifiers: [ctx.accountB.accountId] }),
    );
    if (ConnectionSummaries.length > 0) return;
    const invitation = await inviteConnection(pa, catalog, profileB, { type: collaboration });
    await pb.send(new AcceptConnectionInvitationCommand({ Catalog: catalog, Identifier: invitation.Id, ClientToken: clientToken() }));
  } finally {
    pa.destroy();
    pb.destroy();
  }
}

/** The client's partner's public profile id, registering the partner and publishing a profile as needed. */
async function publicProfile(ctx, client, catalog) {
  const { PartnerSummaryList } = await client.send(new ListPartnersCommand({ Catalog: catalog }));
  const id = PartnerSummaryList[0]?.Id ?? (await createPartner(client, catalog)).Id;
  const { Profile } = await getPartner(client, catalog, id);
  return Profile?.ProfileId ?? publishProfile(ctx, client, catalog, id);
}
