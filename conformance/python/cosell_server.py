"""Starts `cosell serve` for a Python test module, like the node harness does.

COSELL_BIN names a built binary (scripts/test.sh builds one and shares it);
without it the binary is built from the repository. COSELL_ENDPOINT points
the tests at a server they did not start.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STARTUP_TIMEOUT_S = 30

ACCOUNT_A = {
    "account_id": os.environ.get("COSELL_A_ACCOUNT_ID", "111111111111"),
    "aws_access_key_id": os.environ.get("COSELL_A_ACCESS_KEY_ID", "test"),
    "aws_secret_access_key": os.environ.get("COSELL_A_SECRET_ACCESS_KEY", "test"),
}
ACCOUNT_B = {
    "account_id": os.environ.get("COSELL_B_ACCOUNT_ID", "222222222222"),
    "aws_access_key_id": os.environ.get("COSELL_B_ACCESS_KEY_ID", "test2"),
    "aws_secret_access_key": os.environ.get("COSELL_B_SECRET_ACCESS_KEY", "test2"),
}


# COSELL_CONFORMANCE_PG_URL names a PostgreSQL server (as a role that may
# create databases): each server then runs with --store on a new database of
# its own, created and dropped with psql, as fresh as a new data directory.
PG_SERVER_URL = os.environ.get("COSELL_CONFORMANCE_PG_URL", "")


def psql(sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", PG_SERVER_URL, "-c", sql],
                   check=True, stdout=subprocess.DEVNULL)


def new_database():
    """Creates a database for one server and returns its name, or None."""
    if not PG_SERVER_URL:
        return None
    name = f"cosell_conformance_{os.getpid()}_{os.urandom(4).hex()}"
    psql(f"CREATE DATABASE {name}")
    return name


def database_url(name):
    return re.sub(r"^(postgres(?:ql)?://[^/?]*)/[^?]*", lambda m: f"{m.group(1)}/{name}", PG_SERVER_URL, count=1)


class Server:
    """A running cosell (or an external endpoint); use as a context manager."""

    def __init__(self, admin_token=None):
        self.endpoint = os.environ.get("COSELL_ENDPOINT", "")
        # With a token the server we start serves its admin API (AWS's side,
        # the clock); an external endpoint has none.
        self.admin_token = admin_token if not self.endpoint else None
        self._process = None
        self._tmp = None
        self._database = None

    def __enter__(self):
        if self.endpoint:
            return self
        self._tmp = tempfile.mkdtemp(prefix="cosell-py-")
        binary = os.environ.get("COSELL_BIN") or self._build()
        data_dir = os.path.join(self._tmp, "data")
        os.mkdir(data_dir)
        args = [binary, "serve", "--addr", "127.0.0.1:0", "--data", data_dir]
        self._database = new_database()
        if self._database:
            args += ["--store", database_url(self._database)]
        if self.admin_token:
            args += ["--admin-token", self.admin_token]
        self._process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self._process.stdout.readline()
        match = re.search(r"listening on (https?://\S+)", line)
        if not match:
            self.__exit__(None, None, None)
            raise RuntimeError(f"unexpected first line from cosell serve: {line!r}")
        self.endpoint = match.group(1).rstrip("/")
        self._wait_healthy()
        return self

    def __exit__(self, *exc):
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process.stdout.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
        if self._database:
            psql(f"DROP DATABASE IF EXISTS {self._database} WITH (FORCE)")
            self._database = None
        return False

    def _build(self):
        binary = os.path.join(self._tmp, "cosell")
        subprocess.run(["go", "build", "-o", binary, "./cmd/cosell"], cwd=REPO_ROOT, check=True)
        return binary

    def _wait_healthy(self):
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("cosell serve exited before /health answered")
            try:
                with urllib.request.urlopen(self.endpoint + "/health", timeout=2) as res:
                    if res.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("cosell serve never answered /health")
