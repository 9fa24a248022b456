"""The pytest fixture the README shows, kept here so the suite runs it.

pytest is not installed on these machines, so the function carries no
@pytest.fixture decorator here; test_ready_fixture.py drives it as pytest
would (next() to set up, next() again to tear down).
"""
import json
import os
import subprocess


def cosell():
    proc = subprocess.Popen(
        [os.environ.get("COSELL_BIN", "cosell"), "serve", "--addr", "127.0.0.1:0", "--data", ":memory:", "--ready-json", "--log-level", "warn"],
        stdout=subprocess.PIPE, text=True)
    ready = json.loads(proc.stdout.readline())  # endpoint, port, region, accounts and keys, adminToken
    yield ready
    proc.terminate()
    proc.wait()
