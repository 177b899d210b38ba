/**
 * Synthetic honest elections at national scale (issue #7, item 4): the null
 * against which the forensic tests' false-positive rates and detection power
 * are measured. Real honest elections are not one Gaussian blob — regions
 * differ in turnout and in preferences — so the generator is hierarchical,
 * as in the simulation studies that calibrate election forensics (e.g.
 * Klimek et al., PNAS 2012, whose fair model is the special case without
 * regions; Mebane's and Rozenas' simulations add such heterogeneity):
 *
 * - each region r draws a turnout effect ρ_r ~ N(0, σ_rt) on the logit scale
 *   and a preference effect ε_{r,c} ~ N(0, σ_rp) per candidate on the log scale;
 * - each mesa draws its electorate uniformly in [min, max], its own effects
 *   N(0, σ_mt) and N(0, σ_mp), so its turnout probability is
 *   logistic(logit(meanTurnout) + ρ_r + noise) and its preference vector is
 *   softmax(log share_c + ε_{r,c} + noise);
 * - counts are sampled: voters ~ Binomial(registered, p), invalid ~
 *   Binomial(voters, invalidRate), the valid votes multinomial over the
 *   candidates (sequential binomials), so digits and integer percentages
 *   carry the right sampling noise.
 */
import type { MesaResult } from './mesa-result.js';
import { createRandom } from './random.js';
import type { Random } from './random.js';

/** A candidate and their expected national share of the valid votes. */
export interface SimulatedCandidate {
  readonly name: string;
  /** Positive weight; the weights are normalised to sum to 1. */
  readonly share: number;
}

/** Standard deviations of the hierarchical effects (logit scale for turnout, log scale for preferences). */
export interface SimulationSpread {
  readonly regionTurnout: number;
  readonly mesaTurnout: number;
  readonly regionPreference: number;
  readonly mesaPreference: number;
}

export interface SimulationOptions {
  readonly mesas: number;
  readonly seed: number | string;
  readonly regions: number;
  /** National turnout probability around which regions vary, in (0, 1). */
  readonly meanTurnout: number;
  readonly spread: SimulationSpread;
  readonly candidates: readonly SimulatedCandidate[];
  /** Electorate per mesa, uniform in [min, max] (Venezuela: about 200–600). */
  readonly mesaSize: { readonly min: number; readonly max: number };
  /** Probability that a voter's ballot is null (default 0.02). */
  readonly invalidRate?: number;
}

/** A moderate heterogeneity, roughly that of a large presidential election without fraud. */
export const DEFAULT_SPREAD: SimulationSpread = {
  regionTurnout: 0.25,
  mesaTurnout: 0.15,
  regionPreference: 0.3,
  mesaPreference: 0.15,
};

/** Simulates an honest election; mesa ids are `R<region>-<mesa>` in order. */
export function simulateElection(options: SimulationOptions): MesaResult[] {
  const { mesas, regions, meanTurnout, spread, candidates, mesaSize } = options;
  const invalidRate = options.invalidRate ?? 0.02;
  if (!Number.isInteger(mesas) || mesas < 0)
    throw new RangeError(`mesas must be a non-negative integer, got ${mesas}`);
  if (!Number.isInteger(regions) || regions < 1)
    throw new RangeError(`regions must be a positive integer, got ${regions}`);
  if (!(meanTurnout > 0 && meanTurnout < 1))
    throw new RangeError(`meanTurnout must be in (0, 1), got ${meanTurnout}`);
  if (!(invalidRate >= 0 && invalidRate < 1))
    throw new RangeError(`invalidRate must be in [0, 1), got ${invalidRate}`);
  if (
    !Number.isInteger(mesaSize.min) ||
    !Number.isInteger(mesaSize.max) ||
    mesaSize.min < 1 ||
    mesaSize.max < mesaSize.min
  ) {
    throw new RangeError(
      `mesaSize must be integers 1 ≤ min ≤ max, got ${mesaSize.min} … ${mesaSize.max}`,
    );
  }
  for (const s of [
    spread.regionTurnout,
    spread.mesaTurnout,
    spread.regionPreference,
    spread.mesaPreference,
  ]) {
    if (!(s >= 0 && Number.isFinite(s)))
      throw new RangeError(`spreads must be finite and ≥ 0, got ${s}`);
  }
  const c = candidates.length;
  if (c < 1) throw new RangeError('at least one candidate is needed');
  if (new Set(candidates.map((k) => k.name)).size !== c)
    throw new RangeError('candidate names must be distinct');
  const totalShare = candidates.reduce((s, k) => s + k.share, 0);
  if (candidates.some((k) => !(k.share > 0)) || !Number.isFinite(totalShare)) {
    throw new RangeError('candidate shares must be positive');
  }
  const logShare = candidates.map((k) => Math.log(k.share / totalShare));

  const random = createRandom(options.seed);
  const regionTurnout = new Float64Array(regions);
  const regionPref = new Float64Array(regions * c);
  for (let r = 0; r < regions; r++) {
    regionTurnout[r] = spread.regionTurnout * random.nextNormal();
    for (let j = 0; j < c; j++)
      regionPref[r * c + j] = spread.regionPreference * random.nextNormal();
  }
  const baseLogit = Math.log(meanTurnout / (1 - meanTurnout));
  const width = String(regions).length;
  const weights = new Float64Array(c);
  const out: MesaResult[] = [];
  for (let i = 0; i < mesas; i++) {
    // Mesas are spread evenly over the regions (region = i mod regions keeps sizes equal).
    const r = i % regions;
    const registered = mesaSize.min + random.nextInt(mesaSize.max - mesaSize.min + 1);
    const p = logistic(
      baseLogit + (regionTurnout[r] as number) + spread.mesaTurnout * random.nextNormal(),
    );
    const voters = random.nextBinomial(registered, p);
    const invalid = random.nextBinomial(voters, invalidRate);
    const valid = voters - invalid;
    let maxEta = -Infinity;
    for (let j = 0; j < c; j++) {
      const eta =
        (logShare[j] as number) +
        (regionPref[r * c + j] as number) +
        spread.mesaPreference * random.nextNormal();
      weights[j] = eta;
      if (eta > maxEta) maxEta = eta;
    }
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp((weights[j] as number) - maxEta);
      weights[j] = e;
      sum += e;
    }
    const votes = drawMultinomial(random, valid, weights, sum, candidates);
    const region = `R${String(r + 1).padStart(width, '0')}`;
    out.push({
      id: `${region}-${String(i + 1).padStart(6, '0')}`,
      region: [region],
      registered,
      voters,
      valid,
      invalid,
      blank: null,
      votes,
      source: `simulated (seed ${String(options.seed)}) mesa ${i + 1}`,
    });
  }
  return out;
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Multinomial(n, weights/sum) as a chain of binomials on the remaining mass. */
function drawMultinomial(
  random: Random,
  n: number,
  weights: Float64Array,
  sum: number,
  candidates: readonly SimulatedCandidate[],
): Map<string, number> {
  const votes = new Map<string, number>();
  let left = n;
  let mass = sum;
  for (let j = 0; j < candidates.length; j++) {
    const name = (candidates[j] as SimulatedCandidate).name;
    const w = weights[j] as number;
    let k: number;
    if (j === candidates.length - 1) k = left;
    else {
      const p = mass > 0 ? Math.min(1, w / mass) : 0;
      k = left > 0 ? random.nextBinomial(left, p) : 0;
    }
    votes.set(name, k);
    left -= k;
    mass -= w;
  }
  return votes;
}
