/**
 * Ballot sampling as Arlo draws it (VotingWorks Arlo, server/audit_math/
 * sampler.py `draw_sample`; issue #6): the ballots of a manifest are the ids
 * (batch name, position), positions 1 … n in each batch, fed to the
 * consistent sampler with 18-digit tickets; a later round drops the draws of
 * the earlier ones. A sample drawn here is the one Arlo draws from the same
 * seed and manifest, and vice versa. The ids are generated as the sampler
 * reads them, so a 20-million-ballot manifest is never held in memory.
 */
import { drawConsistentSample } from './consistent-sampler.js';

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

function* ballotIds(manifest: readonly ManifestBatch[]): Generator<readonly [string, number]> {
  for (const { batch, ballots } of manifest) {
    for (let position = 1; position <= ballots; position++) yield [batch, position];
  }
}

/** Draws `sampleSize` ballots after the `alreadyDrawn` of earlier rounds, in draw order. */
export function drawArloSample(
  manifest: readonly ManifestBatch[],
  options: ArloSampleOptions,
): ArloSampledBallot[] {
  for (const b of manifest) {
    if (!Number.isSafeInteger(b.ballots) || b.ballots < 0) {
      throw new RangeError(
        `batch ${b.batch}: the number of ballots must be a non-negative integer`,
      );
    }
  }
  const draws = drawConsistentSample(ballotIds(manifest), {
    seed: options.seed,
    withReplacement: options.withReplacement ?? true,
    drop: options.alreadyDrawn ?? 0,
    take: options.sampleSize,
    digits: ARLO_TICKET_DIGITS,
  });
  return [...draws].map((d) => ({
    ticket: d.ticket,
    batch: d.id[0],
    position: d.id[1],
    timesSampled: d.generation,
  }));
}
