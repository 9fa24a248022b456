"""The Channel API's main flow with boto3, across the two built-in accounts.

A handshake is created, then accepted, rejected or canceled by the account
whose part that is, and each side reads its events from its own SQS queue
(boto3's SQS client, as a connector behind an EventBridge rule would).
botocore loads the newest models from shared/spec/botocore when that
directory is there (AWS_DATA_PATH), else its own copy of the Channel model.
"""
import json
import os
import unittest

from cosell_server import ACCOUNT_A, REPO_ROOT, Server

SPEC = os.path.abspath(os.path.join(REPO_ROOT, "..", "shared", "spec", "botocore"))
if os.path.isdir(SPEC):
    os.environ["AWS_DATA_PATH"] = SPEC

import boto3  # noqa: E402  (after AWS_DATA_PATH, which sessions read)
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

ACCOUNT_B = {
    "account_id": os.environ.get("COSELL_B_ACCOUNT_ID", "222222222222"),
    "aws_access_key_id": os.environ.get("COSELL_B_ACCESS_KEY_ID", "test2"),
    "aws_secret_access_key": os.environ.get("COSELL_B_SECRET_ACCESS_KEY", "test2"),
}
QUEUE = "cosell-partnercentral-events"


def client(service, endpoint, who):
    return boto3.session.Session().client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=who["aws_access_key_id"],
        aws_secret_access_key=who["aws_secret_access_key"],
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


class ChannelHandshakeFlow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        if os.environ.get("COSELL_ENDPOINT"):
            cls.server.__exit__(None, None, None)
            raise unittest.SkipTest("reads cosell's SQS queue of events, which AWS does not have")
        cls.a = client("partnercentral-channel", cls.server.endpoint, ACCOUNT_A)
        cls.b = client("partnercentral-channel", cls.server.endpoint, ACCOUNT_B)

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def event(self, who, detail_type, handshake_id):
        """Reads who's queue (deleting what it reads) until the event arrives."""
        sqs = client("sqs", self.server.endpoint, who)
        url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
        for _ in range(20):
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                event = json.loads(m["Body"])
                if event["detail-type"] == detail_type and event["detail"]["id"] == handshake_id:
                    return event
        self.fail(f"no {detail_type} event about {handshake_id} on {who['account_id']}'s queue")

    def pma_handshake(self, owner, management_account):
        pma = owner.create_program_management_account(
            catalog="Sandbox", program="DISTRIBUTION", displayName="Flow PMA", accountId=management_account
        )["programManagementAccountDetail"]
        hs = owner.create_channel_handshake(
            handshakeType="PROGRAM_MANAGEMENT_ACCOUNT", catalog="Sandbox", associatedResourceIdentifier=pma["id"]
        )["channelHandshakeDetail"]
        return pma, hs

    def test_create_then_accept(self):
        pma, hs = self.pma_handshake(self.a, ACCOUNT_B["account_id"])
        created = self.event(ACCOUNT_B, "Channel Handshake Created", hs["id"])
        self.assertEqual(created["source"], "aws.partnercentral-channel")
        self.assertEqual(created["account"], ACCOUNT_B["account_id"])
        self.assertEqual(created["resources"], [hs["arn"]])
        self.assertEqual(created["detail"]["senderAccountId"], ACCOUNT_A["account_id"])

        items = self.b.list_channel_handshakes(
            handshakeType="PROGRAM_MANAGEMENT_ACCOUNT", catalog="Sandbox", participantType="RECEIVER", statuses=["PENDING"]
        )["items"]
        self.assertIn(hs["id"], [h["id"] for h in items])
        out = self.b.accept_channel_handshake(catalog="Sandbox", identifier=hs["id"])
        self.assertEqual(out["channelHandshakeDetail"]["status"], "ACCEPTED")

        accepted = self.event(ACCOUNT_A, "Channel Handshake Accepted", hs["id"])
        self.assertEqual(accepted["account"], ACCOUNT_A["account_id"])
        self.assertEqual(accepted["detail"]["handshakeDetail"], {"programManagementAccountHandshakeDetail": {"program": "DISTRIBUTION"}})
        pmas = self.a.list_program_management_accounts(catalog="Sandbox", accountIds=[ACCOUNT_B["account_id"]])["items"]
        self.assertEqual([(p["id"], p["status"]) for p in pmas], [(pma["id"], "ACTIVE")])

    def test_reject_then_cancel(self):
        pma, hs = self.pma_handshake(self.b, ACCOUNT_A["account_id"])
        self.event(ACCOUNT_A, "Channel Handshake Created", hs["id"])
        out = self.a.reject_channel_handshake(catalog="Sandbox", identifier=hs["id"])
        self.assertEqual(out["channelHandshakeDetail"]["status"], "REJECTED")
        rejected = self.event(ACCOUNT_B, "Channel Handshake Rejected", hs["id"])
        self.assertEqual(rejected["detail"]["ownerAccountId"], ACCOUNT_B["account_id"])

        again = self.b.create_channel_handshake(
            handshakeType="PROGRAM_MANAGEMENT_ACCOUNT", catalog="Sandbox", associatedResourceIdentifier=pma["arn"]
        )["channelHandshakeDetail"]
        with self.assertRaises(ClientError) as caught:
            self.a.cancel_channel_handshake(catalog="Sandbox", identifier=again["id"])
        self.assertEqual(caught.exception.response["Error"]["Code"], "AccessDeniedException")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        out = self.b.cancel_channel_handshake(catalog="Sandbox", identifier=again["arn"])
        self.assertEqual(out["channelHandshakeDetail"]["status"], "CANCELED")

        with self.assertRaises(ClientError) as caught:
            self.a.accept_channel_handshake(catalog="Sandbox", identifier=again["id"])
        err = caught.exception.response
        self.assertEqual(err["Error"]["Code"], "ConflictException")
        self.assertEqual((err["resourceId"], err["resourceType"]), (again["id"], "ChannelHandshake"))
        items = self.b.list_channel_handshakes(
            handshakeType="PROGRAM_MANAGEMENT_ACCOUNT", catalog="Sandbox", participantType="SENDER", statuses=["CANCELED", "REJECTED"]
        )["items"]
        self.assertEqual({h["id"]: h["status"] for h in items}, {hs["id"]: "REJECTED", again["id"]: "CANCELED"})


if __name__ == "__main__":
    unittest.main()
