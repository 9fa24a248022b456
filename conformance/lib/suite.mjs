// Per-file wiring: one server, clients for both accounts, torn down at the end.
import { before, after } from "node:test";
import { startServer, externalEndpoint } from "./server.mjs";
import { sellingClient, accountClient, accountA, accountB } from "./clients.mjs";
import { advanceClock, readClock } from "./admin.mjs";

/**
 * Call at the top of a test file. The returned object is filled in by a
 * `before` hook: { endpoint, a, b, accountA, accountB } where `a`/`b` are
 * Selling clients and `accountApi` an Account API client for account A.
 * `advanceClock("360h")` and `readClock()` drive the server's clock (guard
 * such tests with skipWithoutClock from admin.mjs).
 * `setup(ctx)`, if given, runs in that same hook once the clients exist
 * (node 20 does not promise that two root-level `before` hooks run in turn).
 * `serverOptions` go to startServer (e.g. { extraArgs: ["--quotas", "aws"] }).
 */
export function useCosell(setup, serverOptions) {
  const ctx = {
    accountA,
    accountB,
    advanceClock: (duration) => advanceClock(ctx.endpoint, server?.adminToken, duration),
    readClock: () => readClock(ctx.endpoint, server?.adminToken),
  };
  let server;
  before(async () => {
    server = await startServer(serverOptions);
    ctx.endpoint = server.endpoint;
    ctx.adminToken = server.adminToken;
    ctx.a = sellingClient(server.endpoint, accountA);
    ctx.b = sellingClient(server.endpoint, accountB);
    ctx.accountApi = accountClient(server.endpoint, accountA);
    await setup?.(ctx);
  });
  after(async () => {
    for (const client of [ctx.a, ctx.b, ctx.accountApi]) client?.destroy();
    await server?.stop();
  });
  return ctx;
}

/**
 * Tests that write to catalog AWS would create real production records when
 * the suite points at AWS itself; there they run only when explicitly allowed.
 * Returns true when the caller should return early (the test was skipped).
 */
export function skipAwsCatalogWriteOnRealEndpoint(t) {
  if (externalEndpoint && process.env.COSELL_ALLOW_AWS_CATALOG_WRITES !== "1") {
    t.skip("writes to catalog AWS; set COSELL_ALLOW_AWS_CATALOG_WRITES=1 to run against a real endpoint");
    return true;
  }
  return false;
}

/** True when running against cosell started by this suite (fresh, empty data). */
export const freshServer = !externalEndpoint;
