/**
 * Batch samples drawn proportionally to each batch's error bound (PPEB: J. A.
 * Aslam, R. A. Popa, R. L. Rivest, "On Auditing Elections When Precincts Have
 * Different Sizes", 2008; P. B. Stark, "Risk-limiting post-election audits:
 * P-values from common probability inequalities", 2009), exactly as VotingWorks
 * Arlo draws them (server/audit_math/sampler.py `draw_ppeb_sample`; issue #6,
 * items 1 and 3), so that Arlo redraws the same batches from the same seed:
 *
 *   - numpy's `default_rng(int(sha256_hex(seed), 16))` draws `earlier + n`
 *     batches with replacement, weighted by `float(u_p / U)` (numpy-random.ts,
 *     macro.ts), batches in the order given; the first `earlier` are the
 *     earlier rounds' draws, so a round continues the same stream;
 *   - when `earlier + n` reaches the number of batches, the audit becomes a full
 *     hand count: every batch not drawn before, in sorted order;
 *   - each draw gets a ticket from Rivest's consistent sampler: a batch's first
 *     ticket from the key `(jurisdiction, batch)` and the seed, each later one
 *     the next fraction after its previous (trimmed) ticket, 18 digits.
 */
import type { Contest } from './contest.js';
import { firstFraction, nextFraction, sha256Hex, trimTicket } from './consistent-sampler.js';
import { computeMacroU, computePpebWeights, type BatchTally } from './macro.js';
import { NumpyGenerator } from './numpy-random.js';
import { pythonStr } from './python-str.js';

/** One draw, as Arlo returns it (its batch key is the pair jurisdiction, batch). */
export interface PpebSampledBatch {
  readonly ticket: string;
  readonly jurisdiction: string;
  readonly batch: string;
  /** How many times the batch has been drawn, earlier rounds and this draw included. */
  readonly timesSampled: number;
}

export interface PpebSampleOptions {
  /** The jurisdiction of the batches (Arlo keys batches by jurisdiction and name); default ''. */
  readonly jurisdiction?: string;
  /** Ticket digits (Arlo: 18; versions before 2021 wrote 16). */
  readonly ticketDigits?: number;
}

/** Python's order of strings: by code point (JavaScript's < compares UTF-16 units). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Draws `sampleSize` batches after the earlier rounds' draws (`alreadyDrawn`:
 * their batch names in draw order, or only their number when no full hand
 * count can follow), in draw order. Empty when no batch holds the contest.
 * Throws RangeError for a tied contest short of a full hand count.
 */
export function drawPpebSample(
  seed: string,
  contest: Contest,
  reported: readonly BatchTally[],
  sampleSize: number,
  alreadyDrawn: number | readonly string[] = 0,
  options: PpebSampleOptions = {},
): PpebSampledBatch[] {
  if (reported.length === 0) throw new RangeError('a PPEB sample needs batch tallies');
  if (!Number.isSafeInteger(sampleSize) || sampleSize < 0) {
    throw new RangeError(`the sample size must be a non-negative integer, got ${sampleSize}`);
  }
  const jurisdiction = options.jurisdiction ?? '';
  const digits = options.ticketDigits ?? 18;
  const names = reported.map((b) => b.batch);
  if (new Set(names).size !== names.length) throw new RangeError('a batch is reported twice');
  const earlier = typeof alreadyDrawn === 'number' ? alreadyDrawn : alreadyDrawn.length;
  if (!Number.isSafeInteger(earlier) || earlier < 0) {
    throw new RangeError(`alreadyDrawn must be a non-negative integer, got ${earlier}`);
  }
  // No batch holds the contest: nothing to draw (Arlo returns no draw).
  if (computeMacroU(contest, reported) === 0) return [];
  const total = earlier + sampleSize;
  let drawn: string[];
  if (total >= reported.length) {
    // A full hand count: the earlier draws, then every other batch once. No
    // weights are needed, so a tied contest can be fully counted.
    if (typeof alreadyDrawn === 'number' && earlier > 0) {
      throw new RangeError('a full hand count after earlier rounds needs their batch names');
    }
    const before = typeof alreadyDrawn === 'number' ? [] : [...alreadyDrawn];
    const seen = new Set(before);
    drawn = [...before, ...names.filter((n) => !seen.has(n)).sort(compareCodePoints)];
  } else {
    const weights = computePpebWeights(contest, reported);
    const generator = new NumpyGenerator(BigInt(`0x${sha256Hex(seed)}`));
    drawn = generator.chooseWithReplacement(weights, total).map((i) => names[i]!);
  }
  const last = new Map<string, { ticket: string; times: number }>();
  const out: PpebSampledBatch[] = [];
  for (const batch of drawn) {
    const prev = last.get(batch);
    const ticket = trimTicket(
      prev === undefined
        ? firstFraction(pythonStr([jurisdiction, batch]), seed)
        : nextFraction(prev.ticket),
      digits,
    );
    const times = (prev?.times ?? 0) + 1;
    last.set(batch, { ticket, times });
    out.push({ ticket, jurisdiction, batch, timesSampled: times });
  }
  return out.slice(earlier);
}
