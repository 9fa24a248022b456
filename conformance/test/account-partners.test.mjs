// Account API: email verification codes, partner registration, reading and
// listing partners, the alliance lead, training/certification email domains
// and tags on the partner ARN (semantics.md §4, §5.1, §5.3, §7.1).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SendEmailVerificationCodeCommand,
  CreatePartnerCommand,
  ListPartnersCommand,
  GetAllianceLeadContactCommand,
  PutAllianceLeadContactCommand,
  AssociateAwsTrainingCertificationEmailDomainCommand,
  DisassociateAwsTrainingCertificationEmailDomainCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-partnercentral-account";
import { skipAwsCatalogWriteOnRealEndpoint, freshServer } from "../lib/suite.mjs";
import { skipWithoutClock } from "../lib/admin.mjs";
import { stripMetadata } from "../lib/expect.mjs";
import { clientToken, uniqueSuffix } from "../lib/fixtures.mjs";
import {
  useAccountApi,
  partnerInput,
  createPartner,
  getPartner,
  partnerArn,
  partnerIdPattern,
  allianceLead,
  uniqueEmail,
  sandboxCode,
  verifyAccount,
  mailedCode,
  readMailLog,
  codesFor,
  skipWithoutMailLog,
  rejectsWithReason,
  validationReasons,
  collectPages,
} from "../lib/account.mjs";

const cosell = useAccountApi();

const sendCode = (client, catalog, email) => client.send(new SendEmailVerificationCodeCommand({ Catalog: catalog, Email: email }));
const listPartners = (client, catalog) =>
  collectPages((NextToken) => client.send(new ListPartnersCommand({ Catalog: catalog, NextToken })), (page) => page.PartnerSummaryList);
const tagsOf = async (arn) => (await cosell.pa.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? [];
const byKey = (tags) => [...tags].sort((x, y) => (x.Key < y.Key ? -1 : 1));
const domainOf = (email) => email.split("@")[1];
/** A six-digit code that is certainly not `code`. */
const otherThan = (code) => code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
// Refusals of another account's resources: which of the two AWS raises is NOT FOUND in semantics.md.
const refusedForeign = ["AccessDeniedException", "ResourceNotFoundException"];
const unknownPartnerId = "partner-0000000000000";

// Each account registers once per catalog; later tests reuse the registration.
const registrations = new Map();
function registered(client, catalog) {
  const key = `${client === cosell.pa ? "A" : "B"}/${catalog}`;
  if (!registrations.has(key)) {
    const input = partnerInput(catalog);
    registrations.set(key, client.send(new CreatePartnerCommand(input)).then((out) => ({ input, out })));
  }
  return registrations.get(key);
}

test("SendEmailVerificationCode in catalog AWS mails a six-digit code to the address", async (t) => {
  if (skipAwsCatalogWriteOnRealEndpoint(t) || skipWithoutMailLog(t)) return;
  const email = uniqueEmail();
  const out = await sendCode(cosell.pa, "AWS", email);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.deepEqual(stripMetadata(out), {});
  assert.match(await mailedCode(cosell, email), /^[0-9]{6}$/);
});

test("the Sandbox sends no email and has no daily code quota", async (t) => {
  if (skipWithoutMailLog(t)) return;
  const email = uniqueEmail();
  for (let i = 0; i < 6; i++) await sendCode(cosell.pa, "Sandbox", email);
  assert.deepEqual(codesFor(await readMailLog(cosell), email), [], "no emails are sent from the Sandbox catalog");
});

test("a sixth code for one address in a day is LIMIT_EXCEEDED_NUMBER_OF_EMAIL; the next day it is allowed again", async (t) => {
  if (skipAwsCatalogWriteOnRealEndpoint(t) || skipWithoutClock(t)) return;
  const email = uniqueEmail();
  for (let i = 0; i < 5; i++) await sendCode(cosell.pa, "AWS", email);
  await rejectsWithReason(sendCode(cosell.pa, "AWS", email), "ServiceQuotaExceededException", { reason: "LIMIT_EXCEEDED_NUMBER_OF_EMAIL" });
  // The quota counts per address: another one is unaffected.
  await sendCode(cosell.pa, "AWS", uniqueEmail());
  await cosell.advanceClock("24h1m");
  await sendCode(cosell.pa, "AWS", email);
});

test("before registering, an account has no partners and an unknown partner id is PARTNER_NOT_FOUND", async () => {
  // Only a fresh server promises the account is unregistered.
  if (freshServer) assert.deepEqual(await listPartners(cosell.pb, "Sandbox"), []);
  await rejectsWithReason(getPartner(cosell.pa, "Sandbox", unknownPartnerId), "ResourceNotFoundException", { reason: "PARTNER_NOT_FOUND" });
});

test("CreatePartner in the Sandbox takes any six-digit code and answers the new partner", async () => {
  const { input, out } = await registered(cosell.pa, "Sandbox");
  assert.equal(input.EmailVerificationCode, sandboxCode);
  assert.equal(out.Catalog, "Sandbox");
  assert.match(out.Id, partnerIdPattern);
  assert.equal(out.Arn, partnerArn(cosell.accountA.accountId, "Sandbox", out.Id));
  assert.equal(out.LegalName, input.LegalName);
  assert.ok(out.CreatedAt instanceof Date && !Number.isNaN(out.CreatedAt.getTime()));
  assert.deepEqual(out.AllianceLeadContact, input.AllianceLeadContact);
  assert.equal(out.Profile.PrimarySolutionType, input.PrimarySolutionType);
});

test("GetPartner reads the partner by id and by ARN", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  for (const identifier of [out.Id, out.Arn]) {
    const got = await getPartner(cosell.pa, "Sandbox", identifier);
    assert.equal(got.Id, out.Id);
    assert.equal(got.Arn, out.Arn);
    assert.equal(got.Catalog, "Sandbox");
    assert.equal(got.LegalName, out.LegalName);
    assert.equal(got.CreatedAt.getTime(), out.CreatedAt.getTime());
    assert.equal(got.Profile.PrimarySolutionType, out.Profile.PrimarySolutionType);
  }
});

test("ListPartners shows only the caller's own partner, in the asked catalog", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  const mine = await listPartners(cosell.pa, "Sandbox");
  assert.deepEqual(
    mine.map((p) => ({ Catalog: p.Catalog, Id: p.Id, Arn: p.Arn, LegalName: p.LegalName, CreatedAt: p.CreatedAt.getTime() })),
    [{ Catalog: "Sandbox", Id: out.Id, Arn: out.Arn, LegalName: out.LegalName, CreatedAt: out.CreatedAt.getTime() }],
  );
  assert.ok(!(await listPartners(cosell.pb, "Sandbox")).some((p) => p.Id === out.Id), "B does not see A's partner");
  assert.ok(!(await listPartners(cosell.pa, "AWS")).some((p) => p.Id === out.Id), "a Sandbox partner is not listed in AWS");
});

test("another account cannot read the partner", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  await assert.rejects(getPartner(cosell.pb, "Sandbox", out.Id), (err) => {
    assert.ok(refusedForeign.includes(err.name), `${err.name}: ${err.message}`);
    assert.equal(typeof err.Reason, "string");
    return true;
  });
});

test("a second partner for the account, or another account's legal name, is DUPLICATE_PARTNER", async () => {
  const { input } = await registered(cosell.pa, "Sandbox");
  await rejectsWithReason(createPartner(cosell.pa, "Sandbox"), "ConflictException", { reason: "DUPLICATE_PARTNER" });
  // "Registration will enforce uniqueness based on partner legal name" (semantics.md §7.1).
  await rejectsWithReason(createPartner(cosell.pb, "Sandbox", { legalName: input.LegalName }), "ConflictException", { reason: "DUPLICATE_PARTNER" });
});

test("CreatePartner replayed with its ClientToken answers the same partner; the token with another body is CONFLICT_CLIENT_TOKEN", async () => {
  const { input, out } = await registered(cosell.pa, "Sandbox");
  const again = await cosell.pa.send(new CreatePartnerCommand(input));
  assert.equal(again.Id, out.Id);
  assert.equal(again.Arn, out.Arn);
  await rejectsWithReason(
    cosell.pa.send(new CreatePartnerCommand({ ...input, LegalName: `${input.LegalName} Changed` })),
    "ConflictException",
    { reason: "CONFLICT_CLIENT_TOKEN" },
  );
  assert.equal((await listPartners(cosell.pa, "Sandbox")).length, 1);
});

test("GetAllianceLeadContact answers the registered lead; PutAllianceLeadContact replaces it", async () => {
  const { input, out } = await registered(cosell.pa, "Sandbox");
  const got = await cosell.pa.send(new GetAllianceLeadContactCommand({ Catalog: "Sandbox", Identifier: out.Id }));
  assert.equal(got.Id, out.Id);
  assert.equal(got.Arn, out.Arn);
  assert.equal(got.Catalog, "Sandbox");
  assert.deepEqual(got.AllianceLeadContact, input.AllianceLeadContact);

  const next = { ...allianceLead(), FirstName: "Sam", BusinessTitle: "Head of Alliances" };
  const put = await cosell.pa.send(
    new PutAllianceLeadContactCommand({ Catalog: "Sandbox", Identifier: out.Arn, AllianceLeadContact: next, EmailVerificationCode: sandboxCode }),
  );
  assert.equal(put.Id, out.Id);
  assert.deepEqual(put.AllianceLeadContact, next);
  const reread = await cosell.pa.send(new GetAllianceLeadContactCommand({ Catalog: "Sandbox", Identifier: out.Id }));
  assert.deepEqual(reread.AllianceLeadContact, next);
});

test("alliance lead operations on an unknown or foreign partner are refused", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  await rejectsWithReason(cosell.pa.send(new GetAllianceLeadContactCommand({ Catalog: "Sandbox", Identifier: unknownPartnerId })), "ResourceNotFoundException", {
    reason: "PARTNER_NOT_FOUND",
  });
  await rejectsWithReason(
    cosell.pa.send(new PutAllianceLeadContactCommand({ Catalog: "Sandbox", Identifier: unknownPartnerId, AllianceLeadContact: allianceLead(), EmailVerificationCode: sandboxCode })),
    "ResourceNotFoundException",
    { reason: "PARTNER_NOT_FOUND" },
  );
  await assert.rejects(cosell.pb.send(new GetAllianceLeadContactCommand({ Catalog: "Sandbox", Identifier: out.Id })), (err) => {
    assert.ok(refusedForeign.includes(err.name), `${err.name}: ${err.message}`);
    return true;
  });
});

test("a training email domain is associated (any code in the Sandbox), shown on the partner, and disassociated", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  const email = uniqueEmail("training");
  const domain = domainOf(email);
  const assoc = await cosell.pa.send(
    new AssociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "Sandbox", Identifier: out.Id, ClientToken: clientToken(), Email: email, EmailVerificationCode: "654321" }),
  );
  assert.deepEqual(stripMetadata(assoc), {});
  const withDomain = (await getPartner(cosell.pa, "Sandbox", out.Id)).AwsTrainingCertificationEmailDomains ?? [];
  const entry = withDomain.find((d) => d.DomainName === domain);
  assert.ok(entry, `GetPartner lists ${domain}: ${JSON.stringify(withDomain)}`);
  assert.ok(entry.RegisteredAt instanceof Date);

  await cosell.pa.send(new DisassociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "Sandbox", Identifier: out.Id, ClientToken: clientToken(), DomainName: domain }));
  const after = (await getPartner(cosell.pa, "Sandbox", out.Id)).AwsTrainingCertificationEmailDomains ?? [];
  assert.ok(!after.some((d) => d.DomainName === domain), `${domain} is gone: ${JSON.stringify(after)}`);
});

test("disassociating a domain the partner does not have is PARTNER_DOMAIN_NOT_FOUND", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  await rejectsWithReason(
    cosell.pa.send(
      new DisassociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "Sandbox", Identifier: out.Id, ClientToken: clientToken(), DomainName: `never-${uniqueSuffix()}.example.com` }),
    ),
    "ResourceNotFoundException",
    { reason: "PARTNER_DOMAIN_NOT_FOUND" },
  );
});

test("a partner holds at most 50 training email domains: the 51st is LIMIT_EXCEEDED_NUMBER_OF_DOMAIN", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  const associate = (email) =>
    cosell.pa.send(
      new AssociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "Sandbox", Identifier: out.Id, ClientToken: clientToken(), Email: email, EmailVerificationCode: sandboxCode }),
    );
  const held = (await getPartner(cosell.pa, "Sandbox", out.Id)).AwsTrainingCertificationEmailDomains ?? [];
  const added = [];
  for (let i = held.length; i < 50; i++) {
    const email = uniqueEmail("quota");
    await associate(email);
    added.push(domainOf(email));
  }
  await rejectsWithReason(associate(uniqueEmail("quota")), "ServiceQuotaExceededException", { reason: "LIMIT_EXCEEDED_NUMBER_OF_DOMAIN" });
  assert.equal(((await getPartner(cosell.pa, "Sandbox", out.Id)).AwsTrainingCertificationEmailDomains ?? []).length, 50);
  for (const domain of added) {
    await cosell.pa.send(new DisassociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "Sandbox", Identifier: out.Id, ClientToken: clientToken(), DomainName: domain }));
  }
});

test("catalog AWS: registration takes the mailed code, refuses a wrong one, and keeps tags given at creation", async (t) => {
  if (skipAwsCatalogWriteOnRealEndpoint(t) || skipWithoutMailLog(t)) return;
  const legalName = await verifyAccount(cosell, cosell.pa);
  const email = uniqueEmail();
  await sendCode(cosell.pa, "AWS", email);
  const code = await mailedCode(cosell, email);
  // Which exception a wrong code raises: NOT FOUND in semantics.md; a ValidationException with a Reason is assumed.
  await rejectsWithReason(createPartner(cosell.pa, "AWS", { legalName, email, code: otherThan(code) }), "ValidationException", { reason: validationReasons });

  const tags = [{ Key: "crm", Value: "salesforce" }];
  const out = await createPartner(cosell.pa, "AWS", { legalName, email, code, Tags: tags });
  assert.match(out.Id, partnerIdPattern);
  assert.equal(out.Arn, partnerArn(cosell.accountA.accountId, "AWS", out.Id));
  assert.equal(out.AllianceLeadContact.Email, email);
  assert.deepEqual(await tagsOf(out.Arn), tags);
  assert.deepEqual((await listPartners(cosell.pa, "AWS")).map((p) => p.Id), [out.Id]);

  // Changing the lead's email in AWS is verified with a code mailed to the new address.
  const newEmail = uniqueEmail();
  await sendCode(cosell.pa, "AWS", newEmail);
  const newCode = await mailedCode(cosell, newEmail);
  const lead = allianceLead(newEmail);
  await rejectsWithReason(
    cosell.pa.send(new PutAllianceLeadContactCommand({ Catalog: "AWS", Identifier: out.Id, AllianceLeadContact: lead, EmailVerificationCode: otherThan(newCode) })),
    "ValidationException",
    { reason: validationReasons },
  );
  const put = await cosell.pa.send(new PutAllianceLeadContactCommand({ Catalog: "AWS", Identifier: out.Id, AllianceLeadContact: lead, EmailVerificationCode: newCode }));
  assert.deepEqual(put.AllianceLeadContact, lead);

  // A training domain in AWS is verified the same way.
  const trainee = uniqueEmail("training");
  await sendCode(cosell.pa, "AWS", trainee);
  const traineeCode = await mailedCode(cosell, trainee);
  const associate = (code) =>
    cosell.pa.send(new AssociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "AWS", Identifier: out.Id, ClientToken: clientToken(), Email: trainee, EmailVerificationCode: code }));
  await rejectsWithReason(associate(otherThan(traineeCode)), "ValidationException", { reason: validationReasons });
  await associate(traineeCode);
  const domains = (await getPartner(cosell.pa, "AWS", out.Id)).AwsTrainingCertificationEmailDomains ?? [];
  assert.deepEqual(domains.map((d) => d.DomainName), [domainOf(trainee)]);
});

test("TagResource adds and overwrites, UntagResource removes, ListTagsForResource shows the partner's tags", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  assert.deepEqual(await tagsOf(out.Arn), []);
  const tagged = await cosell.pa.send(new TagResourceCommand({ ResourceArn: out.Arn, Tags: [{ Key: "Environment", Value: "Test" }, { Key: "Team", Value: "Alliances" }] }));
  assert.equal(tagged.$metadata.httpStatusCode, 200);
  await cosell.pa.send(new TagResourceCommand({ ResourceArn: out.Arn, Tags: [{ Key: "Environment", Value: "Production" }] }));
  const listed = await cosell.pa.send(new ListTagsForResourceCommand({ ResourceArn: out.Arn }));
  assert.equal(listed.ResourceArn, out.Arn);
  assert.deepEqual(byKey(listed.Tags), [
    { Key: "Environment", Value: "Production" },
    { Key: "Team", Value: "Alliances" },
  ]);
  await cosell.pa.send(new UntagResourceCommand({ ResourceArn: out.Arn, TagKeys: ["Team", "NotThere"] }));
  assert.deepEqual(await tagsOf(out.Arn), [{ Key: "Environment", Value: "Production" }]);
});

test("another account's partner ARN is refused by every tag operation", async () => {
  const { out } = await registered(cosell.pa, "Sandbox");
  await registered(cosell.pb, "Sandbox");
  for (const command of [
    new TagResourceCommand({ ResourceArn: out.Arn, Tags: [{ Key: "k", Value: "v" }] }),
    new UntagResourceCommand({ ResourceArn: out.Arn, TagKeys: ["Environment"] }),
    new ListTagsForResourceCommand({ ResourceArn: out.Arn }),
  ]) {
    await assert.rejects(cosell.pb.send(command), (err) => {
      assert.ok(refusedForeign.includes(err.name), `${command.constructor.name}: ${err.name}: ${err.message}`);
      assert.equal(typeof err.Reason, "string", "Account API exceptions carry a Reason");
      return true;
    });
  }
  assert.ok(!(await tagsOf(out.Arn)).some((tag) => tag.Key === "k"));
});

test("a partner ARN naming no partner is ResourceNotFoundException", async () => {
  // Which Reason: NOT FOUND in semantics.md; only that there is one is asserted.
  await rejectsWithReason(
    cosell.pa.send(new ListTagsForResourceCommand({ ResourceArn: partnerArn(cosell.accountA.accountId, "Sandbox", unknownPartnerId) })),
    "ResourceNotFoundException",
  );
});
