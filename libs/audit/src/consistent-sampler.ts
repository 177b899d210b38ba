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
 * for the sample, not for the manifest.
 */
import { encodeHex, sha256 } from '@acta/crypto';
import { pythonStr, type PythonValue } from './python-str.js';

const utf8 = new TextEncoder();

/** Lowercase hex SHA-256 of the UTF-8 text (Python `hashlib.sha256(...).hexdigest()`). */
export function sha256Hex(text: string): string {
  return encodeHex(sha256(utf8.encode(text)));
}

/** The hash of `text` as a decimal fraction in (0, 1) (see the module header). */
export function sha256Uniform(text: string): string {
  const digits = BigInt(`0x${sha256Hex(text)}`)
    .toString(10)
    .padStart(64, '0');
  let reversed = '';
  for (let i = digits.length - 1; i >= 0; i--) reversed += digits[i];
  return `0.${reversed}`;
}

/** The first (generation 1) ticket number of an id. */
export function firstFraction(id: string, seed: string): string {
  return sha256Uniform(sha256Hex(seed) + id);
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

/** How to draw. */
export interface ConsistentSampleOptions {
  /** The public seed (its Python `str()` is hashed). */
  readonly seed: PythonValue;
  readonly withReplacement?: boolean;
  /** Draws to skip first (an earlier round's sample), default 0. */
  readonly drop?: number;
  /** Draws to return after the dropped ones. */
  readonly take: number;
  /** Significant digits of the reported tickets after their leading 9s (default 9, as Rivest's). */
  readonly digits?: number;
}

interface HeapTicket<Id> {
  readonly number: string;
  readonly key: string;
  readonly id: Id;
  readonly generation: number;
}

/** Python's order of Ticket tuples: ticket number, then the id's text. */
function before<Id>(a: HeapTicket<Id>, b: HeapTicket<Id>): boolean {
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
  const drop = options.drop ?? 0;
  const digits = options.digits ?? 9;
  checkCount('drop', drop, false);
  checkCount('take', options.take, true);
  checkCount('digits', digits, false);
  const wanted = drop + options.take;
  if (wanted === 0) return;
  const seed = pythonStr(options.seed);
  const seedHash = sha256Hex(seed);
  // The `wanted` smallest first tickets: a max-heap evicting the largest.
  const kept = new Heap<HeapTicket<Id>>((a, b) => before(b, a));
  for (const id of ids) {
    const key = pythonStr(id);
    const t: HeapTicket<Id> = {
      number: sha256Uniform(seedHash + key),
      key,
      id,
      generation: 1,
    };
    if (kept.size < wanted) kept.push(t);
    else if (before(t, kept.top()!)) {
      kept.pop();
      kept.push(t);
    }
  }
  const heap = new Heap<HeapTicket<Id>>(before);
  for (const t of kept.items) heap.push(t);
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
