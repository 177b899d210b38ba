// Shared helpers of the store tests: deterministic entries whose leaf hash is
// the RFC 6962 leaf hash of their payload (SHA-256(0x00 || payload), §2.1),
// so that any byte mixed up between entries shows.
import { createHash } from 'node:crypto';
import type { AppendRequest, BoardStore, StoredEntry } from '../src/index.js';

export function leafHashOf(payload: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(Uint8Array.of(0)).update(payload).digest());
}

/** The payload of test entry `tag`: its tag in UTF-8 followed by a few bytes derived from it. */
export function payloadOf(tag: string, extra = 0): Uint8Array {
  const text = new TextEncoder().encode(tag);
  const out = new Uint8Array(text.length + 1 + extra);
  out.set(text);
  out[text.length] = 0xff; // not valid UTF-8: the payload is bytes, not text
  for (let i = 0; i < extra; i++) out[text.length + 1 + i] = (i * 31 + text.length) & 0xff;
  return out;
}

export function entry(
  tag: string,
  options: Partial<Pick<AppendRequest, 'kind' | 'keys' | 'claims'>> & { extra?: number } = {},
): AppendRequest {
  const payload = payloadOf(tag, options.extra ?? 0);
  return {
    kind: options.kind ?? 'ballot',
    payload,
    leafHash: leafHashOf(payload),
    ...(options.keys === undefined ? {} : { keys: options.keys }),
    ...(options.claims === undefined ? {} : { claims: options.claims }),
  };
}

export function tagOf(stored: StoredEntry): string {
  const end = stored.payload.indexOf(0xff);
  return new TextDecoder().decode(stored.payload.subarray(0, end));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Every entry of the store, read back through range(). */
export async function readAll(store: BoardStore): Promise<StoredEntry[]> {
  const size = await store.size();
  const out: StoredEntry[] = [];
  for (let from = 0; from < size; from += 10_000) {
    out.push(...(await store.range(from, Math.min(size, from + 10_000))));
  }
  return out;
}

/** A clock that counts its calls: the store reads it once per committed transaction. */
export function countingClock(start = 1_700_000_000_000): {
  now: () => number;
  calls: () => number;
} {
  let calls = 0;
  return {
    now: () => start + calls++,
    calls: () => calls,
  };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Byte equality without a deep comparison per element (1 MiB arrays make toEqual slow). */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));
}
