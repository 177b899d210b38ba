/**
 * Checks of every argument that reaches the store, before any SQL runs: a
 * refused request must change nothing, and both dialects must refuse exactly
 * the same inputs (PostgreSQL cannot store U+0000 in text, SQLite could, so
 * neither accepts it; a lone surrogate would be silently replaced by U+FFFD
 * when encoded as UTF-8, which could make two different keys collide).
 *
 * The checks are written out by hand rather than with a schema library
 * because they run on the append hot path (10,000 entries per call).
 */
import { StoreError, type AppendRequest } from './types.js';

/** The store's limits; requests beyond them are refused with INVALID_REQUEST. */
export const STORE_LIMITS = Object.freeze({
  maxKindLength: 64,
  maxPayloadBytes: 16 * 1024 * 1024,
  leafHashBytes: 32,
  maxStringLength: 256,
  maxKeysPerEntry: 32,
  maxClaimsPerEntry: 8,
  maxEntriesPerAppend: 10_000,
  maxRange: 10_000,
  maxLeafHashes: 100_000,
  maxFindResults: 10_000,
  maxEntriesBatch: 10_000,
  maxTreeHeadJsonLength: 64 * 1024,
  maxMetaValueLength: 1024 * 1024,
});

/** Kinds are identifiers: lowercase ASCII, so they are safe as object keys and in URLs. */
const KIND_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/;

/** The prefix of the metadata keys the store keeps for itself (schema version). */
export const RESERVED_META_PREFIX = 'acta.store.';

function invalid(where: string, message: string): StoreError {
  return new StoreError('INVALID_REQUEST', where, message);
}

/** A text column value: a well-formed string of minLength..maxLength UTF-16 units without U+0000. */
export function checkText(
  value: unknown,
  where: string,
  maxLength: number = STORE_LIMITS.maxStringLength,
  minLength = 1,
): StoreError | undefined {
  if (typeof value !== 'string') return invalid(where, 'must be a string');
  if (value.length < minLength || value.length > maxLength) {
    return invalid(where, `length must be in [${minLength}, ${maxLength}], got ${value.length}`);
  }
  if (!value.isWellFormed()) return invalid(where, 'must be well-formed UTF-16 (lone surrogate)');
  if (value.includes('\u0000')) return invalid(where, 'must not contain U+0000');
  return undefined;
}

export function checkKind(value: unknown, where: string): StoreError | undefined {
  if (typeof value !== 'string' || !KIND_PATTERN.test(value)) {
    return invalid(
      where,
      `a kind is 1-${STORE_LIMITS.maxKindLength} characters of [a-z0-9._-] starting with a letter`,
    );
  }
  return undefined;
}

/** An index or count argument: a safe integer in [min, max]. */
export function checkInteger(
  value: unknown,
  where: string,
  min = 0,
  max: number = Number.MAX_SAFE_INTEGER,
): StoreError | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    return invalid(where, `must be an integer in [${min}, ${max}]`);
  }
  return undefined;
}

/** A half-open index range [from, to) of at most maxLength indices. */
export function checkRange(
  from: unknown,
  to: unknown,
  maxLength: number,
  where: string,
): StoreError | undefined {
  const bad = checkInteger(from, `${where}.from`) ?? checkInteger(to, `${where}.to`);
  if (bad !== undefined) return bad;
  const span = (to as number) - (from as number);
  if (span < 0 || span > maxLength) {
    return invalid(where, `need from <= to and to - from <= ${maxLength}`);
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkBytes(
  value: unknown,
  where: string,
  minLength: number,
  maxLength: number,
): StoreError | undefined {
  if (!(value instanceof Uint8Array)) return invalid(where, 'must be a Uint8Array');
  if (value.length < minLength || value.length > maxLength) {
    return minLength === maxLength
      ? invalid(where, `must be exactly ${minLength} bytes, got ${value.length}`)
      : invalid(where, `must be at most ${maxLength} bytes, got ${value.length}`);
  }
  return undefined;
}

/**
 * Checks the pairs (keys or claims) of one entry: a bounded array of objects
 * with two bounded strings each, no pair twice.
 */
function checkPairs(
  value: unknown,
  where: string,
  first: 'name' | 'scope',
  second: 'value' | 'key',
  maxCount: number,
): StoreError | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return invalid(where, 'must be an array');
  if (value.length > maxCount) return invalid(where, `at most ${maxCount} per entry`);
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const pair: unknown = value[i];
    const at = `${where}[${i}]`;
    if (!isPlainObject(pair)) return invalid(at, 'must be an object');
    const bad =
      checkText(pair[first], `${at}.${first}`) ?? checkText(pair[second], `${at}.${second}`);
    if (bad !== undefined) return bad;
    const id = JSON.stringify([pair[first], pair[second]]);
    if (seen.has(id)) return invalid(at, `duplicate ${first}/${second} pair in one entry`);
    seen.add(id);
  }
  return undefined;
}

/**
 * Checks an append call. Returns the number of claims it makes, or the first
 * problem. Two entries of one call claiming the same (scope, key) are refused
 * here: the database would refuse the call anyway, but it could only name a
 * holder that was never committed.
 */
export function checkAppend(requests: unknown): { claims: number } | StoreError {
  if (!Array.isArray(requests)) return invalid('requests', 'must be an array');
  if (requests.length === 0) return invalid('requests', 'append needs at least one entry');
  if (requests.length > STORE_LIMITS.maxEntriesPerAppend) {
    return invalid(
      'requests',
      `at most ${STORE_LIMITS.maxEntriesPerAppend} entries per append, got ${requests.length}`,
    );
  }
  let claims = 0;
  let claimed: Map<string, string> | undefined;
  for (let i = 0; i < requests.length; i++) {
    const request: unknown = requests[i];
    const at = `requests[${i}]`;
    if (!isPlainObject(request)) return invalid(at, 'must be an object');
    const bad =
      checkKind(request.kind, `${at}.kind`) ??
      checkBytes(request.payload, `${at}.payload`, 0, STORE_LIMITS.maxPayloadBytes) ??
      checkBytes(
        request.leafHash,
        `${at}.leafHash`,
        STORE_LIMITS.leafHashBytes,
        STORE_LIMITS.leafHashBytes,
      ) ??
      checkPairs(request.keys, `${at}.keys`, 'name', 'value', STORE_LIMITS.maxKeysPerEntry) ??
      checkPairs(request.claims, `${at}.claims`, 'scope', 'key', STORE_LIMITS.maxClaimsPerEntry);
    if (bad !== undefined) return bad;
    const entryClaims = (request as unknown as AppendRequest).claims ?? [];
    for (let j = 0; j < entryClaims.length; j++) {
      const claim = entryClaims[j]!;
      claimed ??= new Map();
      const id = JSON.stringify([claim.scope, claim.key]);
      const previous = claimed.get(id);
      if (previous !== undefined) {
        return invalid(`${at}.claims[${j}]`, `the same claim is made by ${previous}`);
      }
      claimed.set(id, `${at}.claims[${j}]`);
      claims++;
    }
  }
  return { claims };
}

/** Checks a signed tree head's shape (the store never interprets the JSON beyond parsing it). */
export function checkTreeHead(head: unknown): StoreError | undefined {
  if (!isPlainObject(head)) return invalid('head', 'must be an object');
  const bad =
    checkInteger(head.treeSize, 'head.treeSize') ??
    checkText(head.json, 'head.json', STORE_LIMITS.maxTreeHeadJsonLength);
  if (bad !== undefined) return bad;
  try {
    const parsed: unknown = JSON.parse(head.json as string);
    if (!isPlainObject(parsed)) return invalid('head.json', 'must be a JSON object');
  } catch {
    return invalid('head.json', 'must be valid JSON');
  }
  return undefined;
}
