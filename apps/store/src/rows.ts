/**
 * Decoding of database rows into the store's values. The database is data
 * from disk or from a server, so a row that breaks the schema's promises (an
 * index that is not a safe integer, a leaf hash that is not 32 bytes) is
 * reported as corruption instead of being passed on.
 */
import type { DbInteger } from './schema.js';
import type { StoredEntry } from './types.js';

/** The entry columns every entry query selects. */
export const ENTRY_COLUMNS = ['idx', 'kind', 'payload', 'leaf_hash', 'stored_at'] as const;

export interface EntryRow {
  readonly idx: DbInteger;
  readonly kind: string;
  readonly payload: Uint8Array;
  readonly leaf_hash: Uint8Array;
  readonly stored_at: DbInteger;
}

function corrupt(where: string, message: string): Error {
  return new Error(`store corrupt at ${where}: ${message}`);
}

/** An integer column as a number (pg returns BIGINT as a decimal string). */
export function toInteger(value: DbInteger | null | undefined, where: string): number {
  const n =
    typeof value === 'string'
      ? /^-?[0-9]{1,16}$/.test(value)
        ? Number(value)
        : Number.NaN
      : typeof value === 'bigint'
        ? Number(value)
        : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw corrupt(where, 'not a safe integer');
  }
  return n;
}

/**
 * A byte column as a plain Uint8Array the caller owns (drivers return Buffers
 * that may be views of a shared allocation).
 */
export function toBytes(value: unknown, where: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw corrupt(where, 'not a byte string');
  return new Uint8Array(value);
}

export function toEntry(row: EntryRow): StoredEntry {
  const index = toInteger(row.idx, 'entries.idx');
  const where = `entries[${index}]`;
  const leafHash = toBytes(row.leaf_hash, `${where}.leaf_hash`);
  if (leafHash.length !== 32) throw corrupt(`${where}.leaf_hash`, 'not 32 bytes');
  return {
    index,
    kind: row.kind,
    payload: toBytes(row.payload, `${where}.payload`),
    leafHash,
    storedAt: toInteger(row.stored_at, `${where}.stored_at`),
  };
}
