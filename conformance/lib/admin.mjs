// cosell's admin API: the server clock that tests move forward to make
// time-based behaviour (invitation expiry) happen without waiting. AWS has no
// such thing, so tests that need it are skipped against a real endpoint.
import { externalEndpoint } from "./server.mjs";

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
export function advanceClock(endpoint, token, duration) {
  return clockCall(endpoint, token, "POST", { advance: duration });
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
