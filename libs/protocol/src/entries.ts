/**
 * The entries of Acta's public record (docs/spec.md chapter 2): every fact of
 * an election — its definition, the key ceremony, registrations, check-ins,
 * ballots, actas, decryption shares, results and refusals — is one typed entry
 * appended to the bulletin board. An entry is JSON
 *
 *   { "type": <EntryType>, "time": <ms since the epoch>, "body": { … } }
 *
 * its Merkle leaf is the canonical form of that whole value under
 * ACTA_V1_BOARD_ENTRY (canonical.ts), and the signature(s) inside a body cover
 * the canonical form of [type, body without its signature fields] under
 * ACTA_V1_ENTRY (`signEntryBody`). Byte strings are lowercase hex; the crypto
 * objects keep the JSON forms of @acta/crypto and are decoded (and fully
 * validated) by the state machine (state.ts), which knows where each belongs.
 *
 * This module only checks shapes (zod, strict objects, bounded sizes): what an
 * entry means — keys, signatures, proofs, order — is state.ts's job.
 */
import { z } from 'zod';
import type { SigningSecretKey } from '@acta/crypto';
import {
  SigningPublicKey,
  Signature,
  encodeHex,
  err,
  hashToBytes,
  ok,
  signMessage,
  verifySignature,
  type Result,
} from '@acta/crypto';
import { hashLeaf } from '@acta/board';
import { encodeCanonical, toCanonicalParts, type CanonicalMemo } from './canonical.js';
import { protocolError, type ProtocolError } from './errors.js';
import { PROTOCOL_TAG } from './tags.js';

// ---------------------------------------------------------------------------
// Field shapes

const HEX32 = /^[0-9a-f]{64}$/;
const HEX64 = /^[0-9a-f]{128}$/;
/** A 32-byte value (a key, a hash, a commitment) as 64 lowercase hex digits. */
export const hex32Schema = z.string().regex(HEX32, 'expected 64 lowercase hex digits');
/** A 64-byte Ed25519 signature as 128 lowercase hex digits. */
export const signatureSchema = z.string().regex(HEX64, 'expected 128 lowercase hex digits');
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const smallCount = z.number().int().min(0).max(1_000_000_000);
const mesaId = z.string().regex(/^[0-9]{9}\.[0-9]{2}$/, 'expected a mesa id like 010101001.01');
const contestId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const styleId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const shortText = z.string().min(1).max(200);
/** Crypto objects: any JSON here, decoded by @acta/crypto where the state machine uses them. */
const cryptoJson = z.unknown();

/** The largest entry (in UTF-8 bytes of JSON text) a board accepts, `election` aside. */
export const MAX_ENTRY_BYTES = 1 << 20;
/**
 * The largest `election` entry: it carries the whole manifest, and a national
 * geography is several megabytes (30,026 mesas: about 2.3 MB; the manifest's
 * own bound, 100,000 mesas, about 7.5 MB).
 */
export const MAX_ELECTION_ENTRY_BYTES = 16 << 20;

/** The size limit of an entry line of `type` (an unknown type gets the general limit). */
export function maxEntryBytes(type: string): number {
  return type === 'election' ? MAX_ELECTION_ENTRY_BYTES : MAX_ENTRY_BYTES;
}

/** The UTF-8 length of a string, without encoding it (lone surrogates count as U+FFFD). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i += 1;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
/** Contests per ballot and cards per contest bound every list an entry carries. */
const MAX_CONTESTS = 100;
const MAX_CARDS = 1000;

// ---------------------------------------------------------------------------
// Bodies

const trusteeSchema = z.strictObject({
  index: z.number().int().min(1).max(255),
  name: shortText,
  key: hex32Schema,
});

/** `election`: the authority defines the election (first entry of every board). */
export const electionBodySchema = z.strictObject({
  manifest: z.unknown(),
  manifestHash: hex32Schema,
  authorityKey: hex32Schema,
  registryKey: hex32Schema,
  trustees: z.array(trusteeSchema).min(1).max(255),
  quorum: z.number().int().min(1).max(255),
  baseHash: hex32Schema,
  signature: signatureSchema,
});

/** `trustee-round1`: a trustee's public ceremony message (commitments + proofs). */
export const trusteeRound1BodySchema = z.strictObject({
  trustee: z.number().int().min(1).max(255),
  message: cryptoJson,
  signature: signatureSchema,
});

/** `trustee-shares`: a trustee's encrypted shares for every other trustee. */
export const trusteeSharesBodySchema = z.strictObject({
  trustee: z.number().int().min(1).max(255),
  shares: z.array(cryptoJson).max(254),
  signature: signatureSchema,
});

/** `election-key`: the joint key (recomputable from round 1) and the extended hash. */
export const electionKeyBodySchema = z.strictObject({
  jointKey: cryptoJson,
  electionHash: hex32Schema,
  signature: signatureSchema,
});

/** `mesa-device`: the keys of a mesa's voting device and poll workers. */
export const mesaDeviceBodySchema = z.strictObject({
  mesa: mesaId,
  deviceKey: hex32Schema,
  pollWorkerKeys: z.array(hex32Schema).min(1).max(20),
  signature: signatureSchema,
});

/** `witness`: a witness key allowed to co-sign actas. */
export const witnessBodySchema = z.strictObject({
  name: shortText,
  key: hex32Schema,
  signature: signatureSchema,
});

/** `registration`: a pseudonymous registry entry (or a reissue naming the key it replaces). */
export const registrationBodySchema = z.strictObject({
  mesa: mesaId,
  serial: z.number().int().min(1).max(1_000_000),
  credentialKey: hex32Schema,
  identityCommitment: hex32Schema,
  supersedes: hex32Schema.optional(),
  signature: signatureSchema,
});

/** `revocation`: a credential no longer valid. */
export const revocationBodySchema = z.strictObject({
  credentialKey: hex32Schema,
  reason: shortText,
  signature: signatureSchema,
});

/** `checkin`: a voter proved possession of a credential at a mesa; a poll worker countersigned. */
export const checkinBodySchema = z.strictObject({
  mesa: mesaId,
  credentialKey: hex32Schema,
  nonce: hex32Schema,
  voterSignature: signatureSchema,
  pollWorkerKey: hex32Schema,
  signature: signatureSchema,
});

/** What a refusal was about. */
export const REFUSED_OPERATIONS = ['checkin', 'ballot', 'acta', 'decryption'] as const;
/** The operation a refusal entry records. */
export type RefusedOperation = (typeof REFUSED_OPERATIONS)[number];

/** `refusal`: an attempt the board refused, recorded (never its secret content). */
export const refusalBodySchema = z.strictObject({
  operation: z.enum(REFUSED_OPERATIONS),
  mesa: mesaId.optional(),
  subject: z.string().max(200).optional(),
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
  message: z.string().max(500),
  submission: hex32Schema,
  signature: signatureSchema,
});

const encryptedContestEntry = z.strictObject({
  contest: contestId,
  encrypted: cryptoJson,
});

const openingSchema = z.strictObject({
  contest: contestId,
  votes: z.array(z.number().int().min(0).max(1)).max(MAX_CARDS),
  nonces: z.array(hex32Schema).max(MAX_CARDS),
});

/** `ballot`: an encrypted ballot, cast or spoiled (a spoiled one carries its opening). */
export const ballotBodySchema = z.strictObject({
  mesa: mesaId,
  style: styleId,
  sequence: z.number().int().min(0).max(1_000_000),
  previousCode: hex32Schema,
  trackingCode: hex32Schema,
  contests: z.array(encryptedContestEntry).min(1).max(MAX_CONTESTS),
  disposition: z.enum(['cast', 'spoiled']),
  opening: z.array(openingSchema).max(MAX_CONTESTS).optional(),
  signature: signatureSchema,
});

const countsSchema = z.strictObject({
  registered: smallCount,
  checkedIn: smallCount,
  cast: smallCount,
  spoiled: smallCount,
});

/** `acta`: a mesa's tally sheet, signed by its device when the mesa closes. */
export const actaBodySchema = z.strictObject({
  mesa: mesaId,
  counts: countsSchema,
  chainHead: hex32Schema,
  results: z
    .array(z.strictObject({ contest: contestId, counts: z.array(smallCount).max(MAX_CARDS) }))
    .max(MAX_CONTESTS),
  tally: z
    .array(z.strictObject({ contest: contestId, ciphertexts: z.array(cryptoJson).max(MAX_CARDS) }))
    .max(MAX_CONTESTS),
  qr: z.string().max(4096),
  signature: signatureSchema,
});

/** `acta-cosign`: a witness co-signs an acta (by its leaf hash). */
export const actaCosignBodySchema = z.strictObject({
  mesa: mesaId,
  acta: hex32Schema,
  witnessKey: hex32Schema,
  signature: signatureSchema,
});

/** `decryption`: a trustee's partial decryptions of one mesa's tally, with proofs. */
export const decryptionBodySchema = z.strictObject({
  trustee: z.number().int().min(1).max(255),
  mesa: mesaId,
  shares: z
    .array(z.strictObject({ contest: contestId, shares: z.array(cryptoJson).max(MAX_CARDS) }))
    .max(MAX_CONTESTS),
  signature: signatureSchema,
});

/** `mesa-result`: a mesa's decrypted counts, combined from `trustees`' shares. */
export const mesaResultBodySchema = z.strictObject({
  mesa: mesaId,
  trustees: z.array(z.number().int().min(1).max(255)).min(1).max(255),
  results: z
    .array(z.strictObject({ contest: contestId, counts: z.array(smallCount).max(MAX_CARDS) }))
    .max(MAX_CONTESTS),
  signature: signatureSchema,
});

/** `totals`: the election's totals, the sum of the mesas' results (per card and per candidate). */
export const totalsBodySchema = z.strictObject({
  mesas: count,
  results: z
    .array(
      z.strictObject({
        contest: contestId,
        cards: z.array(count).max(MAX_CARDS),
        candidates: z.record(z.string().regex(/^[a-z0-9-]{1,64}$/), count),
      }),
    )
    .max(MAX_CONTESTS),
  signature: signatureSchema,
});

/** Every entry type and its body schema. */
export const ENTRY_BODY_SCHEMAS = {
  election: electionBodySchema,
  'trustee-round1': trusteeRound1BodySchema,
  'trustee-shares': trusteeSharesBodySchema,
  'election-key': electionKeyBodySchema,
  'mesa-device': mesaDeviceBodySchema,
  witness: witnessBodySchema,
  registration: registrationBodySchema,
  revocation: revocationBodySchema,
  checkin: checkinBodySchema,
  refusal: refusalBodySchema,
  ballot: ballotBodySchema,
  acta: actaBodySchema,
  'acta-cosign': actaCosignBodySchema,
  decryption: decryptionBodySchema,
  'mesa-result': mesaResultBodySchema,
  totals: totalsBodySchema,
} as const;

/** The entry types of spec v1. */
export type EntryType = keyof typeof ENTRY_BODY_SCHEMAS;
/** Every entry type, in spec order. */
export const ENTRY_TYPES = Object.keys(ENTRY_BODY_SCHEMAS) as EntryType[];

/** The body of an entry of type T. */
export type EntryBody<T extends EntryType> = z.infer<(typeof ENTRY_BODY_SCHEMAS)[T]>;

/** A parsed entry: its type, time and body (a discriminated union on `type`). */
export type Entry = {
  [T in EntryType]: { readonly type: T; readonly time: number; readonly body: EntryBody<T> };
}[EntryType];

/** An entry body without its signature (what the signer signs). */
export type UnsignedBody<T extends EntryType> = Omit<EntryBody<T>, 'signature'>;

const envelopeSchema = z.strictObject({
  type: z.string().max(64),
  time: count,
  body: z.unknown(),
});

function zodError(error: z.ZodError, where: string): ProtocolError {
  const issue = error.issues[0];
  const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)) ?? [];
  return protocolError(
    'MALFORMED_ENTRY',
    `${where}${path.join('')}`,
    issue?.message ?? 'does not match the entry schema',
  );
}

/** Checks that a JSON value stays within the entry language (canonical.ts). */
function checkCanonical(value: unknown, where: string, depth = 0): Result<true, ProtocolError> {
  if (depth > 32) return err(protocolError('MALFORMED_ENTRY', where, 'nested too deeply'));
  if (typeof value === 'string') {
    // A lone surrogate has no UTF-8 form: two such strings would hash alike.
    return value.isWellFormed()
      ? ok(true)
      : err(protocolError('MALFORMED_ENTRY', where, 'a string is not well-formed UTF-16'));
  }
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0
      ? ok(true)
      : err(protocolError('MALFORMED_ENTRY', where, 'numbers are non-negative safe integers'));
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const r = checkCanonical(value[i], `${where}[${i}]`, depth + 1);
      if (!r.ok) return r;
    }
    return ok(true);
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (!/^[\x20-\x7e]{1,64}$/.test(k)) {
        return err(protocolError('MALFORMED_ENTRY', where, 'object keys are short ASCII'));
      }
      const r = checkCanonical(v, `${where}.${k}`, depth + 1);
      if (!r.ok) return r;
    }
    return ok(true);
  }
  return err(
    protocolError(
      'MALFORMED_ENTRY',
      where,
      `${value === null ? 'null' : typeof value} is not allowed`,
    ),
  );
}

/**
 * Parses an entry from untrusted JSON (already JSON.parse'd): the envelope,
 * the body's schema for its type, and the entry language (no booleans, nulls
 * or non-integers anywhere, so that every entry has a canonical form).
 */
export function parseEntry(json: unknown, where = 'entry'): Result<Entry, ProtocolError> {
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return err(zodError(envelope.error, where));
  const { type, time, body } = envelope.data;
  if (!Object.hasOwn(ENTRY_BODY_SCHEMAS, type)) {
    return err(protocolError('UNKNOWN_ENTRY_TYPE', `${where}.type`, `unknown entry type ${type}`));
  }
  const schema = ENTRY_BODY_SCHEMAS[type as EntryType];
  const parsed = schema.safeParse(body);
  if (!parsed.success) return err(zodError(parsed.error, `${where}.body`));
  const canonical = checkCanonical(body, `${where}.body`);
  if (!canonical.ok) return canonical;
  return ok({ type, time, body: parsed.data } as Entry);
}

/** Parses one line of an NDJSON record (size-checked before JSON.parse). */
export function parseEntryLine(line: string, where = 'entry'): Result<Entry, ProtocolError> {
  // Bounded before parsing: the largest limit first (a character is at least
  // one byte), then the exact UTF-8 size against the limit of the line's type.
  if (line.length > MAX_ELECTION_ENTRY_BYTES || utf8Length(line) > MAX_ELECTION_ENTRY_BYTES) {
    return err(
      protocolError('ENTRY_TOO_LARGE', where, `longer than ${MAX_ELECTION_ENTRY_BYTES} bytes`),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return err(protocolError('MALFORMED_JSON', where, 'not valid JSON'));
  }
  // One value, one text: a record line must be exactly the JSON.stringify
  // form of its value (ECMA-262 §25.5.2), so duplicate keys, -0, whitespace or
  // alternative escapes — which different parsers could read differently —
  // are refused.
  if (JSON.stringify(json) !== line) {
    return err(
      protocolError('MALFORMED_ENTRY', where, 'not in canonical JSON text form (JSON.stringify)'),
    );
  }
  const type =
    typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  if (type !== 'election' && utf8Length(line) > MAX_ENTRY_BYTES) {
    return err(protocolError('ENTRY_TOO_LARGE', where, `longer than ${MAX_ENTRY_BYTES} bytes`));
  }
  return parseEntry(json, where);
}

/** The canonical bytes of an entry: its Merkle leaf data (spec §2.2). */
export function encodeEntry(entry: Entry, memo?: CanonicalMemo): Uint8Array {
  return encodeCanonical(
    PROTOCOL_TAG.BOARD_ENTRY,
    { type: entry.type, time: entry.time, body: entry.body },
    memo,
  );
}

/** The RFC 6962 leaf hash of an entry. */
export function hashEntry(entry: Entry, memo?: CanonicalMemo): Uint8Array {
  return hashLeaf(encodeEntry(entry, memo));
}

/** An entry's JSON text (one NDJSON line; key order as built). */
export function serializeEntry(entry: Entry): string {
  return JSON.stringify({ type: entry.type, time: entry.time, body: entry.body });
}

/** The hash parts a body's signature covers: [type, body without `signature`]. */
function signedParts(
  type: EntryType,
  body: Readonly<Record<string, unknown>>,
  memo?: CanonicalMemo,
): [string, unknown] {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (k !== 'signature') rest[k] = v;
  return [type, toCanonicalParts(rest, 'body', memo)];
}

/** Signs an entry body with `secretKey` and returns the body with its `signature`. */
export function signEntryBody<T extends EntryType>(
  type: T,
  body: UnsignedBody<T>,
  secretKey: SigningSecretKey,
): EntryBody<T> {
  const [t, parts] = signedParts(type, body);
  const signature = signMessage(secretKey, PROTOCOL_TAG.ENTRY_SIGNATURE, [
    t,
    parts as Parameters<typeof signMessage>[2][number],
  ]);
  return { ...body, signature: signature.toHex() } as EntryBody<T>;
}

/** A signed entry: `body` signed by `secretKey`, stamped with `time`. */
export function createSignedEntry<T extends EntryType>(
  type: T,
  time: number,
  body: UnsignedBody<T>,
  secretKey: SigningSecretKey,
): Entry {
  return { type, time, body: signEntryBody(type, body, secretKey) } as Entry;
}

/**
 * Decoded signing keys, by hex: a board checks thousands of entries against
 * the same few keys (the authority's, each device's, each poll worker's), and
 * checking a key's encoding costs about as much as verifying a signature.
 * Bounded (oldest first out); only keys that decoded are kept.
 */
const KEY_CACHE_LIMIT = 4096;
const keyCache = new Map<string, SigningPublicKey>();

function decodePublicKey(
  hex: string,
  where: string,
): ReturnType<typeof SigningPublicKey.decodeHex> {
  const cached = keyCache.get(hex);
  if (cached !== undefined) return ok(cached);
  const key = SigningPublicKey.decodeHex(hex, where);
  if (key.ok) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(hex, key.value);
  }
  return key;
}

/** Verifies a body's `signature` against `publicKeyHex` (SIGNATURE_INVALID, BAD_KEY). */
export function verifyEntryBody<T extends EntryType>(
  type: T,
  body: EntryBody<T>,
  publicKeyHex: string,
  where: string,
  memo?: CanonicalMemo,
): Result<true, ProtocolError> {
  const key = decodePublicKey(publicKeyHex, `${where}.key`);
  if (!key.ok) return err(protocolError('BAD_KEY', where, key.error.message));
  const signature = Signature.decodeHex(
    (body as { signature: string }).signature,
    `${where}.signature`,
  );
  if (!signature.ok) {
    return err(protocolError('SIGNATURE_INVALID', `${where}.signature`, signature.error.message));
  }
  const [t, parts] = signedParts(type, body, memo);
  const r = verifySignature(
    key.value,
    PROTOCOL_TAG.ENTRY_SIGNATURE,
    [t, parts as Parameters<typeof signMessage>[2][number]],
    signature.value,
    `${where}.signature`,
  );
  if (!r.ok) {
    return err(
      protocolError('SIGNATURE_INVALID', `${where}.signature`, 'the signature does not verify'),
    );
  }
  return ok(true);
}

/** A hex digest of arbitrary submission bytes (what a refusal records instead of the content). */
export function hashSubmission(bytes: Uint8Array): string {
  return encodeHex(hashToBytes('ACTA_V1_REFUSED_SUBMISSION', [bytes]));
}
