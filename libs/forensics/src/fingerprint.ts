/**
 * The election fingerprint (issue #7, item 3): the 2D histogram of turnout
 * against the winner's share over the mesas, as in Klimek, Yegorov, Hanel and
 * Thurner, "Statistical detection of systematic election irregularities",
 * PNAS 109(41):16469–16473, 2012 (their "vote–turnout distribution", Fig. 1).
 * A fair election gives one compact, roughly Gaussian blob; incremental fraud
 * (ballots added and votes moved to the winner) smears it toward the upper
 * right, extreme fraud adds a second blob near 100% turnout and 100% share.
 *
 * The result is data only — bin counts and the two marginal histograms — so
 * the CLI can render it as an image and the Klimek fit (klimek-model.ts) can
 * compare it with its model. Turnout and share are those of every forensic
 * test here (distributions.ts `extractTurnoutShare`, one definition): turnout
 * is voters / registered, the winner's share is the winner's votes over the
 * ballots counted (valid + invalid + blank; voters when the source gives no
 * valid count), as BRIEF.md defines the leader's share for Russia 2012.
 */
import { extractTurnoutShare, type FractionExclusion } from './distributions.js';
import type { MesaResult } from './mesa-result.js';

/** What each mesa adds to its bin: 1 (the paper's figures) or its number of voters. */
export type FingerprintWeight = 'mesas' | 'voters';

export interface FingerprintOptions {
  /** Bins per axis on [0, 1] (default 100: 1-percentage-point bins). */
  readonly bins?: number;
  /** Weight of a mesa (default `'mesas'`). */
  readonly weight?: FingerprintWeight;
  /** The candidate whose share is plotted (default: the one with most votes in total). */
  readonly winner?: string;
}

export interface Fingerprint {
  readonly bins: number;
  readonly weight: FingerprintWeight;
  readonly winner: string;
  /**
   * Row-major `bins × bins` counts: `counts[t * bins + s]` holds the mesas (or
   * voters) with turnout in bin t and winner share in bin s; bin k covers
   * [k/bins, (k+1)/bins), the last one includes 1.
   */
  readonly counts: Float64Array;
  /** Marginal histogram of turnout (sums of `counts` rows). */
  readonly turnout: Float64Array;
  /** Marginal histogram of the winner's share (sums of `counts` columns). */
  readonly share: Float64Array;
  /** Sum of all weights. */
  readonly total: number;
  /** Number of mesas placed on the plane. */
  readonly used: number;
  /** Mesas left out, by reason (as distributions.ts `extractTurnoutShare` leaves them out). */
  readonly excluded: Readonly<Record<FractionExclusion, number>>;
}

/** The bin of a value in [0, 1] among `bins` equal bins (1 goes to the last bin). */
export function binOf(x: number, bins: number): number {
  const b = Math.floor(x * bins);
  return b >= bins ? bins - 1 : b < 0 ? 0 : b;
}

/** Computes the fingerprint of an election. */
export function computeFingerprint(
  results: readonly MesaResult[],
  options: FingerprintOptions = {},
): Fingerprint {
  const bins = options.bins ?? 100;
  if (!Number.isInteger(bins) || bins < 1 || bins > 2000) {
    throw new RangeError(`fingerprint bins must be an integer in 1 … 2000, got ${bins}`);
  }
  const weight = options.weight ?? 'mesas';
  const ts = extractTurnoutShare(
    results,
    options.winner === undefined ? {} : { leader: options.winner },
  );
  const counts = new Float64Array(bins * bins);
  const m = ts.turnout.length;
  let total = 0;
  for (let j = 0; j < m; j++) {
    let w: number;
    switch (weight) {
      case 'mesas':
        w = 1;
        break;
      case 'voters':
        w = ts.voters[j] as number;
        break;
      default: {
        const never: never = weight;
        throw new RangeError(`unknown fingerprint weight ${String(never)}`);
      }
    }
    const cell = binOf(ts.turnout[j] as number, bins) * bins + binOf(ts.share[j] as number, bins);
    counts[cell] = (counts[cell] as number) + w;
    total += w;
  }
  const turnout = new Float64Array(bins);
  const share = new Float64Array(bins);
  for (let t = 0; t < bins; t++) {
    for (let s = 0; s < bins; s++) {
      const c = counts[t * bins + s] as number;
      turnout[t] = (turnout[t] as number) + c;
      share[s] = (share[s] as number) + c;
    }
  }
  return {
    bins,
    weight,
    winner: ts.leader,
    counts,
    turnout,
    share,
    total,
    used: m,
    excluded: ts.excluded,
  };
}
