/**
 * Rivest's consistent sampler (R. L. Rivest, "consistent_sampler", 2018; the
 * sampler VotingWorks Arlo draws its samples with), bit for bit, so that a
 * sample drawn here can be redrawn by Arlo from the same public seed and vice
 * versa (issue #6, item 1).
 *
 * Every id gets a pseudo-random "ticket number" in (0, 1) from the seed; the
 * sample is the ids in increasing ticket order. With replacement, a drawn id
 * gets its next ticket, uniformly larger, and goes back. Ticket numbers are
 * decimal fractions written as text ('0.ddd…'), compared as text:
 *
 *   sha256Uniform(t) = '0.' + the digits of SHA-256(utf8(t)) read as a
 *                      big-endian integer, written in decimal on at least 64
 *                      digits, in reverse order (the low digits are unbiased)
 *   firstFraction(id, seed) = sha256Uniform(hex(SHA-256(seed)) + id)
 *   nextFraction(x) = the prefix of x up to its leading 9s, followed by the
 *                      digits of sha256Uniform(x + ':' + i) for i = 1, 2, …
 *                      until the result exceeds x + '0'
 *
 * where ids and seeds are their Python `str()` (python-str.ts). Tickets are
 * reported truncated to `digits` significant digits after their leading 9s.
 *
 * Memory: only the `drop + take` smallest first tickets are kept while the ids
 * stream past — no id outside them can be drawn in the first `drop + take`
 * draws, with or without replacement, since every draw takes the smallest
 * ticket and tickets only grow — so a 20-million-ballot manifest needs memory
 * for the sample, not for the manifest. For the same reason the smallest
 * tickets of the slices of a manifest, merged, hold the smallest tickets of
 * the whole (parallel-sample.ts relies on it).
 *
 * Speed (issue #6: 20 million ballots in seconds, not minutes): the text of a
 * ticket is built only for the few ids that may enter the kept set. Its first
 * digits are the lowest decimal digits of the hash h, so h mod 10^6
 * (LOW_DIGITS), computed in 32-bit integers, orders tickets exactly on their
 * first 6 digits; an id whose key is beyond the largest kept ticket's is
 * skipped, and every other one is compared on its full text (with 200 kept
 * among millions, about one id in 10^5 gets that far). Each id costs one call
 * to SHA-256 and no text of its own (FirstTicketHasher).
 */
import { sha256 as nobleSha256, type _SHA256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { pythonStr, type PythonValue } from './python-str.js';

const utf8 = new TextEncoder();

/** Lowercase hex SHA-256 of the UTF-8 text (Python `hashlib.sha256(...).hexdigest()`). */
export function sha256Hex(text: string): string {
  return bytesToHex(nobleSha256(utf8.encode(text)));
}

/** A SHA-256 digest as a decimal fraction in (0, 1) (see the module header). */
export function uniformOfDigest(digest: Uint8Array): string {
  const digits = BigInt(`0x${bytesToHex(digest)}`)
    .toString(10)
    .padStart(64, '0');
  let reversed = '';
  for (let i = digits.length - 1; i >= 0; i--) reversed += digits[i];
  return `0.${reversed}`;
}

/** The hash of `text` as a decimal fraction in (0, 1) (see the module header). */
export function sha256Uniform(text: string): string {
  return uniformOfDigest(nobleSha256(utf8.encode(text)));
}

/** The first (generation 1) ticket number of an id. */
export function firstFraction(id: string, seed: string): string {
  return sha256Uniform(sha256Hex(seed) + id);
}

/** node:crypto's one-shot `hash` (Node.js 20.12 and later), or undefined elsewhere. */
type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: 'binary') => string;

async function loadOneShotHash(): Promise<OneShotHash | undefined> {
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
      ?.node === 'string';
  if (!isNode) return undefined;
  try {
    const { hash } = await import('node:crypto');
    return typeof hash === 'function' ? hash : undefined;
  } catch {
    return undefined;
  }
}

const oneShotHash = await loadOneShotHash();

/** How FirstTicketHasher hashes: node:crypto's one-shot `hash`, or @noble/hashes from a midstate. */
export type FirstTicketHashing = 'node' | 'noble';

/** The fastest hashing this platform offers: 'node' on Node.js, 'noble' elsewhere. */
export const DEFAULT_FIRST_TICKET_HASHING: FirstTicketHashing =
  oneShotHash !== undefined ? 'node' : 'noble';

/**
 * SHA-256 of hex(SHA-256(seed)) + the UTF-8 text of an id, id after id,
 * allocating nothing per id but, with 'node', the 32-character result. The
 * caller writes the id's text into `buffer` from `idStart` (the seed's part
 * is kept in front of it where the hashing needs it), then calls hashId,
 * which returns the hash's fast key (lowDigitsOf); `digest()` gives its
 * bytes, for the few ids that need their full ticket.
 *
 * Measured per id (79 bytes) on the 2-core AMD EPYC of the benchmark:
 * node:crypto's one-shot `hash` with a binary-string result, 0.28 µs (with a
 * Buffer result, 0.76 µs: the allocation of the Buffer costs more than the
 * two compressions); @noble/hashes compressing the 64 hex characters (one
 * whole block) once and copying that state for each id, 0.64 µs; a `copy()`
 * of a node:crypto `createHash` midstate, 1.9 µs. So 'node' where it exists,
 * and noble with its midstate elsewhere; both give the same bytes (tested).
 */
export class FirstTicketHasher {
  /** Where the id's text starts in `buffer`. */
  readonly idStart: number;
  readonly #hashing: FirstTicketHashing;
  readonly #midstate: _SHA256;
  readonly #work: _SHA256 = nobleSha256.create();
  readonly #digest: Uint8Array = new Uint8Array(32);
  /** The last hash as a binary string ('node'), turned into bytes only on demand. */
  #binary = '';
  #buffer: Uint8Array;
  /** #views[n]: the first n bytes of #buffer (a view per length, made once). */
  #views: Uint8Array[] = [];

  /** `seed` is the seed's Python `str()`. */
  constructor(seed: string, hashing: FirstTicketHashing = DEFAULT_FIRST_TICKET_HASHING) {
    if (hashing === 'node' && oneShotHash === undefined) {
      throw new RangeError("'node' hashing needs node:crypto's hash (Node.js 20.12 or later)");
    }
    this.#hashing = hashing;
    const seedHash = utf8.encode(sha256Hex(seed));
    this.#midstate = nobleSha256.create().update(seedHash);
    this.idStart = hashing === 'node' ? seedHash.length : 0;
    this.#buffer = new Uint8Array(this.idStart + 64);
    this.#buffer.set(seedHash.subarray(0, this.idStart));
  }

  /**
   * The buffer to write an id's UTF-8 text into, from `idStart`, with room
   * for at least `idBytes` bytes. A later call may return a new buffer.
   */
  buffer(idBytes: number): Uint8Array {
    if (this.idStart + idBytes > this.#buffer.length) {
      const grown = new Uint8Array(2 * (this.idStart + idBytes));
      grown.set(this.#buffer.subarray(0, this.idStart));
      this.#buffer = grown;
      this.#views = [];
    }
    return this.#buffer;
  }

  /**
   * Hashes hex(SHA-256(seed)) + the `idBytes` bytes written at `idStart`, and
   * returns lowDigitsOf the hash.
   */
  hashId(idBytes: number): number {
    const end = this.idStart + idBytes;
    const message = (this.#views[end] ??= this.#buffer.subarray(0, end));
    switch (this.#hashing) {
      case 'node': {
        const b = (this.#binary = oneShotHash!('sha256', message, 'binary'));
        // lowDigitsOf, read from the string's char codes (its bytes).
        let r = 0;
        for (let i = 0; i < 32; i += 2) {
          r = ((r << 16) | (b.charCodeAt(i) << 8) | b.charCodeAt(i + 1)) % FIVES;
        }
        return combineResidues(b.charCodeAt(31), r);
      }
      case 'noble':
        this.#midstate._cloneInto(this.#work).update(message).digestInto(this.#digest);
        return lowDigitsOf(this.#digest);
      default: {
        const never: never = this.#hashing;
        throw new Error(`unknown hashing ${String(never)}`);
      }
    }
  }

  /** The bytes of the last hash (overwritten by the next one). */
  digest(): Uint8Array {
    if (this.#hashing === 'node') {
      for (let i = 0; i < 32; i++) this.#digest[i] = this.#binary.charCodeAt(i);
    }
    return this.#digest;
  }

  /** Hashes hex(SHA-256(seed)) + the id's UTF-8 text, and returns lowDigitsOf the hash. */
  hashText(idText: Uint8Array): number {
    this.buffer(idText.length).set(idText, this.idStart);
    return this.hashId(idText.length);
  }
}

/** How many of a ticket's first digits the fast key holds. */
export const LOW_DIGITS = 6;
/** 5^6 and 2^6: 10^6 = FIVES · 64. */
const FIVES = 15625;
/** The inverse of FIVES modulo 64 (15625 ≡ 9, and 9 · 57 = 513 ≡ 1). */
const FIVES_INVERSE_MOD_64 = 57;

/** h mod 10^6 from h mod 5^6 and the last byte of h (which holds h mod 2^6), by the CRT. */
function combineResidues(lastByte: number, fives: number): number {
  return fives + FIVES * ((((lastByte & 63) - fives) * FIVES_INVERSE_MOD_64) & 63);
}

/**
 * h mod 10^6, h the digest read as a big-endian integer: the first
 * LOW_DIGITS digits of its ticket, reversed. In 32-bit integers, the fastest
 * arithmetic JavaScript has: h mod 5^6 by Horner's rule over 16-bit limbs
 * (every intermediate is below 5^6 · 2^16 < 2^31), h mod 2^6 from the last
 * byte, combined by the Chinese remainder theorem.
 */
export function lowDigitsOf(digest: Uint8Array): number {
  if (digest.length % 2 !== 0 || digest.length === 0) {
    throw new RangeError('a digest of an odd or zero number of bytes');
  }
  let r = 0;
  for (let i = 0; i < digest.length; i += 2) {
    r = ((r << 16) | (digest[i]! << 8) | digest[i + 1]!) % FIVES;
  }
  return combineResidues(digest[digest.length - 1]!, r);
}

/**
 * Orders two tickets on their first LOW_DIGITS digits, given as lowDigitsOf
 * their hashes: the digits are compared lowest first, as the ticket text
 * reads them. 0 means those digits are equal, and only the full tickets can
 * tell.
 */
export function compareLowDigits(a: number, b: number): -1 | 0 | 1 {
  for (let i = 0; i < LOW_DIGITS && a !== b; i++) {
    const da = a % 10;
    const db = b % 10;
    if (da !== db) return da < db ? -1 : 1;
    a = (a - da) / 10;
    b = (b - db) / 10;
  }
  return 0;
}

/** Index of the first digit of x (after '0.') that is not a 9, in x + '0'. */
function afterNines(x: string): number {
  let p = 2;
  while (p < x.length && x[p] === '9') p++;
  return p;
}

function checkFraction(x: string): void {
  if (!/^0\.[0-9]*$/.test(x)) throw new RangeError(`not a fraction '0.ddd…': ${x}`);
}

/** The next ticket number after x: pseudo-random, uniform in (x, 1). */
export function nextFraction(x: string): string {
  checkFraction(x);
  const x0 = `${x}0`;
  const prefix = x0.slice(0, afterNines(x0));
  let y = '0.';
  for (let i = 1; y <= x0; i++) y = prefix + sha256Uniform(`${x}:${i}`).slice(2);
  return y;
}

/** A ticket number truncated to `digits` significant digits after its leading 9s. */
export function trimTicket(x: string, digits: number): string {
  checkFraction(x);
  return x.slice(0, afterNines(`${x}0`) + digits);
}

/** One draw of the sample. */
export interface SampleDraw<Id> {
  /** The ticket number, truncated to `digits` significant digits. */
  readonly ticket: string;
  readonly id: Id;
  /** How many times this id has been drawn, this draw included. */
  readonly generation: number;
}

/** How to draw, once the first tickets are known. */
export interface DrawOptions {
  readonly withReplacement?: boolean;
  /** Draws to skip first (an earlier round's sample), default 0. */
  readonly drop?: number;
  /** Draws to return after the dropped ones. */
  readonly take: number;
  /** Significant digits of the reported tickets after their leading 9s (default 9, as Rivest's). */
  readonly digits?: number;
}

/** How to draw. */
export interface ConsistentSampleOptions extends DrawOptions {
  /** The public seed (its Python `str()` is hashed). */
  readonly seed: PythonValue;
}

/** An id with its first ticket. */
export interface FirstTicket<Id> {
  /** The first ticket number, in full. */
  readonly number: string;
  /** The id's Python `str()`, which breaks ties between equal numbers. */
  readonly key: string;
  readonly id: Id;
}

interface HeapTicket<Id> extends FirstTicket<Id> {
  readonly generation: number;
}

/** A first ticket with the low digits of its hash (the fast key). */
export interface KeptTicket<Id> extends FirstTicket<Id> {
  /** lowDigitsOf the ticket's hash. */
  readonly low: number;
}

/** Python's order of Ticket tuples: ticket number, then the id's text. */
function before<Id>(a: FirstTicket<Id>, b: FirstTicket<Id>): boolean {
  return a.number < b.number || (a.number === b.number && a.key < b.key);
}

/** A binary heap whose top is the element `first` puts first. */
class Heap<T> {
  readonly items: T[] = [];
  constructor(private readonly first: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  top(): T | undefined {
    return this.items[0];
  }

  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.first(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.first(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.first(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function checkCount(name: string, n: number, allowInfinity: boolean): void {
  if (!(Number.isSafeInteger(n) && n >= 0) && !(allowInfinity && n === Infinity)) {
    throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  }
}

/** Checks the counts of DrawOptions and returns how many first tickets the draws can reach. */
export function countWantedTickets(options: DrawOptions): number {
  checkCount('drop', options.drop ?? 0, false);
  checkCount('take', options.take, true);
  checkCount('digits', options.digits ?? 9, false);
  return (options.drop ?? 0) + options.take;
}

/**
 * The `wanted` smallest first tickets of a stream of ids (a max-heap evicting
 * its largest). `admits` is the cheap filter on a hash's low digits: false
 * only for a ticket beyond the largest kept one, which could not enter;
 * `offer` then decides exactly, on the full ticket text.
 */
export class SmallestFirstTickets<Id> {
  readonly #kept = new Heap<KeptTicket<Id>>((a, b) => before(b, a));

  constructor(readonly wanted: number) {
    if (!(wanted >= 1)) throw new RangeError(`wanted must be at least 1, got ${wanted}`);
  }

  /** False when a ticket whose hash has these low digits (lowDigitsOf) surely cannot enter. */
  admits(low: number): boolean {
    const top = this.#kept.top();
    return (
      this.#kept.size < this.wanted || top === undefined || compareLowDigits(low, top.low) <= 0
    );
  }

  /** Keeps the ticket if it is among the `wanted` smallest so far. */
  offer(ticket: KeptTicket<Id>): void {
    if (this.#kept.size < this.wanted) this.#kept.push(ticket);
    else if (before(ticket, this.#kept.top()!)) {
      this.#kept.pop();
      this.#kept.push(ticket);
    }
  }

  /** The kept tickets, in no particular order. */
  tickets(): FirstTicket<Id>[] {
    return this.#kept.items.map(({ number, key, id }) => ({ number, key, id }));
  }
}

/**
 * Draws `drop + 1` to `drop + take` from ids given with their first tickets
 * (any order; they must include the `drop + take` smallest of the whole
 * population, e.g. the union of the SmallestFirstTickets of its slices), in
 * increasing ticket order, as Rivest's `sampler(...)` yields them.
 */
export function* drawFromFirstTickets<Id>(
  tickets: readonly FirstTicket<Id>[],
  options: DrawOptions,
): Generator<SampleDraw<Id>> {
  const wanted = countWantedTickets(options);
  const drop = options.drop ?? 0;
  const digits = options.digits ?? 9;
  const smallest = [...tickets]
    .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
    .slice(0, wanted);
  const heap = new Heap<HeapTicket<Id>>(before);
  for (const t of smallest) heap.push({ ...t, generation: 1 });
  let count = 0;
  while (heap.size > 0 && count < wanted) {
    const t = heap.pop()!;
    if (options.withReplacement === true) {
      heap.push({ ...t, number: nextFraction(t.number), generation: t.generation + 1 });
    }
    count += 1;
    if (count > drop) {
      yield { ticket: trimTicket(t.number, digits), id: t.id, generation: t.generation };
    }
  }
}

/**
 * The consistent sample of `ids` (distinct, each with a distinct Python
 * `str()`; not checked, to keep memory bounded): draws `drop + 1` to
 * `drop + take` in increasing ticket order, as Rivest's `sampler(...)` yields
 * them with `output='tuple'`.
 */
export function* drawConsistentSample<Id extends PythonValue>(
  ids: Iterable<Id>,
  options: ConsistentSampleOptions,
): Generator<SampleDraw<Id>> {
  const wanted = countWantedTickets(options);
  if (wanted === 0) return;
  const hasher = new FirstTicketHasher(pythonStr(options.seed));
  const kept = new SmallestFirstTickets<Id>(wanted);
  for (const id of ids) {
    const key = pythonStr(id);
    const low = hasher.hashText(utf8.encode(key));
    if (kept.admits(low)) kept.offer({ number: uniformOfDigest(hasher.digest()), key, id, low });
  }
  yield* drawFromFirstTickets(kept.tickets(), options);
}
