// Account API (PartnerCentralAccount) helpers: clients for both accounts,
// request builders, id patterns and ARNs (semantics.md §4), the admin mail
// log that stands in for the inbox, and assertions on the Account API's
// error shapes (every exception carries a Reason; ValidationException
// carries ErrorDetails of FieldValidationError / BusinessValidationError,
// semantics.md §5.1).
import assert from "node:assert/strict";
import { after } from "node:test";
import {
  CreatePartnerCommand,
  GetPartnerCommand,
  GetVerificationCommand,
  StartVerificationCommand,
  StartProfileUpdateTaskCommand,
  GetProfileUpdateTaskCommand,
  CreateConnectionInvitationCommand,
  GetConnectionPreferencesCommand,
  UpdateConnectionPreferencesCommand,
} from "@aws-sdk/client-partnercentral-account";
import { useCosell } from "./suite.mjs";
import { accountClient } from "./clients.mjs";
import { clockControllable } from "./admin.mjs";
import { externalEndpoint } from "./server.mjs";
import { rejectsWith } from "./expect.mjs";
import { clientToken, uniqueSuffix } from "./fixtures.mjs";
import { collectPages } from "./engagements.mjs";

export { collectPages };

export const partnerIdPattern = /^partner-[A-Za-z0-9]{13}$/;
export const connectionIdPattern = /^pac-[A-Za-z0-9]{13}$/;
export const connectionInvitationIdPattern = /^pacinv-[A-Za-z0-9]{13}$/;
export const profileIdPattern = /^pprofile-[A-Za-z0-9]{13}$/;
export const profileTaskIdPattern = /^pprofiletask-[A-Za-z0-9]{13}$/;

/** The Sandbox accepts any six digits as an email verification code (semantics.md §7.1). */
export const sandboxCode = "123456";

/**
 * How far tests move the server clock for cosell's asynchronous Account work
 * (verifications, profile update tasks) to finish. AWS documents no duration
 * (semantics.md §8 item 12); three days is well past any sensible simulation.
 */
export const settleDuration = "72h";

export function partnerArn(accountId, catalog, id) {
  return `arn:aws:partnercentral:us-east-1:${accountId}:catalog/${catalog}/partner/${id}`;
}

/** Connections and their invitations are shared by two accounts, so their ARNs carry none. */
export const connectionArnPattern = (catalog) => new RegExp(`^arn:aws:partnercentral:us-east-1::catalog/${catalog}/connection/pac-[A-Za-z0-9]{13}$`);
export const connectionInvitationArnPattern = (catalog) =>
  new RegExp(`^arn:aws:partnercentral:us-east-1::catalog/${catalog}/connection-invitation/pacinv-[A-Za-z0-9]{13}$`);

export function connectionPreferencesArn(accountId, catalog) {
  return `arn:aws:partnercentral:us-east-1:${accountId}:catalog/${catalog}/connection-preferences`;
}

/**
 * useCosell plus an Account API client for each account: `cosell.accountA`
 * and `cosell.accountB` stay the account descriptions, `cosell.pa` / `cosell.pb`
 * are their Account API clients.
 */
export function useAccountApi(setup) {
  const extra = [];
  const cosell = useCosell(async (ctx) => {
    ctx.pa = ctx.accountApi;
    ctx.pb = accountClient(ctx.endpoint, ctx.accountB);
    extra.push(ctx.pb);
    await setup?.(ctx);
  });
  after(() => extra.forEach((client) => client.destroy()));
  return cosell;
}

/** A unique mailbox at a domain of its own, so tests never share quota or domains. */
export function uniqueEmail(local = "lead") {
  return `${local}.${uniqueSuffix()}@${uniqueSuffix()}.example.com`;
}

export function allianceLead(email = uniqueEmail()) {
  return { FirstName: "Jordan", LastName: "Rivera", BusinessTitle: "Alliance Lead", Email: email };
}

/** CreatePartner input modelled on the Sandbox example in AWS's guide (semantics.md §7.1). */
export function partnerInput(catalog, { legalName = `Example Partner ${uniqueSuffix()}`, email, code = sandboxCode, ...rest } = {}) {
  return {
    Catalog: catalog,
    ClientToken: clientToken(),
    LegalName: legalName,
    PrimarySolutionType: "SOFTWARE_PRODUCTS",
    AllianceLeadContact: allianceLead(email),
    EmailVerificationCode: code,
    ...rest,
  };
}

/** Registers the client's account in `catalog`; resolves to the CreatePartner output. */
export function createPartner(client, catalog, options = {}) {
  return client.send(new CreatePartnerCommand(partnerInput(catalog, options)));
}

export function getPartner(client, catalog, identifier) {
  return client.send(new GetPartnerCommand({ Catalog: catalog, Identifier: identifier }));
}

/** A complete profile for StartProfileUpdateTask. */
export function profileDetails({ displayName = `Example Profile ${uniqueSuffix()}`, ...rest } = {}) {
  return {
    DisplayName: displayName,
    Description: "Cloud migration and modernisation partner.",
    WebsiteUrl: "https://www.example.com",
    LogoUrl: "https://www.example.com/logo.png",
    PrimarySolutionType: "CONSULTING_SERVICES",
    IndustrySegments: ["FINANCIAL_SERVICES", "HEALTHCARE"],
    TranslationSourceLocale: "en-US",
    ...rest,
  };
}

export function startProfileTask(client, catalog, identifier, details = profileDetails(), token = clientToken()) {
  return client.send(new StartProfileUpdateTaskCommand({ Catalog: catalog, Identifier: identifier, ClientToken: token, TaskDetails: details }));
}

/**
 * Gives the partner a published profile: starts an update task, moves the
 * clock until it is done (against AWS: polls), and resolves to the public
 * profile id. Connections need one on the receiver (semantics.md §7.2).
 */
export async function publishProfile(cosell, client, catalog, partnerId) {
  await startProfileTask(client, catalog, partnerId);
  if (clockControllable) await cosell.advanceClock(settleDuration);
  const task = await pollUntil(
    () => client.send(new GetProfileUpdateTaskCommand({ Catalog: catalog, Identifier: partnerId })),
    (t) => t.Status !== "IN_PROGRESS",
  );
  assert.equal(task.Status, "SUCCEEDED", `the profile update task ended ${task.Status}: ${JSON.stringify(task.ErrorDetailList)}`);
  const { Profile } = await getPartner(client, catalog, partnerId);
  assert.match(Profile.ProfileId ?? "", profileIdPattern, "a published profile has a public id");
  return Profile.ProfileId;
}

/** Repeats `read` until `done(result)`; locally the first answer must already be final. */
export async function pollUntil(read, done, { timeoutMs = externalEndpoint ? 600_000 : 0, intervalMs = 5000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await read();
    if (done(out) || Date.now() >= deadline) return out;
    await new Promise((res) => setTimeout(res, intervalMs));
  }
}

export const businessVerification = (legalName = `Verified Partner ${uniqueSuffix()}`) => ({
  BusinessVerificationDetails: { LegalName: legalName, RegistrationId: `REG-${uniqueSuffix()}`, CountryCode: "US", JurisdictionOfIncorporation: "DE" },
});
export const registrantVerification = () => ({ RegistrantVerificationDetails: {} });

export function startVerification(client, details, token = clientToken()) {
  return client.send(new StartVerificationCommand({ ClientToken: token, VerificationDetails: details }));
}

export function getVerification(client, type) {
  return client.send(new GetVerificationCommand({ VerificationType: type }));
}

/** The legal name the account's business verification confirmed. */
export async function verifiedLegalName(client) {
  const v = await getVerification(client, "BUSINESS_VERIFICATION");
  return v.VerificationResponseDetails.BusinessVerificationResponse.BusinessVerificationDetails.LegalName;
}

/**
 * Makes sure the client's account has passed both verifications, the
 * prerequisite for registering in catalog AWS (semantics.md §7.1). Already
 * verified or running verifications are fine. Resolves to the verified legal
 * name, which registration must repeat.
 */
export async function verifyAccount(cosell, client) {
  for (const details of [businessVerification(), registrantVerification()]) {
    await startVerification(client, details).catch((err) => {
      if (err.name !== "ConflictException") throw err;
    });
  }
  if (clockControllable) await cosell.advanceClock(settleDuration);
  for (const type of ["BUSINESS_VERIFICATION", "REGISTRANT_VERIFICATION"]) {
    const v = await pollUntil(() => getVerification(client, type), (out) => !["IN_PROGRESS", "PENDING_CUSTOMER_ACTION"].includes(out.VerificationStatus));
    assert.equal(v.VerificationStatus, "SUCCEEDED", `${type} ended ${v.VerificationStatus}`);
  }
  return verifiedLegalName(client);
}

export function invitationInput(catalog, receiverIdentifier, { type = "OPPORTUNITY_COLLABORATION", message = "Let us co-sell together.", ...rest } = {}) {
  return {
    Catalog: catalog,
    ClientToken: clientToken(),
    ConnectionType: type,
    ReceiverIdentifier: receiverIdentifier,
    Email: "alliances@example.com",
    Name: "Alex Morgan",
    Message: message,
    ...rest,
  };
}

export function inviteConnection(client, catalog, receiverIdentifier, options = {}) {
  return client.send(new CreateConnectionInvitationCommand(invitationInput(catalog, receiverIdentifier, options)));
}

/** Sets the caller's connection preferences from whatever revision is current. */
export async function setPreferences(client, catalog, accessType, excluded) {
  const { Revision } = await client.send(new GetConnectionPreferencesCommand({ Catalog: catalog }));
  return client.send(
    new UpdateConnectionPreferencesCommand({ Catalog: catalog, Revision, AccessType: accessType, ...(excluded ? { ExcludedParticipantIdentifiers: excluded } : {}) }),
  );
}

// --- the mail log --------------------------------------------------------

/** True when the server has cosell's admin mail log (one we started). */
export const mailReadable = !externalEndpoint;

/** Skips `t` when the emailed codes cannot be read back; returns true when the caller should return. */
export function skipWithoutMailLog(t) {
  if (!mailReadable) {
    t.skip("reads emailed codes from cosell's admin mail log (GET /_cosell/mail); AWS mails a real inbox");
    return true;
  }
  return false;
}

/** GET /_cosell/mail: the server's log of the email verification codes it would have sent. */
export async function readMailLog(cosell) {
  const res = await fetch(`${cosell.endpoint}/_cosell/mail`, { headers: { authorization: `Bearer ${cosell.adminToken}` } });
  const text = await res.text();
  assert.equal(res.status, 200, `GET /_cosell/mail answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * Every code the mail log holds for `email`, oldest first. The log's exact
 * layout is cosell's own; any entry that names the address (as a value or as
 * a key) next to a six-digit string counts.
 */
export function codesFor(log, email) {
  const want = email.toLowerCase();
  const found = [];
  const sixDigits = (v) => typeof v === "string" && /^[0-9]{6}$/.test(v);
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const values = Object.values(node);
    if (values.some((v) => typeof v === "string" && v.toLowerCase() === want)) found.push(...values.filter(sixDigits));
    for (const [key, value] of Object.entries(node)) {
      if (key.toLowerCase() !== want) visit(value);
      else if (sixDigits(value)) found.push(value);
      else if (Array.isArray(value)) found.push(...value.flatMap((v) => (sixDigits(v) ? [v] : sixDigits(v?.code ?? v?.Code) ? [v.code ?? v.Code] : [])));
      else if (value && typeof value === "object") found.push(...Object.values(value).filter(sixDigits));
    }
  };
  visit(log);
  return found;
}

/** The latest code mailed to `email`; fails when none was. */
export async function mailedCode(cosell, email) {
  const codes = codesFor(await readMailLog(cosell), email);
  assert.ok(codes.length > 0, `the mail log has a code for ${email}`);
  return codes.at(-1);
}

// --- errors --------------------------------------------------------------

/**
 * Like rejectsWith, for the Account API: asserts the exception `name` and its
 * `reason`, and for ValidationException the ErrorDetails: `field` (RegExp on
 * FieldValidationError.Name) with `code`, or `business` (a BusinessValidationError
 * Code, or a list of acceptable ones).
 */
export async function rejectsWithReason(promise, name, { reason, field, code, business } = {}) {
  const err = await rejectsWith(promise, name);
  assert.equal(typeof err.Reason, "string", `${name} carries a Reason: ${err.message}`);
  if (reason !== undefined) {
    const allowed = [reason].flat();
    assert.ok(allowed.includes(err.Reason), `Reason of ${name}: expected ${allowed.join(" or ")}, got ${err.Reason}: ${err.message}`);
  }
  const details = err.ErrorDetails ?? [];
  if (field !== undefined || code !== undefined) {
    const fields = details.map((d) => d.FieldValidationError).filter(Boolean);
    const match = fields.find((f) => (field === undefined || field.test(f.Name ?? "")) && (code === undefined || [code].flat().includes(f.Code)));
    assert.ok(match, `ErrorDetails has a FieldValidationError for ${field ?? "any field"} ${code ?? ""}: ${JSON.stringify(details)}`);
    assert.equal(typeof match.Message, "string");
  }
  if (business !== undefined) {
    const match = details.map((d) => d.BusinessValidationError).find((b) => b && [business].flat().includes(b.Code));
    assert.ok(match, `ErrorDetails has a BusinessValidationError ${[business].flat().join(" or ")}: ${JSON.stringify(details)}`);
  }
  return err;
}

/** A request validation failure naming `field` with `code` (semantics.md §5.1). */
export function rejectsAsInvalid(promise, field, code) {
  return rejectsWithReason(promise, "ValidationException", { reason: "REQUEST_VALIDATION_FAILED", field, code });
}

export const validationReasons = ["REQUEST_VALIDATION_FAILED", "BUSINESS_VALIDATION_FAILED"];
