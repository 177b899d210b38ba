/**
 * Boundary helpers for untrusted JSON (internal): a zod shape check that turns
 * the first mismatch into MALFORMED_JSON at the exact field, and strict hex
 * decoding (lowercase only, so every value has one JSON spelling; exact length
 * checked before the bytes are looked at).
 */
import { decodeHex, err, ok, type Result } from '@acta/crypto';
import type { z } from 'zod';
import { HASH_LENGTH } from './hash.js';
import { boardError, type BoardError } from './errors.js';

/** Upper bound on any list of hashes accepted from JSON: valid proofs of safe-integer trees have ≤ 54. */
export const MAX_JSON_HASHES = 64;

const LOWER_HEX_RE = /^[0-9a-f]*$/;

/** Appends a zod issue path to `where`: ['proof', 3] → `${where}.proof[3]`. */
function pathOf(where: string, path: readonly PropertyKey[]): string {
  let out = where;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

/** Parses `json` with `schema`; the first mismatch becomes MALFORMED_JSON at its field. */
export function parseShape<T>(
  schema: z.ZodType<T>,
  json: unknown,
  where: string,
): Result<T, BoardError> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return err(
    boardError(
      'MALFORMED_JSON',
      issue ? pathOf(where, issue.path) : where,
      issue?.message ?? 'unexpected shape',
    ),
  );
}

/** Decodes exactly `length` bytes from lowercase hex (INVALID_LENGTH, then INVALID_HEX). */
export function decodeHexExact(
  value: string,
  length: number,
  where: string,
): Result<Uint8Array, BoardError> {
  if (value.length !== 2 * length) {
    return err(
      boardError(
        'INVALID_LENGTH',
        where,
        `expected ${length} bytes (${2 * length} hex digits), got ${value.length} hex digits`,
      ),
    );
  }
  if (!LOWER_HEX_RE.test(value)) {
    return err(boardError('INVALID_HEX', where, 'expected lowercase hex digits'));
  }
  const bytes = decodeHex(value, where, length);
  if (!bytes.ok) throw new Error('hex validated above failed to decode');
  return bytes;
}

/** Decodes a 32-byte hash from hex. */
export function decodeHash(value: string, where: string): Result<Uint8Array, BoardError> {
  return decodeHexExact(value, HASH_LENGTH, where);
}

/** Decodes a list of hashes (the list length is bounded by the schema). */
export function decodeHashes(
  values: readonly string[],
  where: string,
): Result<Uint8Array[], BoardError> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < values.length; i++) {
    const h = decodeHash(values[i]!, `${where}[${i}]`);
    if (!h.ok) return h;
    out.push(h.value);
  }
  return ok(out);
}
