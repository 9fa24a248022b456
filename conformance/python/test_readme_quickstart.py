"""The README's quickstart, run as written: its shell blocks, with the
binary under test as `cosell` and a free port instead of 4577, in a fresh
directory holding the repository's examples/."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def quickstart_script():
    with open(os.path.join(REPO_ROOT, "README.md")) as f:
        readme = f.read()
    section = readme.split("**Quickstart:", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipIf(os.environ.get("COSELL_ENDPOINT"), "starts its own cosell")
@unittest.skipUnless(os.environ.get("COSELL_BIN") and shutil.which("aws"), "needs a built cosell (COSELL_BIN) and the aws CLI")
class ReadmeQuickstart(unittest.TestCase):
    def test_quickstart_runs_as_written(self):
        script = quickstart_script()
        self.assertIn("cosell aws review", script)
        with tempfile.TemporaryDirectory(prefix="cosell-quickstart-") as work:
            shutil.copytree(os.path.join(REPO_ROOT, "examples"), os.path.join(work, "examples"))
            bin_dir = os.path.join(work, "bin")
            os.mkdir(bin_dir)
            os.symlink(os.path.abspath(os.environ["COSELL_BIN"]), os.path.join(bin_dir, "cosell"))
            env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COSELL_"))}
            env["PATH"] = bin_dir + os.pathsep + env["PATH"]
            port = str(free_port())
            env["COSELL_ADDR"] = "127.0.0.1:" + port  # serve's --addr, whose default is 4577
            # A session of its own, so a server the script leaves behind
            # on failure is stopped with it.
            proc = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script.replace("4577", port)], cwd=work, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
            try:
                stdout, _ = proc.communicate(timeout=120)
            finally:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                proc.wait()
            out = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, "")
            log = out.stdout + out.stderr
            server_log = os.path.join(work, "cosell.log")
            if os.path.exists(server_log):
                with open(server_log) as f:
                    log += "\n--- cosell.log ---\n" + f.read()[-3000:]
            self.assertEqual(out.returncode, 0, log)
            self.assertIn('"Account": "111111111111"', log)
            self.assertIn('"reviewStatus": "Approved"', log)
            self.assertIn('"detail-type":"Opportunity Created"', log)
            self.assertIn('"success": "ALL"', log)
            self.assertTrue(os.path.exists(os.path.join(work, ".cosell-data", "cosell.db")), "no data in ./.cosell-data")


if __name__ == "__main__":
    unittest.main()
