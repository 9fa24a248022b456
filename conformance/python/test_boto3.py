"""boto3 and the aws CLI, a second independent client, against cosell.

botocore signs only content-type;host;x-amz-date;x-amz-target and sends no
body hash, unlike the JS SDK; these tests prove the server verifies that
signature too (run: python3 -m unittest discover -s conformance/python).
"""
import datetime
import json
import os
import shutil
import subprocess
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from cosell_server import ACCOUNT_A, Server


def selling_client(endpoint, credentials=ACCOUNT_A):
    return boto3.client(
        "partnercentral-selling",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["aws_access_key_id"],
        aws_secret_access_key=credentials["aws_secret_access_key"],
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def opportunity(company):
    close = (datetime.date.today() + datetime.timedelta(days=120)).isoformat()
    return {
        "Catalog": "Sandbox",
        "ClientToken": str(uuid.uuid4()),
        "Origin": "Partner Referral",
        "OpportunityType": "Net New Business",
        "PrimaryNeedsFromAws": ["Co-Sell - Technical Consultation"],
        "Customer": {
            "Account": {
                "CompanyName": company,
                "Industry": "Healthcare",
                "WebsiteUrl": "https://www.example.com",
                "Address": {"CountryCode": "US", "PostalCode": "02110", "StateOrRegion": "Massachusetts", "City": "Boston"},
            }
        },
        "Project": {
            "Title": "Imaging archive",
            "CustomerBusinessProblem": "Medical images outgrow the on-premises archive every year.",
            "CustomerUseCase": "Storage & Backup",
            "DeliveryModels": ["Professional Services"],
            "ExpectedCustomerSpend": [{"Amount": "4000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}],
            "SalesActivities": ["Initialized discussions with customer"],
        },
        "LifeCycle": {"Stage": "Prospect", "TargetCloseDate": close},
    }


class Boto3Conformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.client = selling_client(cls.server.endpoint)
        cls.signed_headers = []
        cls.client.meta.events.register("before-send", cls._record_signed_headers)

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    @classmethod
    def _record_signed_headers(cls, request, **_):
        auth = request.headers.get("Authorization")
        auth = auth.decode() if isinstance(auth, bytes) else auth
        cls.signed_headers.append(auth.split("SignedHeaders=")[1].split(",")[0])

    def test_botocore_signs_the_cli_header_set_and_is_accepted(self):
        # A ValidationException (not a signature error) proves the server verified
        # a signature over exactly the headers botocore listed.
        with self.assertRaises(ClientError) as invalid:
            self.client.list_opportunities(Catalog="Sandbox", Sort={"SortBy": "Popularity", "SortOrder": "ASCENDING"})
        self.assertEqual(self.signed_headers[-1], "content-type;host;x-amz-date;x-amz-target")
        error = invalid.exception.response
        self.assertEqual(error["Error"]["Code"], "ValidationException")
        self.assertEqual(error["Reason"], "REQUEST_VALIDATION_FAILED")
        self.assertTrue(any("sortby" in e.get("FieldName", "").lower() for e in error["ErrorList"]), error["ErrorList"])
        self.assertTrue(error["ResponseMetadata"]["RequestId"])

    def test_list_opportunities(self):
        out = self.client.list_opportunities(Catalog="Sandbox", MaxResults=5)
        self.assertIsInstance(out["OpportunitySummaries"], list)

    def test_create_then_get_round_trips(self):
        body = opportunity(f"Boto Health {uuid.uuid4().hex[:8]}")
        created = self.client.create_opportunity(**body)
        self.assertRegex(created["Id"], r"^O\d+$")
        self.assertIsInstance(created["LastModifiedDate"], datetime.datetime)
        got = self.client.get_opportunity(Catalog="Sandbox", Identifier=created["Id"])
        self.assertEqual(got["Customer"]["Account"]["CompanyName"], body["Customer"]["Account"]["CompanyName"])
        self.assertEqual(got["LifeCycle"]["ReviewStatus"], "Pending Submission")
        self.assertEqual(got["LastModifiedDate"], created["LastModifiedDate"])

    def test_unknown_opportunity_is_resource_not_found(self):
        with self.assertRaises(ClientError) as missing:
            self.client.get_opportunity(Catalog="Sandbox", Identifier="O9999999999999999")
        self.assertEqual(missing.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_wrong_secret_is_invalid_signature(self):
        wrong = dict(ACCOUNT_A, aws_secret_access_key=ACCOUNT_A["aws_secret_access_key"] + "-wrong")
        with self.assertRaises(ClientError) as err:
            selling_client(self.server.endpoint, wrong).list_opportunities(Catalog="Sandbox")
        self.assertEqual(err.exception.response["Error"]["Code"], "InvalidSignatureException")

    @unittest.skipIf(shutil.which("aws") is None, "the aws CLI is not installed")
    def test_aws_cli_lists_opportunities(self):
        env = dict(
            os.environ,
            AWS_ACCESS_KEY_ID=ACCOUNT_A["aws_access_key_id"],
            AWS_SECRET_ACCESS_KEY=ACCOUNT_A["aws_secret_access_key"],
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        )
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        run = subprocess.run(
            ["aws", "partnercentral-selling", "list-opportunities", "--catalog", "Sandbox",
             "--endpoint-url", self.server.endpoint, "--output", "json"],
            env=env, capture_output=True, text=True, timeout=120,
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIsInstance(json.loads(run.stdout)["OpportunitySummaries"], list)


if __name__ == "__main__":
    unittest.main()
