// Request builders modelled on the real Sandbox bodies in AWS's Postman
// collection (shared/reference/selling-api-postman-examples.json).
import { randomUUID } from "node:crypto";

/** A fresh idempotency token, as a partner's integration would mint one per create. */
export function clientToken() {
  return randomUUID();
}

/** A YYYY-MM-DD date `days` from today (negative for the past), in UTC. */
export function isoDate(days) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A short unique suffix so records made by one run are told apart from another's. */
export function uniqueSuffix() {
  return randomUUID().slice(0, 8);
}

/**
 * CreateOpportunity input carrying every field submission needs.
 * `companyName` and `targetCloseDate` vary per test (sorting, filters).
 */
export function completeOpportunity(catalog, { companyName = `Example Corp ${uniqueSuffix()}`, targetCloseDate = isoDate(180) } = {}) {
  return {
    Catalog: catalog,
    ClientToken: clientToken(),
    Origin: "Partner Referral",
    OpportunityType: "Net New Business",
    NationalSecurity: "No",
    PrimaryNeedsFromAws: ["Co-Sell - Architectural Validation"],
    PartnerOpportunityIdentifier: `crm-${uniqueSuffix()}`,
    Customer: {
      Account: {
        CompanyName: companyName,
        Industry: "Financial Services",
        WebsiteUrl: "https://www.example.com",
        AwsAccountId: "123456789012",
        Duns: "111100111",
        Address: {
          CountryCode: "US",
          PostalCode: "10001",
          StateOrRegion: "New York",
          City: "New York",
          StreetAddress: "350 Fifth Avenue",
        },
      },
      Contacts: [
        {
          Email: "jane.doe@example.com",
          FirstName: "Jane",
          LastName: "Doe",
          BusinessTitle: "CTO",
          Phone: "+14155550100",
        },
      ],
    },
    Project: {
      Title: "Core banking migration",
      CustomerBusinessProblem: "The customer runs its core banking platform on ageing on-premises hardware and needs to modernise.",
      CustomerUseCase: "Migration/Database Migration",
      DeliveryModels: ["SaaS or PaaS"],
      ExpectedCustomerSpend: [{ Amount: "12500", CurrencyCode: "USD", Frequency: "Monthly", TargetCompany: "AWS" }],
      SalesActivities: ["Initialized discussions with customer", "Conducted POC / Demo"],
      CompetitorName: "On-Prem",
      OtherSolutionDescription: "Managed migration service",
    },
    LifeCycle: {
      Stage: "Prospect",
      TargetCloseDate: targetCloseDate,
      NextSteps: "Schedule the architecture review with the customer.",
    },
    Marketing: { Source: "None" },
    OpportunityTeam: [
      { Email: "owner@partner.example", FirstName: "Pat", LastName: "Owner", BusinessTitle: "PartnerAccountManager" },
    ],
  };
}

/**
 * Turns GetOpportunity output into an UpdateOpportunity input, the way AWS's
 * docs tell partners to (full replace: rename Id, drop read-only members).
 */
export function updateInputFrom(got) {
  const { $metadata, Id, Arn, CreatedDate, OpportunityTeam, RelatedEntityIdentifiers, ...rest } = got;
  return structuredClone({ ...rest, Identifier: Id });
}

/** The opportunity ARN AWS returns for an opportunity owned by `accountId`. */
export function opportunityArn(accountId, catalog, id) {
  return `arn:aws:partnercentral:us-east-1:${accountId}:catalog/${catalog}/opportunity/${id}`;
}

/** The Sandbox catalog's built-in partner solution (AWS docs, testing-sandbox). */
export const sandboxSolutionId = "S-1234567";

/** AWS product codes from AWS's published product list, enough to exceed the 20-per-opportunity limit. */
export const awsProductCodes = [
  "AWSAmplify", "AWSAppRunner", "AWSAppSync", "AWSAuditManager", "AWSBackup", "AWSBatch",
  "AWSCertificateManager", "AWSCloudFormation", "AWSCloudHSM", "AWSCloudMap", "AWSCloudTrail",
  "AWSCodeArtifact", "AWSCodeBuild", "AWSCodeCommit", "AWSCodeDeploy", "AWSCodePipeline",
  "AWSConfig", "AWSControlTower", "AWSDataExchange", "AWSDataSync", "AWSDatabaseMigrationService",
];

/** A syntactically valid AWS Marketplace private offer ARN (the model's pattern). */
export function marketplaceOfferArn(n = 1) {
  return `arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-cosell${String(n).padStart(6, "0")}`;
}
