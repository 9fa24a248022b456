// Account API request validation: a missing required member, a value outside
// its enum, or one breaking its pattern comes back as ValidationException with
// Reason REQUEST_VALIDATION_FAILED and a FieldValidationError naming the
// member (semantics.md §5.1). The SDK sends whatever it is given, so each case
// reaches the server exactly as written. Field names are matched without case,
// since AWS's spelling of nested names is NOT FOUND.
import { test } from "node:test";
import {
  CreatePartnerCommand,
  GetPartnerCommand,
  ListPartnersCommand,
  GetVerificationCommand,
  SendEmailVerificationCodeCommand,
  PutProfileVisibilityCommand,
  StartProfileUpdateTaskCommand,
  CancelProfileUpdateTaskCommand,
  CreateConnectionInvitationCommand,
  ListConnectionInvitationsCommand,
  AcceptConnectionInvitationCommand,
  GetConnectionCommand,
  CancelConnectionCommand,
  UpdateConnectionPreferencesCommand,
  GetAllianceLeadContactCommand,
  DisassociateAwsTrainingCertificationEmailDomainCommand,
  AssociateAwsTrainingCertificationEmailDomainCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-partnercentral-account";
import { clientToken } from "../lib/fixtures.mjs";
import { useAccountApi, partnerInput, profileDetails, invitationInput, partnerArn, rejectsAsInvalid } from "../lib/account.mjs";

const cosell = useAccountApi();

const partnerId = "partner-0000000000000";
const without = (input, member) => {
  const copy = { ...input };
  delete copy[member];
  return copy;
};
const formatCodes = ["INVALID_STRING_FORMAT", "INVALID_VALUE"];

/** One subtest per [command, field] case, so a report names every case that fails. */
async function eachCase(t, cases, code) {
  for (const [command, field] of cases) {
    await t.test(`${command.constructor.name.replace(/Command$/, "")} ${field.source}`, () => rejectsAsInvalid(cosell.pa.send(command), field, code));
  }
}

test("a missing required member is REQUIRED_FIELD_MISSING naming it", async (t) => {
  const cases = [
    [new CreatePartnerCommand(without(partnerInput("Sandbox"), "LegalName")), /legalname/i],
    [new CreatePartnerCommand(without(partnerInput("Sandbox"), "AllianceLeadContact")), /alliancelead/i],
    [new CreatePartnerCommand(without(partnerInput("Sandbox"), "EmailVerificationCode")), /emailverificationcode/i],
    [new GetPartnerCommand({ Catalog: "Sandbox" }), /identifier/i],
    [new ListPartnersCommand({}), /catalog/i],
    [new GetVerificationCommand({}), /verificationtype/i],
    [new SendEmailVerificationCodeCommand({ Catalog: "Sandbox" }), /email/i],
    [new GetAllianceLeadContactCommand({ Identifier: partnerId }), /catalog/i],
    [new StartProfileUpdateTaskCommand({ Catalog: "Sandbox", Identifier: partnerId, ClientToken: clientToken() }), /taskdetails/i],
    [new CreateConnectionInvitationCommand(without(invitationInput("Sandbox", "pprofile-0000000000000"), "ReceiverIdentifier")), /receiveridentifier/i],
    [new GetConnectionCommand({ Catalog: "Sandbox" }), /identifier/i],
    [new CancelConnectionCommand({ Catalog: "Sandbox", Identifier: "pac-0000000000000", ConnectionType: "OPPORTUNITY_COLLABORATION", ClientToken: clientToken() }), /reason/i],
    [new UpdateConnectionPreferencesCommand({ Catalog: "Sandbox", AccessType: "ALLOW_ALL" }), /revision/i],
    [new DisassociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "Sandbox", Identifier: partnerId, ClientToken: clientToken() }), /domainname/i],
    [new UntagResourceCommand({ ResourceArn: partnerArn(cosell.accountA.accountId, "Sandbox", partnerId) }), /tagkeys/i],
  ];
  await eachCase(t, cases, "REQUIRED_FIELD_MISSING");
});

test("a value outside its enum is INVALID_ENUM_VALUE naming the member", async (t) => {
  const cases = [
    [new CreatePartnerCommand(partnerInput("Sandbox", { PrimarySolutionType: "ROBOTS" })), /primarysolutiontype/i],
    [new GetVerificationCommand({ VerificationType: "EMAIL_VERIFICATION" }), /verificationtype/i],
    [new PutProfileVisibilityCommand({ Catalog: "Sandbox", Identifier: partnerId, Visibility: "SECRET" }), /visibility/i],
    [new StartProfileUpdateTaskCommand({ Catalog: "Sandbox", Identifier: partnerId, ClientToken: clientToken(), TaskDetails: profileDetails({ IndustrySegments: ["SPACE"] }) }), /industrysegments/i],
    [new CreateConnectionInvitationCommand(invitationInput("Sandbox", "pprofile-0000000000000", { type: "FRIENDS" })), /connectiontype/i],
    [new ListConnectionInvitationsCommand({ Catalog: "Sandbox", Status: "MAYBE" }), /status/i],
    [new ListConnectionInvitationsCommand({ Catalog: "Sandbox", ParticipantType: "OBSERVER" }), /participanttype/i],
    [new UpdateConnectionPreferencesCommand({ Catalog: "Sandbox", Revision: 1, AccessType: "SOMETIMES" }), /accesstype/i],
    [new CancelConnectionCommand({ Catalog: "Sandbox", Identifier: "pac-0000000000000", ConnectionType: "RIVALRY", Reason: "x", ClientToken: clientToken() }), /connectiontype/i],
  ];
  await eachCase(t, cases, "INVALID_ENUM_VALUE");
});

test("identifiers, codes, emails and ARNs outside their patterns are refused naming the member", async (t) => {
  // Which of the two codes AWS uses for a pattern mismatch: NOT FOUND in semantics.md.
  const cases = [
    [new GetPartnerCommand({ Catalog: "Sandbox", Identifier: "partner-1" }), /identifier/i],
    [new AcceptConnectionInvitationCommand({ Catalog: "Sandbox", Identifier: "inv-1", ClientToken: clientToken() }), /identifier/i],
    [new CancelProfileUpdateTaskCommand({ Catalog: "Sandbox", Identifier: partnerId, ClientToken: clientToken(), TaskId: "task-1" }), /taskid/i],
    [new CreatePartnerCommand(partnerInput("Sandbox", { code: "12ab56" })), /emailverificationcode/i],
    [new SendEmailVerificationCodeCommand({ Catalog: "Sandbox", Email: "not-an-email" }), /email/i],
    [
      new AssociateAwsTrainingCertificationEmailDomainCommand({ Catalog: "Sandbox", Identifier: partnerId, ClientToken: clientToken(), Email: "a@example.com", EmailVerificationCode: "12345" }),
      /emailverificationcode/i,
    ],
    [new ListTagsForResourceCommand({ ResourceArn: "arn:aws:s3:::bucket" }), /resourcearn/i],
  ];
  await eachCase(t, cases, formatCodes);
});

test("a tag key longer than 128 characters is refused naming Tags", async () => {
  // The Account model's tag list has no minimum (unlike the Selling one), so an empty list is not an error;
  // the code for an over-long key is NOT FOUND in semantics.md.
  const arn = partnerArn(cosell.accountA.accountId, "Sandbox", partnerId);
  await rejectsAsInvalid(cosell.pa.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "k".repeat(129), Value: "v" }] })), /tags|key/i);
});

test("validation comes before lookups: an invalid request about an unknown partner is a ValidationException", async () => {
  await rejectsAsInvalid(cosell.pa.send(new PutProfileVisibilityCommand({ Catalog: "Sandbox", Identifier: partnerId, Visibility: "HIDDEN" })), /visibility/i);
});
