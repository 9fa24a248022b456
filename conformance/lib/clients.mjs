// SDK clients for the two partner accounts the suite plays. Against cosell
// the defaults are its built-in accounts; against another endpoint (AWS) the
// keys and account ids come from COSELL_A_* / COSELL_B_* variables.
import { PartnerCentralSellingClient } from "@aws-sdk/client-partnercentral-selling";
import { PartnerCentralAccountClient } from "@aws-sdk/client-partnercentral-account";
import { PartnerCentralRevenueMeasurementClient } from "@aws-sdk/client-partnercentral-revenue-measurement";
import { externalEndpoint } from "./server.mjs";

export const region = "us-east-1";

function account(prefix, defaults) {
  const env = (name) => process.env[`COSELL_${prefix}_${name}`];
  return {
    accountId: env("ACCOUNT_ID") || defaults.accountId,
    credentials: {
      accessKeyId: env("ACCESS_KEY_ID") || defaults.accessKeyId,
      secretAccessKey: env("SECRET_ACCESS_KEY") || defaults.secretAccessKey,
      ...(env("SESSION_TOKEN") ? { sessionToken: env("SESSION_TOKEN") } : {}),
    },
  };
}

/** Partner account A (cosell's default account) and partner account B. */
export const accountA = account("A", { accountId: "111111111111", accessKeyId: "test", secretAccessKey: "test" });
export const accountB = account("B", { accountId: "222222222222", accessKeyId: "test2", secretAccessKey: "test2" });

// Locally every error must surface on the first attempt; AWS throttles at
// 1 write/s, so there the SDK's adaptive retries pace the suite.
const retryOptions = externalEndpoint ? { maxAttempts: 10, retryMode: "adaptive" } : { maxAttempts: 1 };

function clientConfig(endpoint, credentials) {
  return { endpoint, region, credentials, ...retryOptions };
}

/** A Selling API client for `who` (accountA, accountB, or any { credentials }). */
export function sellingClient(endpoint, who = accountA) {
  return new PartnerCentralSellingClient(clientConfig(endpoint, who.credentials));
}

/** An Account API client; COSELL_ACCOUNT_ENDPOINT overrides when the two APIs live apart (as on AWS). */
export function accountClient(endpoint, who = accountA) {
  const accountEndpoint = process.env.COSELL_ACCOUNT_ENDPOINT || endpoint;
  return new PartnerCentralAccountClient(clientConfig(accountEndpoint, who.credentials));
}

/** A Revenue Measurement API client (smithy-rpc-v2-cbor); COSELL_REVENUE_ENDPOINT overrides, as AWS serves it apart. */
export function revenueClient(endpoint, who = accountA) {
  return new PartnerCentralRevenueMeasurementClient(clientConfig(process.env.COSELL_REVENUE_ENDPOINT || endpoint, who.credentials));
}
