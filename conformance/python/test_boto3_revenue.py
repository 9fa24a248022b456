"""boto3 speaking smithy-rpc-v2-cbor to cosell's Revenue Measurement API.

botocore knows the service from the newest models (AWS_DATA_PATH, defaulting
to the shared botocore specs beside the repository); it sends
POST /service/PartnerCentralRevenueMeasurement/operation/<Op> with a CBOR
body, signed for "partnercentral", and reads CBOR answers and errors.
"""
import datetime
import os
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from cosell_server import ACCOUNT_A, Server

SPECS = os.environ.get("AWS_DATA_PATH") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "spec", "botocore"))


@unittest.skipUnless(os.path.isdir(os.path.join(SPECS, "partnercentral-revenue-measurement")),
                     "botocore's Revenue Measurement model is not available (set AWS_DATA_PATH)")
class Boto3RevenueMeasurement(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.environ["AWS_DATA_PATH"] = SPECS
        cls.server = Server().__enter__()
        cls.requests = []
        cls.client = boto3.session.Session().client(
            "partnercentral-revenue-measurement",
            endpoint_url=cls.server.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCOUNT_A["aws_access_key_id"],
            aws_secret_access_key=ACCOUNT_A["aws_secret_access_key"],
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )
        cls.client.meta.events.register("before-send", lambda request, **_: cls.requests.append(request))

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def test_requests_are_rpcv2_cbor(self):
        out = self.client.list_revenue_attributions(Catalog="Sandbox")
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)
        request = self.requests[-1]
        self.assertTrue(request.url.endswith("/service/PartnerCentralRevenueMeasurement/operation/ListRevenueAttributions"), request.url)
        self.assertEqual(request.headers["smithy-protocol"], b"rpc-v2-cbor")
        self.assertEqual(out["ResponseMetadata"]["HTTPHeaders"]["content-type"], "application/cbor")

    def test_attribution_round_trip_with_timestamps(self):
        name = f"Boto deal {uuid.uuid4().hex[:8]}"
        created = self.client.create_revenue_attribution(Catalog="Sandbox", Name=name, TenancyModel="MULTI_TENANT", Description="d")
        self.assertRegex(created["Id"], r"^ra-[a-z0-9]{13}$")
        got = self.client.get_revenue_attribution(Catalog="Sandbox", Identifier=created["Id"])
        self.assertEqual(got["Name"], name)
        self.assertIsInstance(got["CreatedDate"], datetime.datetime)
        self.assertEqual(got["TotalActiveRevenueAttributionAllocationCount"], 0)
        after = got["CreatedDate"] - datetime.timedelta(seconds=1)
        listed = self.client.list_revenue_attributions(Catalog="Sandbox", CreatedAfter=after, Identifiers=[created["Id"]])
        self.assertEqual([s["Id"] for s in listed["RevenueAttributionSummaries"]], [created["Id"]])
        updated = self.client.update_revenue_attribution(Catalog="Sandbox", Identifier=created["Id"], Revision="1", Description="e")
        self.assertEqual(updated["LatestRevision"], "2")

    def test_errors_are_modelled(self):
        with self.assertRaises(ClientError) as missing:
            self.client.get_revenue_attribution(Catalog="Sandbox", Identifier="ra-zzzzzzzzzzzzz")
        error = missing.exception.response
        self.assertEqual(error["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 404)
        with self.assertRaises(ClientError) as invalid:
            self.client.list_revenue_attributions(Catalog="Sandbox", NextToken="AAMA-forged")
        error = invalid.exception.response
        self.assertEqual(error["Error"]["Code"], "ValidationException")
        self.assertEqual(error["Reason"], "REQUEST_VALIDATION_FAILED")
        self.assertEqual([f["Name"] for f in error["FieldList"]], ["nextToken"])


if __name__ == "__main__":
    unittest.main()
