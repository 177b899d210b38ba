/**
 * Ballot sampling as Arlo draws it (VotingWorks Arlo, server/audit_math/
 * sampler.py `draw_sample`; issue #6): the ballots of a manifest are the ids
 * (batch name, position), positions 1 … n in each batch, fed to the
 * consistent sampler with 18-digit tickets; a later round drops the draws of
 * the earlier ones. A sample drawn here is the one Arlo draws from the same
 * seed and manifest, and vice versa. The ids are generated as the sampler
 * reads them, so a 20-million-ballot manifest is never held in memory.
 *
 * The id text Python hashes, `('<batch>', <position>)`, is written as UTF-8
 * bytes into the hasher's buffer: the batch part once per batch, the digits
 * of the position per ballot, so that a ballot costs one SHA-256 call and no
 * string (the ticket and id texts are built only for the ballots that may
 * enter the sample; consistent-sampler.ts). selectArloFirstTickets works on
 * any contiguous slice of the ballots: parallel-sample.ts splits a manifest
 * that way over worker threads, and merges the slices' tickets.
 */
import {
  DEFAULT_FIRST_TICKET_HASHING,
  FirstTicketHasher,
  SmallestFirstTickets,
  countWantedTickets,
  drawFromFirstTickets,
  uniformOfDigest,
  type DrawOptions,
  type FirstTicket,
  type FirstTicketHashing,
  type SampleDraw,
} from './consistent-sampler.js';
import { pythonRepr } from './python-str.js';

/** One batch of a ballot manifest (`Batch Name,Number of Ballots`). */
export interface ManifestBatch {
  readonly batch: string;
  readonly ballots: number;
}

/** One ballot of the sample, as Arlo reports it. */
export interface ArloSampledBallot {
  /** The ticket number, 18 significant digits (after any leading 9s). */
  readonly ticket: string;
  readonly batch: string;
  /** 1-based position of the ballot in its batch. */
  readonly position: number;
  /** How many times the ballot has been drawn, this draw included (with replacement). */
  readonly timesSampled: number;
}

/** How to draw (Arlo's `draw_sample` arguments). */
export interface ArloSampleOptions {
  readonly seed: string;
  readonly sampleSize: number;
  /** Draws of earlier rounds (`num_sampled`), default 0. */
  readonly alreadyDrawn?: number;
  /** Arlo's default is with replacement. */
  readonly withReplacement?: boolean;
}

/** Arlo's ticket precision. */
export const ARLO_TICKET_DIGITS = 18;

/** A ballot as a sampler id: the index of its batch in the manifest, and its 1-based position. */
export type BallotRef = readonly [batchIndex: number, position: number];

/**
 * Checks a manifest (whole non-negative ballot counts, batch names whose
 * Python repr is supported) and returns its number of ballots. Throws a
 * RangeError otherwise.
 */
export function countManifestBallots(manifest: readonly ManifestBatch[]): number {
  let total = 0;
  for (const b of manifest) {
    if (!Number.isSafeInteger(b.ballots) || b.ballots < 0) {
      throw new RangeError(
        `batch ${b.batch}: the number of ballots must be a non-negative integer`,
      );
    }
    pythonRepr(b.batch);
    total += b.ballots;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('the manifest has too many ballots');
  return total;
}

/** The consistent sampler's options for Arlo's arguments. */
export function toDrawOptions(options: ArloSampleOptions): DrawOptions {
  return {
    withReplacement: options.withReplacement ?? true,
    drop: options.alreadyDrawn ?? 0,
    take: options.sampleSize,
    digits: ARLO_TICKET_DIGITS,
  };
}

/** The longest position text: 16 digits (safe integers) and ')'. */
const POSITION_BYTES = 17;
const utf8 = new TextEncoder();

/**
 * The `wanted` smallest first tickets among ballots `from` (inclusive) to `to`
 * (exclusive) of the manifest, counted from 0 across its batches in order.
 * The manifest must have passed countManifestBallots. `hashing` is for tests
 * (both give the same bytes).
 */
export function selectArloFirstTickets(
  manifest: readonly ManifestBatch[],
  seed: string,
  wanted: number,
  from: number,
  to: number,
  hashing: FirstTicketHashing = DEFAULT_FIRST_TICKET_HASHING,
): FirstTicket<BallotRef>[] {
  const hasher = new FirstTicketHasher(seed, hashing);
  const kept = new SmallestFirstTickets<BallotRef>(wanted);
  let start = 0;
  for (let b = 0; b < manifest.length && start < to; b++) {
    const { batch, ballots } = manifest[b]!;
    const first = Math.max(1, from - start + 1);
    const last = Math.min(ballots, to - start);
    start += ballots;
    if (first > last) continue;
    const prefix = `(${pythonRepr(batch)}, `;
    const prefixBytes = utf8.encode(prefix);
    const at = hasher.idStart + prefixBytes.length;
    const text = hasher.buffer(prefixBytes.length + POSITION_BYTES);
    text.set(prefixBytes, hasher.idStart);
    let digits = String(first).length;
    let nextPower = 10 ** digits;
    for (let position = first; position <= last; position++) {
      if (position === nextPower) {
        digits += 1;
        nextPower *= 10;
      }
      let i = at + digits;
      text[i] = 0x29; // ')'
      for (let x = position; i > at;) {
        const d = x % 10;
        text[--i] = 0x30 + d;
        x = (x - d) / 10;
      }
      const low = hasher.hashId(prefixBytes.length + digits + 1);
      if (kept.admits(low)) {
        kept.offer({
          number: uniformOfDigest(hasher.digest()),
          key: `${prefix}${position})`,
          id: [b, position],
          low,
        });
      }
    }
  }
  return kept.tickets();
}

/** Arlo's report of draws whose ids are BallotRefs into `manifest`. */
export function toSampledBallots(
  manifest: readonly ManifestBatch[],
  draws: Iterable<SampleDraw<BallotRef>>,
): ArloSampledBallot[] {
  return Array.from(draws, (d) => ({
    ticket: d.ticket,
    batch: manifest[d.id[0]]!.batch,
    position: d.id[1],
    timesSampled: d.generation,
  }));
}

/** Draws `sampleSize` ballots after the `alreadyDrawn` of earlier rounds, in draw order. */
export function drawArloSample(
  manifest: readonly ManifestBatch[],
  options: ArloSampleOptions,
): ArloSampledBallot[] {
  const total = countManifestBallots(manifest);
  const draw = toDrawOptions(options);
  const wanted = countWantedTickets(draw);
  if (wanted === 0 || total === 0) return [];
  const tickets = selectArloFirstTickets(manifest, options.seed, wanted, 0, total);
  return toSampledBallots(manifest, drawFromFirstTickets(tickets, draw));
}
