"""The README's pytest fixture starts cosell with --ready-json; boto3 and
the AWS CLI then reach it with what the line names (STS GetCallerIdentity,
the Selling API), and the admin token in it opens the admin API."""
import inspect
import json
import os
import subprocess
import unittest
import urllib.request

import boto3

import ready_fixture

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@unittest.skipIf(os.environ.get("COSELL_ENDPOINT"), "starts its own cosell")
@unittest.skipUnless(os.environ.get("COSELL_BIN"), "needs a built cosell (COSELL_BIN)")
class ReadyFixture(unittest.TestCase):
    def setUp(self):
        self.fixture = ready_fixture.cosell()
        self.ready = next(self.fixture)
        self.addCleanup(next, self.fixture, None)  # runs the code after yield, as pytest does

    def test_readme_shows_the_fixture(self):
        with open(os.path.join(REPO_ROOT, "README.md")) as f:
            self.assertTrue(inspect.getsource(ready_fixture.cosell) in f.read(), "README.md does not show ready_fixture.cosell as it is")

    def test_boto3_learns_the_account_with_sts(self):
        for account in self.ready["accounts"]:
            sts = boto3.client("sts", endpoint_url=self.ready["endpoint"], region_name=self.ready["region"],
                               aws_access_key_id=account["accessKeyId"], aws_secret_access_key=account["secretAccessKey"])
            who = sts.get_caller_identity()
            self.assertEqual(who["Account"], account["accountId"])
            self.assertEqual(who["Arn"], f"arn:aws:iam::{account['accountId']}:root")
            self.assertEqual(who["UserId"], account["accountId"])

    def test_boto3_sees_stss_error_for_an_unknown_key(self):
        sts = boto3.client("sts", endpoint_url=self.ready["endpoint"], region_name=self.ready["region"],
                           aws_access_key_id="nobody", aws_secret_access_key="nothing")
        with self.assertRaises(sts.exceptions.ClientError) as caught:
            sts.get_caller_identity()
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidClientTokenId")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_aws_cli_get_caller_identity(self):
        account = self.ready["accounts"][1]
        env = {**os.environ, "AWS_ACCESS_KEY_ID": account["accessKeyId"], "AWS_SECRET_ACCESS_KEY": account["secretAccessKey"],
               "AWS_DEFAULT_REGION": self.ready["region"]}
        env.pop("AWS_PROFILE", None)
        out = subprocess.run(["aws", "sts", "get-caller-identity", "--endpoint-url", self.ready["endpoint"], "--output", "json"],
                             env=env, capture_output=True, text=True, check=True)
        self.assertEqual(json.loads(out.stdout)["Account"], account["accountId"])

    def test_selling_api_and_admin_token(self):
        account = self.ready["accounts"][0]
        selling = boto3.client("partnercentral-selling", endpoint_url=self.ready["endpoint"], region_name=self.ready["region"],
                               aws_access_key_id=account["accessKeyId"], aws_secret_access_key=account["secretAccessKey"])
        self.assertEqual(selling.list_opportunities(Catalog="Sandbox")["OpportunitySummaries"], [])
        req = urllib.request.Request(self.ready["adminUrl"] + "clock", headers={"Authorization": "Bearer " + self.ready["adminToken"]})
        with urllib.request.urlopen(req, timeout=5) as res:
            self.assertIn("now", json.load(res))


if __name__ == "__main__":
    unittest.main()
