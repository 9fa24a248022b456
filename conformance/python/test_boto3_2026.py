"""boto3 speaking the 2026-08 models (AWS_DATA_PATH=../shared/spec/botocore,
set by scripts/test.sh) against cosell: the operations and shapes the JS
Account client 3.1086.0 predates — qualifications association, profile
quotas, Headquarters — and the Selling prospecting tasks through a second
client. Skipped when the machine's botocore does not know them.
"""
import time
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from cosell_server import ACCOUNT_A, ACCOUNT_B, Server


def client(service, endpoint, credentials):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["aws_access_key_id"],
        aws_secret_access_key=credentials["aws_secret_access_key"],
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def knows(service, operation):
    return operation in boto3.client(service, region_name="us-east-1").meta.service_model.operation_names


def poll(read, done, timeout_s=30):
    deadline = time.monotonic() + timeout_s
    while True:
        out = read()
        if done(out) or time.monotonic() > deadline:
            return out
        time.sleep(0.5)


def partner(account_client):
    """The caller's Sandbox partner id, registering it if needed."""
    listed = account_client.list_partners(Catalog="Sandbox")["PartnerSummaryList"]
    if listed:
        return listed[0]["Id"]
    suffix = uuid.uuid4().hex[:8]
    return account_client.create_partner(
        Catalog="Sandbox",
        ClientToken=str(uuid.uuid4()),
        LegalName=f"Example Partner {suffix}",
        PrimarySolutionType="SOFTWARE_PRODUCTS",
        AllianceLeadContact={"FirstName": "Jordan", "LastName": "Rivera", "BusinessTitle": "Alliance Lead", "Email": f"lead.{suffix}@{suffix}.example.com"},
        EmailVerificationCode="123456",
    )["Id"]


def business_codes(err):
    return [d.get("BusinessValidationError", {}).get("Code") for d in err.response.get("ErrorDetails", [])]


@unittest.skipUnless(knows("partnercentral-account", "StartQualificationsAssociationTask"), "botocore without the 2026-07 Account model (set AWS_DATA_PATH)")
class AccountModel2026(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.a = client("partnercentral-account", cls.server.endpoint, ACCOUNT_A)
        cls.b = client("partnercentral-account", cls.server.endpoint, ACCOUNT_B)
        cls.partner_a, cls.partner_b = partner(cls.a), partner(cls.b)

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def test_qualifications_association_needs_a_subsidiary_connection_and_runs_as_a_task(self):
        primary = {"AccountId": ACCOUNT_B["account_id"]}
        with self.assertRaises(ClientError) as caught:
            self.a.start_qualifications_association_task(Catalog="Sandbox", Identifier=self.partner_a, PrimaryPartner=primary)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")
        self.assertEqual(business_codes(caught.exception), ["MISSING_ACTIVE_SUBSIDIARY_CONNECTION"])
        with self.assertRaises(ClientError) as caught:
            self.a.get_qualifications_association_task(Catalog="Sandbox", Identifier=self.partner_a)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(caught.exception.response["Reason"], "QUALIFICATIONS_ASSOCIATION_TASK_NOT_FOUND")

        invitation = self.b.create_connection_invitation(
            Catalog="Sandbox", ClientToken=str(uuid.uuid4()), ConnectionType="SUBSIDIARY", ReceiverIdentifier=ACCOUNT_A["account_id"],
            Email="alliances@example.com", Name="Alex Morgan", Message="Join the group.",
        )
        self.a.accept_connection_invitation(Catalog="Sandbox", Identifier=invitation["Id"], ClientToken=str(uuid.uuid4()))

        token = str(uuid.uuid4())
        started = self.a.start_qualifications_association_task(Catalog="Sandbox", Identifier=self.partner_a, PrimaryPartner=primary, ClientToken=token)
        self.assertEqual(started["Status"], "IN_PROGRESS")
        self.assertRegex(started["TaskId"], r"^pqatask-[a-z2-7]{13}$")
        self.assertEqual(started["PrimaryPartner"]["AccountId"], ACCOUNT_B["account_id"])
        self.assertRegex(started["PrimaryPartner"]["ProfileId"], r"^pprofile-")
        again = self.a.start_qualifications_association_task(Catalog="Sandbox", Identifier=self.partner_a, PrimaryPartner=primary, ClientToken=token)
        self.assertEqual(again["TaskId"], started["TaskId"])
        with self.assertRaises(ClientError) as caught:
            self.a.start_qualifications_association_task(Catalog="Sandbox", Identifier=self.partner_a, PrimaryPartner=primary)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ConflictException")
        self.assertEqual(caught.exception.response["Reason"], "INCOMPATIBLE_QUALIFICATIONS_ASSOCIATION_TASK_STATE")

        task = poll(lambda: self.a.get_qualifications_association_task(Catalog="Sandbox", Identifier=self.partner_a), lambda t: t["Status"] == "SUCCEEDED")
        self.assertEqual(task["Status"], "SUCCEEDED")
        self.assertIn("EndedAt", task)
        for side, me in ((self.a, self.partner_a), (self.b, self.partner_b)):
            details = side.get_qualifications_association_details(Catalog="Sandbox", Identifier=me)
            self.assertEqual(details["Status"], "ASSOCIATED")
            self.assertEqual(details["PrimaryPartner"]["AccountId"], ACCOUNT_B["account_id"])
            self.assertEqual([p["AccountId"] for p in details["AssociatedPartners"]], [ACCOUNT_A["account_id"]])

        with self.assertRaises(ClientError) as caught:
            self.b.start_qualifications_disassociation_task(Catalog="Sandbox", Identifier=self.partner_b, AssociatedPartner=primary)
        self.assertEqual(business_codes(caught.exception), ["INCOMPATIBLE_PRIMARY_PARTNER"])
        left = self.a.start_qualifications_disassociation_task(Catalog="Sandbox", Identifier=self.partner_a, AssociatedPartner=primary)
        self.assertRegex(left["TaskId"], r"^pqdtask-[a-z2-7]{13}$")
        poll(lambda: self.a.get_qualifications_disassociation_task(Catalog="Sandbox", Identifier=self.partner_a), lambda t: t["Status"] == "SUCCEEDED")
        details = self.a.get_qualifications_association_details(Catalog="Sandbox", Identifier=self.partner_a)
        self.assertEqual(details["Status"], "NOT_ASSOCIATED")
        self.assertNotIn("PrimaryPartner", details)

    def test_visibility_changes_have_a_daily_quota(self):
        for _ in range(5):
            self.b.put_profile_visibility(Catalog="Sandbox", Identifier=self.partner_b, Visibility="PUBLIC")
        with self.assertRaises(ClientError) as caught:
            self.b.put_profile_visibility(Catalog="Sandbox", Identifier=self.partner_b, Visibility="PRIVATE")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ServiceQuotaExceededException")
        self.assertEqual(caught.exception.response["Reason"], "LIMIT_EXCEEDED_NUMBER_OF_PROFILE_VISIBILITY_UPDATE_PER_DAY")

    def test_headquarters_in_a_profile_update(self):
        details = {
            "DisplayName": "Example Profile", "Description": "Cloud migration partner.", "WebsiteUrl": "https://www.example.com",
            "LogoUrl": "https://www.example.com/logo.png", "PrimarySolutionType": "CONSULTING_SERVICES", "IndustrySegments": ["HEALTHCARE"],
            "TranslationSourceLocale": "en-US",
        }
        with self.assertRaises(ClientError) as caught:
            self.a.start_profile_update_task(Catalog="Sandbox", Identifier=self.partner_a, ClientToken=str(uuid.uuid4()),
                                             TaskDetails={**details, "Headquarters": {"CountryCode": "br", "SubdivisionCode": "SP"}})
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")
        started = self.a.start_profile_update_task(Catalog="Sandbox", Identifier=self.partner_a, ClientToken=str(uuid.uuid4()),
                                                   TaskDetails={**details, "Headquarters": {"CountryCode": "BR", "SubdivisionCode": "SP"}})
        self.assertEqual(started["TaskDetails"]["Headquarters"], {"CountryCode": "BR", "SubdivisionCode": "SP"})


@unittest.skipUnless(knows("partnercentral-selling", "StartProspectingFromEngagementTask"), "botocore without the 2026-06 Selling model (set AWS_DATA_PATH)")
class SellingModel2026(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.selling = client("partnercentral-selling", cls.server.endpoint, ACCOUNT_A)

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def test_prospecting_task_enriches_a_lead(self):
        # The 2026-08 lead: free-text industry and segment, no address, no source.
        engagement = self.selling.create_engagement(
            Catalog="Sandbox", ClientToken=str(uuid.uuid4()),
            Contexts=[{"Type": "Lead", "Payload": {"Lead": {
                "Customer": {"CompanyName": "Boto Prospect Ltd", "Industry": "Quantum widgets", "MarketSegment": "Scale-up"},
                "Interactions": [{"Contact": {"BusinessTitle": "CTO", "Email": "cto at example", "FirstName": "Ada", "LastName": "Byron"}}],
            }}}],
        )["Id"]
        token = str(uuid.uuid4())
        started = self.selling.start_prospecting_from_engagement_task(Catalog="Sandbox", Identifiers=[engagement], TaskName="boto batch", ClientToken=token)
        self.assertEqual(started["TaskStatus"], "PENDING")
        self.assertRegex(started["TaskId"], r"^task-[0-9a-z]{14}$")
        self.assertRegex(started["TaskArn"], r"^arn:aws:partnercentral-selling:us-east-1::catalog/Sandbox/prospecting-from-engagement-task/task-")
        task = poll(lambda: self.selling.get_prospecting_from_engagement_task(Catalog="Sandbox", TaskIdentifier=started["TaskId"]), lambda t: "EndTime" in t)
        result = task["Engagements"][0]
        self.assertEqual(result["Status"], "COMPLETED")
        contexts = self.selling.get_engagement(Catalog="Sandbox", Identifier=engagement)["Contexts"]
        prospecting = next(c for c in contexts if c["Id"] == result["EngagementContextId"])
        self.assertEqual(prospecting["Type"], "ProspectingResult")
        self.assertEqual(prospecting["Payload"]["ProspectingResult"]["Aws"]["Customer"]["AccountName"], "Boto Prospect Ltd")
        listed = self.selling.list_prospecting_from_engagement_tasks(Catalog="Sandbox", TaskName=["boto batch"])["TaskSummaries"]
        self.assertEqual([(t["TaskId"], t["CompletedEngagementCount"], t["FailedEngagementCount"]) for t in listed], [(started["TaskId"], 1, 0)])
