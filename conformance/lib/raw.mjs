// Hand-built SigV4 requests for the wire shapes SDKs never send, such as the
// path-routed JSON calls in AWS's own Postman collection.
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { region } from "./clients.mjs";

/**
 * Signs and sends `POST <endpoint><path>` with `body` (an object, sent as
 * JSON, or a string or Uint8Array sent verbatim) and `headers`, as service `service` for `who.credentials`.
 * Resolves to { status, headers, text, json }.
 */
export async function signedPost(endpoint, path, body, { who, headers = {}, service = "partnercentral-selling" }) {
  const url = new URL(path, endpoint);
  const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const signer = new SignatureV4({ service, region, credentials: who.credentials, sha256: Sha256 });
  const request = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, ...headers },
    body: payload,
  });
  const res = await fetch(url, { method: "POST", headers: request.headers, body: payload });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, bytes };
}
