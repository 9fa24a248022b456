"""Starts `cosell serve` for a Python test module, like the node harness does.

COSELL_BIN names a built binary (scripts/test.sh builds one and shares it);
without it the binary is built from the repository. COSELL_ENDPOINT points
the tests at a server they did not start.
"""
import datetime
import json
import os
import re
import shutil
import socket
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


# COSELL_CONFORMANCE_REPLICAS=N (with COSELL_CONFORMANCE_PG_URL) starts N
# servers on the module's database behind haproxy, round robin, as
# conformance/lib/server.mjs does.
REPLICAS = max(1, int(os.environ.get("COSELL_CONFORMANCE_REPLICAS", "1") or "1"))


class Server:
    """A running cosell (or an external endpoint); use as a context manager."""

    def __init__(self, admin_token=None):
        self.endpoint = os.environ.get("COSELL_ENDPOINT", "")
        # With a token the server we start serves its admin API (AWS's side,
        # the clock); an external endpoint has none.
        self.admin_token = admin_token if not self.endpoint else None
        self.replicas = []  # endpoints of the servers behind self.endpoint
        self._processes = []
        self._tmp = None
        self._database = None

    def __enter__(self):
        if self.endpoint:
            return self
        self._tmp = tempfile.mkdtemp(prefix="cosell-py-")
        try:
            binary = os.environ.get("COSELL_BIN") or self._build()
            args = []
            self._database = new_database()
            if self._database:
                args += ["--store", database_url(self._database)]
            if self.admin_token:
                args += ["--admin-token", self.admin_token]
            count = REPLICAS if self._database else 1
            for i in range(count):
                data_dir = os.path.join(self._tmp, f"data{i}")
                os.mkdir(data_dir)
                self.replicas.append(self._start([binary, "serve", "--addr", "127.0.0.1:0", "--data", data_dir] + args))
            for endpoint in self.replicas:
                self._wait_healthy(endpoint)
            self.endpoint = self._start_haproxy() if count > 1 else self.replicas[0]
            self._wait_healthy(self.endpoint)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        for process in reversed(self._processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout:
                process.stdout.close()
        self._processes = []
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
        if self._database:
            psql(f"DROP DATABASE IF EXISTS {self._database} WITH (FORCE)")
            self._database = None
        return False

    def until_replicas_have_clock(self, now):
        """Waits until every replica's clock reads at least `now` (an ISO
        time a clock call answered): replicas take a clock change from the
        shared store within about a second (README, "PostgreSQL store")."""
        if len(self.replicas) < 2:
            return
        want = parse_time(now)
        deadline = time.monotonic() + 15
        while True:
            seen = [parse_time(self._clock(r)) for r in self.replicas]
            if all(t >= want for t in seen):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"replicas never reached the clock {now}: {seen}")
            time.sleep(0.1)

    def _clock(self, endpoint):
        req = urllib.request.Request(endpoint + "/_cosell/clock", headers={"Authorization": f"Bearer {self.admin_token}"})
        with urllib.request.urlopen(req, timeout=5) as res:
            return json.load(res)["now"]

    def _start(self, args):
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self._processes.append(process)
        line = process.stdout.readline()
        match = re.search(r"listening on (https?://\S+)", line)
        if not match:
            raise RuntimeError(f"unexpected first line from cosell serve: {line!r}")
        return match.group(1).rstrip("/")

    def _start_haproxy(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            addr = "127.0.0.1:%d" % s.getsockname()[1]
        servers = "".join(f"  server r{i} {e.split('://', 1)[1]} check\n" for i, e in enumerate(self.replicas))
        config = os.path.join(self._tmp, "haproxy.cfg")
        with open(config, "w") as f:
            # cosell refuses a request without an acceptable Host header,
            # so the health check sends one.
            f.write(f"""global
  maxconn 512
defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
frontend cosell
  bind {addr}
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health ver HTTP/1.1 hdr Host localhost
  default-server inter 500ms fall 2 rise 1
{servers}""")
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self._processes.append(subprocess.Popen([binary, "-db", "-f", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return "http://" + addr

    def _build(self):
        binary = os.path.join(self._tmp, "cosell")
        subprocess.run(["go", "build", "-o", binary, "./cmd/cosell"], cwd=REPO_ROOT, check=True)
        return binary

    def _wait_healthy(self, endpoint):
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self._processes):
                raise RuntimeError("cosell serve (or haproxy) exited before /health answered")
            try:
                with urllib.request.urlopen(endpoint + "/health", timeout=2) as res:
                    if res.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{endpoint} never answered /health")


def parse_time(iso):
    """An RFC 3339 time as cosell writes it, as an aware datetime."""
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
