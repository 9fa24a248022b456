// The Jest global setup the README shows, kept here so the node suite runs
// it (test/ready-json.test.mjs). Jest: globalSetup runs it, globalTeardown
// calls globalThis.__COSELL__.kill(); Vitest: the returned function tears down.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

export default async function startCosell() {
  const cosell = spawn(process.env.COSELL_BIN ?? "cosell",
    ["serve", "--addr", "127.0.0.1:0", "--data", ":memory:", "--ready-json", "--log-level", "warn"],
    { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await once(createInterface({ input: cosell.stdout }), "line");
  const ready = JSON.parse(line); // endpoint, port, region, accounts and keys, adminToken
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: ready.endpoint, AWS_REGION: ready.region, COSELL_ADMIN_TOKEN: ready.adminToken,
    AWS_ACCESS_KEY_ID: ready.accounts[0].accessKeyId, AWS_SECRET_ACCESS_KEY: ready.accounts[0].secretAccessKey,
  });
  globalThis.__COSELL__ = cosell;
  return async () => { cosell.kill(); await once(cosell, "exit"); };
}
