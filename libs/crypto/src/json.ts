/**
 * The first step of decoding any untrusted JSON: check its shape with a zod
 * schema and turn a mismatch into a coded MALFORMED error at `where`, saying
 * what was expected. Field-by-field decoding (hex, canonical encodings) follows
 * in each decoder, so every error names the exact field.
 */
import type { z } from 'zod';
import { cryptoError, type CryptoError } from './errors.js';
import { err, ok, type Result } from './result.js';

/** Parses `json` with `schema`; on mismatch, MALFORMED at `where` with `expected`. */
export function parseShape<T>(
  schema: z.ZodType<T>,
  json: unknown,
  where: string,
  expected: string,
): Result<T, CryptoError> {
  const parsed = schema.safeParse(json);
  return parsed.success ? ok(parsed.data) : err(cryptoError('MALFORMED', where, expected));
}
