// The Benefits API for the suite: an SDK client per account and the AWS
// side's routes (cosell's admin API) that review applications.
import { PartnerCentralBenefitsClient, ListBenefitsCommand } from "@aws-sdk/client-partnercentral-benefits";
import { externalEndpoint } from "./server.mjs";
import { region } from "./clients.mjs";
import { awsSide } from "./admin.mjs";

/** A Benefits API client for `who`; COSELL_BENEFITS_ENDPOINT overrides (AWS serves it apart). */
export function benefitsClient(endpoint, who) {
  const retry = externalEndpoint ? { maxAttempts: 10, retryMode: "adaptive" } : { maxAttempts: 1 };
  return new PartnerCentralBenefitsClient({ endpoint: process.env.COSELL_BENEFITS_ENDPOINT || endpoint, region, credentials: who.credentials, ...retry });
}

/** The id of the catalog's first ACTIVE benefit of program. */
export async function benefitOf(client, catalog, program) {
  const { BenefitSummaries } = await client.send(new ListBenefitsCommand({ Catalog: catalog, Programs: [program], Status: ["ACTIVE"] }));
  if (!BenefitSummaries.length) throw new Error(`no ACTIVE ${program} benefit in ${catalog}`);
  return BenefitSummaries[0].Id;
}

/** AWS's decision on an application, through cosell's admin API. */
export function reviewApplication(cosell, catalog, account, id, body, options) {
  return awsSide(cosell.endpoint, cosell.adminToken, "POST", `benefits/applications/${catalog}/${account}/${id}/review`, body, options);
}

/** Complete details for the POC benefit's request schema. */
export const pocDetails = {
  AccountId: "123456789012",
  CustomerName: "Example Corp",
  UseCase: "Prove the analytics platform on the customer's data lake.",
  RequestedAmount: 5000,
};
