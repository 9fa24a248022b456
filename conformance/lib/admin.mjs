// cosell's admin API: the server clock that tests move forward to make
// time-based behaviour (invitation expiry) happen without waiting. AWS has no
// such thing, so tests that need it are skipped against a real endpoint.
import { externalEndpoint, replicasBehind } from "./server.mjs";

/** True when the server under test has a controllable clock (one we started). */
export const clockControllable = !externalEndpoint;

/** Skips `t` when the clock cannot be controlled; returns true when the caller should return. */
export function skipWithoutClock(t) {
  if (!clockControllable) {
    t.skip("needs cosell's controllable clock (POST /_cosell/clock); AWS has none");
    return true;
  }
  return false;
}

/** One admin request; resolves to { status, json }. `token` undefined sends no Authorization. */
export async function adminRequest(endpoint, token, method, body) {
  const headers = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${endpoint}/_cosell/clock`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

async function clockCall(endpoint, token, method, body) {
  if (!clockControllable || token === undefined) throw new Error("the server clock is not controllable here; guard the test with skipWithoutClock(t)");
  const { status, json, text } = await adminRequest(endpoint, token, method, body);
  if (status !== 200 || typeof json?.now !== "string") {
    throw new Error(`${method} /_cosell/clock answered ${status}: ${text.slice(0, 500)}`);
  }
  return new Date(json.now);
}

/** The server's current time. */
export function readClock(endpoint, token) {
  return clockCall(endpoint, token, "GET");
}

/** Moves the server clock forward by a Go duration such as "360h" or "360h1m"; resolves to the new time. */
export async function advanceClock(endpoint, token, duration) {
  const now = await clockCall(endpoint, token, "POST", { advance: duration });
  // Replicas take the clock from the shared store within about a second.
  await untilReplicas(endpoint, `clock at ${now.toISOString()}`, async (replicas) =>
    (await Promise.all(replicas.map((replica) => clockCall(replica, token, "GET")))).every((t) => t >= now),
  );
  return now;
}

/**
 * Waits until every replica behind `endpoint` answers GET `path` as the
 * others do: a server-wide setting changed through one replica reaches the
 * others within about a second (README, "PostgreSQL store"). Settings
 * without a GET (any answer but 200) are not waited for.
 */
export async function untilReplicasAgree(endpoint, token, path) {
  await untilReplicas(endpoint, `GET ${path} alike`, async (replicas) => {
    const answers = await Promise.all(
      replicas.map(async (replica) => {
        const res = await fetch(`${replica}${path}`, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, text: await res.text() };
      }),
    );
    return answers.some((a) => a.status !== 200) || answers.every((a) => a.text === answers[0].text);
  });
}

// untilReplicas polls until `ready(replicas)` holds for the replicas behind endpoint.
async function untilReplicas(endpoint, what, ready) {
  const replicas = replicasBehind(endpoint);
  if (replicas.length < 2) return;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (await ready(replicas)) return;
    if (Date.now() > deadline) throw new Error(`replicas behind ${endpoint} never agreed: ${what}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * One request to cosell's AWS side (/_cosell/aws/<path>): acting as AWS on
 * opportunities, invitations and verifications. Resolves to the answer's
 * JSON; any status but 200 rejects with the server's message, unless
 * `expectStatus` names the status the caller wants (then resolves to { status, json }).
 */
export async function awsSide(endpoint, token, method, path, body, { expectStatus } = {}) {
  if (!clockControllable || token === undefined) throw new Error("cosell's admin API is not reachable here; guard the test with skipWithoutClock(t)");
  const res = await fetch(`${endpoint}/_cosell/aws/${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (method !== "GET" && res.status === 200) await untilReplicasAgree(endpoint, token, `/_cosell/aws/${path}`);
  if (expectStatus !== undefined) return { status: res.status, json };
  if (res.status !== 200) throw new Error(`${method} /_cosell/aws/${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return json;
}

/**
 * The events cosell has committed for an account, oldest first, from the
 * admin API's event log (the outbox every delivery follows): each is the
 * EventBridge event as delivered, with `seq` beside it.
 */
export async function eventLog(endpoint, token, account, after = 0) {
  if (!clockControllable || token === undefined) throw new Error("cosell's admin API is not reachable here; guard the test with skipWithoutClock(t)");
  const res = await fetch(`${endpoint}/_cosell/events?account=${account}&after=${after}&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /_cosell/events answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text).events.map(({ seq, event }) => ({ seq, ...event }));
}
