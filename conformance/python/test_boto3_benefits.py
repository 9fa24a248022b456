"""The Benefits API's main flow with boto3, the partner's SDK, while cosell's
admin API plays AWS: apply, submit, AWS asks for action, the partner fixes
and resubmits, AWS approves with an allocation, the allocation expires on
the server clock; every step's event arrives on the account's SQS queue.

boto3 speaks the newest Benefits model through AWS_DATA_PATH (the botocore
models under ../shared/spec/botocore, or COSELL_BOTOCORE_MODELS). AWS has no
admin API, so against an external endpoint the flow is skipped.
"""
import json
import os
import time
import unittest
import urllib.request
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from cosell_server import ACCOUNT_A, REPO_ROOT, Server

MODELS = os.environ.get("COSELL_BOTOCORE_MODELS") or os.path.abspath(os.path.join(REPO_ROOT, "..", "shared", "spec", "botocore"))
QUEUE = "cosell-partnercentral-events"


def session():
    # The data path is read when a session's loader is made, so a fresh
    # session after setting it speaks the newest models.
    if os.path.isdir(os.path.join(MODELS, "partnercentral-benefits")):
        os.environ["AWS_DATA_PATH"] = MODELS
    return boto3.session.Session(
        aws_access_key_id=ACCOUNT_A["aws_access_key_id"],
        aws_secret_access_key=ACCOUNT_A["aws_secret_access_key"],
        region_name="us-east-1",
    )


@unittest.skipIf(os.environ.get("COSELL_ENDPOINT"), "needs cosell's admin API (AWS's side and the clock)")
class BenefitsFlow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(admin_token="tok").__enter__()
        s = session()
        config = Config(retries={"max_attempts": 1, "mode": "standard"})
        cls.benefits = s.client("partnercentral-benefits", endpoint_url=cls.server.endpoint, config=config)
        cls.sqs = s.client("sqs", endpoint_url=cls.server.endpoint, config=config)
        cls.queue = cls.sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def admin(self, method, path, body=None):
        req = urllib.request.Request(
            self.server.endpoint + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": "Bearer tok", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as res:
            return json.loads(res.read())

    def review(self, app_id, body):
        return self.admin("POST", f"/_cosell/aws/benefits/applications/Sandbox/{ACCOUNT_A['account_id']}/{app_id}/review", body)

    def events_about(self, ids, count):
        """Receives from the queue until count Benefits events about ids arrived; deletes what it reads."""
        found = []
        for _ in range(30):
            out = self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for m in out.get("Messages", []):
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=m["ReceiptHandle"])
                event = json.loads(m["Body"])
                if event["source"] == "aws.partnercentral-benefits" and any(i in json.dumps(event["detail"]) for i in ids):
                    found.append(event)
            if len(found) >= count:
                return found
        self.fail(f"{len(found)} of {count} Benefits events arrived: {[e['detail-type'] for e in found]}")

    def test_apply_review_fix_approve_allocate_expire(self):
        b = self.benefits
        poc = b.list_benefits(Catalog="Sandbox", Programs=["POC"], Status=["ACTIVE"])["BenefitSummaries"][0]["Id"]
        schema = b.get_benefit(Catalog="Sandbox", Identifier=poc)["BenefitRequestSchema"]
        self.assertIn("AccountId", schema["required"])

        created = b.create_benefit_application(
            Catalog="Sandbox", ClientToken=str(uuid.uuid4()), BenefitIdentifier=poc, Name="boto3 POC",
            BenefitApplicationDetails={"AccountId": "123456789012", "CustomerName": "Boto Corp", "UseCase": "Prove the platform on real data.", "RequestedAmount": 3000},
        )
        app_id = created["Id"]
        b.submit_benefit_application(Catalog="Sandbox", Identifier=app_id)
        self.review(app_id, {"decision": "ACTION_REQUIRED", "reason": "Use the POC account", "reasonCodes": ["Checklist Incomplete"]})
        held = b.get_benefit_application(Catalog="Sandbox", Identifier=app_id)
        self.assertEqual(held["Status"], "ACTION_REQUIRED")
        self.assertEqual(held["StatusReasonCodes"], ["Checklist Incomplete"])

        # A stale revision is a conflict; the current one amends.
        with self.assertRaises(ClientError) as stale:
            b.amend_benefit_application(Catalog="Sandbox", ClientToken=str(uuid.uuid4()), Identifier=app_id, Revision=created["Revision"],
                                        AmendmentReason="fix", Amendments=[{"FieldPath": "$.AccountId", "NewValue": "210987654321"}])
        self.assertEqual(stale.exception.response["Error"]["Code"], "ConflictException")
        b.amend_benefit_application(Catalog="Sandbox", ClientToken=str(uuid.uuid4()), Identifier=app_id, Revision=held["Revision"],
                                    AmendmentReason="Reviewer request", Amendments=[{"FieldPath": "$.AccountId", "NewValue": "210987654321"}])
        b.submit_benefit_application(Catalog="Sandbox", Identifier=app_id)

        approved = self.review(app_id, {"decision": "APPROVED", "allocations": [{"amount": {"Amount": "3000", "CurrencyCode": "USD"}}]})
        alloc_id = approved["allocations"][0]
        alloc = b.get_benefit_allocation(Catalog="Sandbox", Identifier=alloc_id)
        self.assertEqual(alloc["Status"], "ACTIVE")
        self.assertEqual(alloc["FulfillmentDetail"]["CreditDetails"]["AllocatedAmount"], {"Amount": "3000", "CurrencyCode": "USD"})
        self.assertEqual(alloc["FulfillmentDetail"]["CreditDetails"]["Codes"][0]["AwsAccountId"], "210987654321")

        # The allocation expires on the server clock, seen by the next read.
        moved = self.admin("POST", "/_cosell/clock", {"advance": "2400h"})
        self.server.until_replicas_have_clock(moved["now"])
        listed = b.list_benefit_allocations(Catalog="Sandbox", BenefitApplicationIdentifiers=[app_id])["BenefitAllocationSummaries"]
        self.assertEqual([(a["Id"], a["Status"]) for a in listed], [(alloc_id, "INACTIVE")])

        events = self.events_about([app_id, alloc_id], 7)
        self.assertEqual([e["detail-type"] for e in events], [
            "Benefit Application Created", "Benefit Application In Review", "Benefit Application Action Required",
            "Benefit Application In Review", "Benefit Application Approved", "Benefit Allocation Activated", "Benefit Allocation Inactivated",
        ])
        self.assertEqual(events[2]["detail"]["benefitApplication"]["status"], "ACTION_REQUIRED")
        self.assertEqual(events[6]["detail"]["benefitAllocation"], {"id": alloc_id, "fulfillmentType": "CREDITS", "status": "INACTIVE"})
        self.assertEqual(events[0]["account"], ACCOUNT_A["account_id"])


if __name__ == "__main__":
    unittest.main()
