// Starts a real `cosell serve` for one test file, or points at an existing
// endpoint (COSELL_ENDPOINT) so the same suite can run against AWS itself.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const startupTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;

/** True when the suite talks to an endpoint it did not start (cosell elsewhere, or AWS). */
export const externalEndpoint = process.env.COSELL_ENDPOINT || "";

// One binary per test process: scripts/test.sh builds once and passes
// COSELL_BIN; a bare `node --test` builds here (the Go cache keeps it quick).
let builtBinary;
function cosellBinary() {
  if (process.env.COSELL_BIN) return process.env.COSELL_BIN;
  if (!builtBinary) {
    const dir = mkdtempSync(join(tmpdir(), "cosell-bin-"));
    builtBinary = join(dir, "cosell");
    execFileSync("go", ["build", "-o", builtBinary, "./cmd/cosell"], { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"] });
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return builtBinary;
}

/**
 * Starts a server on a free port with a fresh data directory and its admin
 * API enabled under a random token. Resolves to { endpoint, adminToken,
 * stop() }; stop() is safe to call twice. Against an external endpoint
 * adminToken is undefined: there is no clock to control. `extraArgs` are
 * added to `cosell serve`'s command line (e.g. ["--quotas", "aws"]).
 */
export async function startServer({ extraArgs = [] } = {}) {
  if (externalEndpoint) return { endpoint: externalEndpoint, adminToken: undefined, stop: async () => {} };

  const database = newDatabase();
  if (database) extraArgs = ["--store", database.url, ...extraArgs];
  // Passed as COSELL_ADMIN_TOKEN (the --admin-token flag's variable) so a
  // binary that predates the admin API still starts.
  const adminToken = randomBytes(16).toString("hex");
  const count = database ? replicaCount : 1;
  const started = await Promise.allSettled(Array.from({ length: count }, () => startProcess(extraArgs, adminToken)));
  const processes = started.filter((r) => r.status === "fulfilled").map((r) => r.value);
  const stopAll = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    database?.drop();
  };
  const failed = started.find((r) => r.status === "rejected");
  let proxy;
  try {
    if (failed) throw failed.reason;
    if (count > 1) proxy = await startHAProxy(processes.map((p) => p.endpoint));
  } catch (err) {
    await stopAll();
    throw err;
  }
  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      await proxy?.stop();
      await stopAll();
    })();
    return stopped;
  };
  const endpoint = proxy ? proxy.endpoint : processes[0].endpoint;
  replicaEndpoints.set(endpoint, processes.map((p) => p.endpoint));
  return { endpoint, adminToken, stop };
}

// The replicas behind each endpoint this process started.
const replicaEndpoints = new Map();

/** The servers behind `endpoint`: its replicas, or just itself. */
export function replicasBehind(endpoint) {
  return replicaEndpoints.get(endpoint) ?? [endpoint];
}

// startProcess starts one `cosell serve` with its own data directory.
async function startProcess(extraArgs, adminToken) {
  const dataDir = mkdtempSync(join(tmpdir(), "cosell-data-"));
  const child = spawn(cosellBinary(), ["serve", "--addr", "127.0.0.1:0", "--data", dataDir, ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, COSELL_ADMIN_TOKEN: adminToken },
  });
  const stderr = [];
  child.stderr.on("data", (chunk) => stderr.push(chunk));
  const exited = new Promise((res) => child.once("exit", (code, signal) => res({ code, signal })));

  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  const describeFailure = (why) =>
    new Error(`cosell serve ${why}\n--- stderr ---\n${Buffer.concat(stderr).toString().slice(-4000)}`);

  let endpoint;
  try {
    endpoint = await Promise.race([
      firstLineEndpoint(child.stdout),
      exited.then(({ code, signal }) => Promise.reject(describeFailure(`exited early (code ${code}, signal ${signal})`))),
      delay(startupTimeoutMs).then(() => Promise.reject(describeFailure("did not print its endpoint in time"))),
    ]);
    await waitHealthy(endpoint, exited, describeFailure);
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    cleanup();
    throw err;
  }
  // Keep draining stdout so a chatty server never blocks on a full pipe.
  child.stdout.resume();
  return { endpoint, stop: () => stopChild(child, exited).then(cleanup) };
}

async function stopChild(child, exited) {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    const forced = delay(stopTimeoutMs).then(() => child.kill("SIGKILL"));
    await Promise.race([exited, forced]);
    await exited;
  }
}

// COSELL_CONFORMANCE_REPLICAS=N (with COSELL_CONFORMANCE_PG_URL) starts N
// servers on the test file's database behind haproxy, round robin, so
// consecutive calls of a test land on different replicas.
const replicaCount = Math.max(1, Number(process.env.COSELL_CONFORMANCE_REPLICAS || 1));

async function startHAProxy(backends) {
  const addr = await freeLoopbackAddress();
  const dir = mkdtempSync(join(tmpdir(), "cosell-haproxy-"));
  const config = [
    "global",
    "  maxconn 512",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 120s",
    "  timeout server 120s",
    "frontend cosell",
    `  bind ${addr}`,
    "  default_backend replicas",
    "backend replicas",
    "  balance roundrobin",
    "  option httpchk",
    // cosell refuses a request without an acceptable Host header.
    "  http-check send meth GET uri /health ver HTTP/1.1 hdr Host localhost",
    "  default-server inter 500ms fall 2 rise 1",
    ...backends.map((b, i) => `  server r${i} ${b.replace(/^https?:\/\//, "")} check`),
    "",
  ].join("\n");
  writeFileSync(join(dir, "haproxy.cfg"), config);
  const child = spawn(haproxyBinary(), ["-db", "-f", join(dir, "haproxy.cfg")], { stdio: ["ignore", "ignore", "pipe"] });
  const stderr = [];
  child.stderr.on("data", (chunk) => stderr.push(chunk));
  const exited = new Promise((res) => child.once("exit", (code, signal) => res({ code, signal })));
  const endpoint = `http://${addr}`;
  const stop = () => stopChild(child, exited).then(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await waitHealthy(endpoint, exited, (why) => new Error(`haproxy ${why}\n${Buffer.concat(stderr).toString().slice(-4000)}`));
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
}

function haproxyBinary() {
  for (const candidate of ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]) if (existsSync(candidate)) return candidate;
  return "haproxy";
}

function freeLoopbackAddress() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => res(`127.0.0.1:${port}`));
    });
  });
}

// COSELL_CONFORMANCE_PG_URL names a PostgreSQL server (as a role that may
// create databases): each server then runs with --store on a new database
// of its own, created and dropped with psql, as fresh as a new data directory.
const pgServerURL = process.env.COSELL_CONFORMANCE_PG_URL || "";

function newDatabase() {
  if (!pgServerURL) return undefined;
  const name = `cosell_conformance_${process.pid}_${randomBytes(4).toString("hex")}`;
  const psql = (sql) => execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", pgServerURL, "-c", sql], { stdio: ["ignore", "ignore", "inherit"] });
  psql(`CREATE DATABASE ${name}`);
  return {
    url: pgServerURL.replace(/^(postgres(?:ql)?:\/\/[^/?]*)\/[^?]*/, `$1/${name}`),
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

function firstLineEndpoint(stdout) {
  return new Promise((res, rej) => {
    const lines = createInterface({ input: stdout });
    lines.once("line", (line) => {
      lines.close();
      const match = /listening on (https?:\/\/\S+)/.exec(line);
      if (match) res(match[1].replace(/\/$/, ""));
      else rej(new Error(`unexpected first line from cosell serve: ${JSON.stringify(line)}`));
    });
  });
}

async function waitHealthy(endpoint, exited, describeFailure) {
  let done = false;
  exited.then(() => (done = true));
  const deadline = Date.now() + startupTimeoutMs;
  while (!done && Date.now() < deadline) {
    try {
      const res = await fetch(`${endpoint}/health`);
      if (res.ok) return;
    } catch {
      // not accepting connections yet
    }
    await delay(50);
  }
  throw describeFailure(done ? "exited before /health answered" : "never answered /health");
}

function delay(ms) {
  return new Promise((res) => setTimeout(res, ms).unref());
}
