// Assertions on errors as the SDK surfaces them to a partner's code.
import assert from "node:assert/strict";

/**
 * Awaits `promise`, asserts it rejects with an SDK error named `name`, and
 * returns the error. `reason` checks ValidationException.Reason; `field`
 * (a RegExp) requires an ErrorList entry whose FieldName matches it, and
 * `code` that entry's (or any entry's) Code.
 */
export async function rejectsWith(promise, name, { reason, field, code, message } = {}) {
  let err;
  try {
    const out = await promise;
    assert.fail(`expected ${name}, but the call succeeded: ${JSON.stringify(stripMetadata(out))}`);
  } catch (caught) {
    if (caught instanceof assert.AssertionError) throw caught;
    err = caught;
  }
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  assert.ok(err.$metadata?.requestId, `${name} carries a request id`);
  if (reason !== undefined) assert.equal(err.Reason, reason, `Reason of ${name}: ${err.message}`);
  if (message !== undefined) assert.equal(err.message, message);
  if (field !== undefined || code !== undefined) {
    const entries = err.ErrorList ?? [];
    const match = entries.find(
      (e) => (field === undefined || field.test(e.FieldName ?? "")) && (code === undefined || e.Code === code),
    );
    assert.ok(match, `ErrorList has an entry for ${field ?? "any field"} ${code ?? ""}: ${JSON.stringify(entries)}`);
  }
  return err;
}

/** A response without the SDK's $metadata, for readable failure messages and deep equality. */
export function stripMetadata(out) {
  if (!out || typeof out !== "object") return out;
  const { $metadata, ...rest } = out;
  return rest;
}

/**
 * `value` without members that are null or undefined, recursively. AWS
 * serialises absent optional members as explicit nulls; a partner's code
 * cannot tell the two apart, so neither do these tests.
 */
export function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}
