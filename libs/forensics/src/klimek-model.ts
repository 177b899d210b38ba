/**
 * The fraud model of Klimek, Yegorov, Hanel and Thurner, "Statistical
 * detection of systematic election irregularities", PNAS 109(41):16469–16473,
 * 2012 (section "Fraud model" and Fig. 4), fitted to an election's
 * fingerprint (issue #7, item 3).
 *
 * The model. Every mesa i keeps its real electorate N_i. In a fair election
 * its turnout a_i and the winner's share v_i are independent normals around
 * the national values (a, v) with widths (σ_a, σ_v), truncated to [0, 1].
 * With probability f_i a mesa has *incremental* fraud: a fraction x_i of its
 * non-voters is counted as voting for the winner (ballot stuffing) and a
 * fraction x_i^α of the opposition's votes is moved to the winner (wrong
 * counting); x_i is half-normal with width θ, truncated below 1. With
 * probability f_e it has *extreme* fraud: the same with y_i = 1 − |N(0, 0.075)|,
 * so turnout and share both land near 100%. The widths 0.075 and the x_i^α
 * form follow the authors' reference implementation (ElectionFitter, as
 * ported to R in Mebane's Election Forensics Toolkit, `ComputeKlimekModel`).
 *
 * The honest parameters come from the side of the distributions fraud does
 * not reach (fraud only moves mesas up and right): a and v are the modes of
 * the turnout and share histograms (200 bins, 9-bin moving average, the top
 * 5% excluded so an extreme-fraud peak at 100% is never taken as the mode),
 * σ_a and σ_v the root-mean-square distance to the mode of the mesas below it
 * (then refined jointly with the fit, below).
 *
 * The fit. As in the paper, f_i and f_e minimise the pointwise sum of
 * squared differences between the model's and the data's fingerprint (both
 * as fractions of mesas, `bins × bins` cells on [0, 1]²). Instead of one
 * noisy simulation per grid point (the paper averages many), we use the
 * model's *expected* fingerprint: (1 − f_i − f_e)·H₀ + f_i·H_i + f_e·H_e,
 * where H₀ is the fair model's fingerprint, computed exactly from the normal
 * distribution (simulating it would put its sampling noise into both the
 * residual and the fraud direction and bias f_i upward — see
 * `honestHistogram`), and H_i, H_e are the fingerprints of every mesa
 * simulated with incremental and with extreme fraud. That is linear in
 * (f_i, f_e), so for each (α, θ) on the grid the best (f_i, f_e) is an exact
 * constrained least-squares solution (f_i, f_e ≥ 0, f_i + f_e ≤ 1):
 * continuous resolution in f, no f grid, a handful of passes over the mesas.
 * α and θ are chosen on a grid (default α ∈ {0.5, 1, 1.5, 2} as in the
 * reference implementation, θ ∈ {0.1, 0.15, …, 0.4}); a result at the edge
 * of the grid means the data wanted a value outside it.
 *
 * The quick honest estimate is then refined with f_i and f_e: a coordinate
 * search over the four honest parameters minimising the same distance (the
 * paper fits the fair model's widths too), because fraud pulls the modes
 * right and a fair blob placed 0.01 off would otherwise be "corrected" by
 * spurious incremental fraud. All simulations of one fit reuse the same
 * per-mesa normal draws (common random numbers), so the distance is a
 * deterministic function of the parameters.
 *
 * Resolution: f_e is sharp (±0.005 at 20,000 mesas); f_i is weakly
 * identified — a mesa with small x_i looks fair, and θ trades off with f_i —
 * so expect ±0.1 on f_i at 20,000 mesas.
 *
 * Uncertainty: a nonparametric bootstrap over mesas (resample mesas with
 * replacement, re-estimate the honest parameters with the quick estimator
 * shifted by the refinement found on the full data, re-simulate, re-fit f_i
 * and f_e with α and θ fixed at the point estimate); percentile intervals.
 * Because α and θ are held fixed, the f_i interval is conditional on them
 * and too narrow when θ is poorly determined.
 *
 * What a fit is not: proof. The model's fair election is one Gaussian blob;
 * a country whose regions differ (urban/rural turnout, ethnic voting blocs)
 * has a wider or multi-modal honest fingerprint that the model can only
 * describe as "fraud". A non-zero f_i says the data look like the model's
 * fraud, not that fraud happened (Mebane and others make this criticism).
 */
import { extractTurnoutShare, type FractionExclusion } from './distributions.js';
import { binOf } from './fingerprint.js';
import type { MesaResult } from './mesa-result.js';
import { computeQuantileSorted } from './quantile.js';
import { createRandom } from './random.js';
import type { Random } from './random.js';

/** The search grid for the fit. */
export interface KlimekGrid {
  /** Bins per axis of the fingerprint compared (default: √(mesas/4) clamped to 10 … 100). */
  readonly bins?: number;
  /** Exponents α of the opposition's share moved (default 0.5, 1, 1.5, 2). */
  readonly alphas?: readonly number[];
  /** Widths θ of the incremental fraud's x_i (default 0.1 … 0.4 by 0.05). */
  readonly thetas?: readonly number[];
}

export interface KlimekOptions {
  /** Seed of the model simulations and the bootstrap. */
  readonly seed: number | string;
  /** Bootstrap draws for the intervals (0: no intervals). */
  readonly draws: number;
  readonly grid?: KlimekGrid;
  /** The candidate treated as the winner (default: most votes in total). */
  readonly winner?: string;
  /** Coverage of the intervals (default 0.95). */
  readonly level?: number;
}

/** The fair election's parameters, estimated from the data. */
export interface KlimekHonest {
  readonly turnout: number;
  readonly turnoutSpread: number;
  readonly share: number;
  readonly shareSpread: number;
}

export interface KlimekFit {
  readonly winner: string;
  /** Mesas fitted, and those left out (no turnout or share; see fingerprint.ts). */
  readonly used: number;
  readonly excluded: Readonly<Record<FractionExclusion, number>>;
  /** Fraction of mesas with incremental fraud. */
  readonly fi: number;
  /** Fraction of mesas with extreme fraud. */
  readonly fe: number;
  /** Exponent of the opposition votes moved (x^α), from the grid. */
  readonly alpha: number;
  /** Width of the incremental fraud x_i, from the grid. */
  readonly theta: number;
  readonly honest: KlimekHonest;
  /** Sum of squared differences (fractions of mesas) at the fit, and with f_i = f_e = 0. */
  readonly distance: number;
  readonly fairDistance: number;
  /** Percentile bootstrap intervals; null when `draws` is 0. */
  readonly ci: {
    readonly fi: readonly [number, number];
    readonly fe: readonly [number, number];
  } | null;
  readonly level: number;
  readonly draws: number;
  /** Bins per axis of the three fingerprints below (row = turnout bin, column = share bin). */
  readonly bins: number;
  /** The data's fingerprint, as fractions of mesas. */
  readonly observed: Float64Array;
  /** The fitted model's expected fingerprint. */
  readonly fitted: Float64Array;
  /** The same model without fraud (f_i = f_e = 0): what a fair election would look like. */
  readonly fair: Float64Array;
}

const DEFAULT_ALPHAS: readonly number[] = [0.5, 1, 1.5, 2];
/**
 * θ starts at 0.1: below it incremental fraud moves a mesa by about a
 * percentage point, which the fit cannot tell from a fair blob centred a
 * little higher (f_i and the fair mean trade off), so small θ only fits noise.
 */
const DEFAULT_THETAS: readonly number[] = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4];
/** Width of 1 − y_i for extreme fraud (reference implementation). */
const EXTREME_WIDTH = 0.075;

/** Fits the Klimek et al. model to an election. */
export function fitKlimekModel(results: readonly MesaResult[], options: KlimekOptions): KlimekFit {
  const draws = options.draws;
  if (!Number.isInteger(draws) || draws < 0) {
    throw new RangeError(`draws must be a non-negative integer, got ${draws}`);
  }
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const ts = extractTurnoutShare(
    results,
    options.winner === undefined ? {} : { leader: options.winner },
  );
  const m = ts.turnout.length;
  if (m < 10) throw new RangeError(`the Klimek fit needs at least 10 usable mesas, got ${m}`);
  const bins = options.grid?.bins ?? Math.min(100, Math.max(10, Math.round(Math.sqrt(m / 4))));
  if (!Number.isInteger(bins) || bins < 2 || bins > 400) {
    throw new RangeError(`grid.bins must be an integer in 2 … 400, got ${bins}`);
  }
  const alphas = options.grid?.alphas ?? DEFAULT_ALPHAS;
  const thetas = options.grid?.thetas ?? DEFAULT_THETAS;
  if (alphas.length === 0 || alphas.some((a) => !(a > 0))) {
    throw new RangeError('grid.alphas must be positive numbers');
  }
  if (thetas.length === 0 || thetas.some((t) => !(t > 0 && t <= 1))) {
    throw new RangeError('grid.thetas must be numbers in (0, 1]');
  }
  const random = createRandom(options.seed);
  // Common random numbers: every simulation below reuses these per-slot
  // standard normals, so the objective is a deterministic function of the
  // parameters and the honest refinement can compare neighbours exactly.
  const draws0 = drawNormals(m, random);

  const observed = histogram(ts.turnout, ts.share, null, bins);
  const initial = estimateHonest(ts.turnout, ts.share);
  const searchGrid = (hon: KlimekHonest): GridFit => {
    let best: GridFit | undefined;
    for (const alpha of alphas) {
      // H_e does not depend on θ: simulate it with the first θ only.
      let he: Float64Array | null = null;
      for (const theta of thetas) {
        const h = simulateClasses(ts.registered, null, hon, alpha, theta, draws0, bins, he);
        he = h.he;
        const f = solveFractions(observed, h.h0, h.hi, h.he);
        if (best === undefined || f.distance < best.distance) best = { ...f, ...h, alpha, theta };
      }
    }
    if (best === undefined) throw new Error('unreachable: the grid is not empty');
    return best;
  };
  const first = searchGrid(initial);
  const honest = refineHonest(initial, (hon) => {
    const h = simulateClasses(
      ts.registered,
      null,
      hon,
      first.alpha,
      first.theta,
      draws0,
      bins,
      null,
    );
    return solveFractions(observed, h.h0, h.hi, h.he).distance;
  });
  const fit = searchGrid(honest);
  const h0 = fit.h0;

  const fitted = new Float64Array(bins * bins);
  let fairDistance = 0;
  for (let c = 0; c < fitted.length; c++) {
    const z = h0[c] as number;
    fitted[c] = z + fit.fi * ((fit.hi[c] as number) - z) + fit.fe * ((fit.he[c] as number) - z);
    const d = (observed[c] as number) - z;
    fairDistance += d * d;
  }

  let ci: KlimekFit['ci'] = null;
  if (draws > 0) {
    // Each draw re-estimates the honest parameters with the quick estimator
    // and shifts them by the refinement found on the full data (refitting
    // all four per draw would cost ~40 simulations each); α, θ stay fixed.
    const shift = {
      turnout: honest.turnout - initial.turnout,
      turnoutSpread: honest.turnoutSpread / initial.turnoutSpread,
      share: honest.share - initial.share,
      shareSpread: honest.shareSpread / initial.shareSpread,
    };
    // One set of normals serves every draw: slot k meets a different mesa
    // in each resample, and drawing 6·m normals per draw would double its cost.
    const bootNormals = drawNormals(m, random);
    const fis = new Float64Array(draws);
    const fes = new Float64Array(draws);
    const pick = new Int32Array(m);
    const fineT = newFineHistogram();
    const fineS = newFineHistogram();
    for (let b = 0; b < draws; b++) {
      // One pass: the resample, its fingerprint and the fine histograms that
      // give the quick honest estimate.
      const obs = new Float64Array(bins * bins);
      for (const f of [fineT, fineS]) {
        f.counts.fill(0);
        f.sums.fill(0);
        f.squares.fill(0);
      }
      const w = 1 / m;
      for (let k = 0; k < m; k++) {
        const j = random.nextInt(m);
        pick[k] = j;
        const t = ts.turnout[j] as number;
        const v = ts.share[j] as number;
        const cell = binOf(t, bins) * bins + binOf(v, bins);
        obs[cell] = (obs[cell] as number) + w;
        addFine(fineT, t);
        addFine(fineS, v);
      }
      const [qt, qts] = modeAndLeftSpreadOf(fineT);
      const [qs, qss] = modeAndLeftSpreadOf(fineS);
      const q: KlimekHonest = { turnout: qt, turnoutSpread: qts, share: qs, shareSpread: qss };
      const hon: KlimekHonest = {
        turnout: q.turnout + shift.turnout,
        turnoutSpread: q.turnoutSpread * shift.turnoutSpread,
        share: q.share + shift.share,
        shareSpread: q.shareSpread * shift.shareSpread,
      };
      const h = simulateClasses(
        ts.registered,
        pick,
        hon,
        fit.alpha,
        fit.theta,
        bootNormals,
        bins,
        null,
      );
      const f = solveFractions(obs, h.h0, h.hi, h.he);
      fis[b] = f.fi;
      fes[b] = f.fe;
    }
    const lo = (1 - level) / 2;
    ci = {
      fi: [quantile(fis, lo), quantile(fis, 1 - lo)],
      fe: [quantile(fes, lo), quantile(fes, 1 - lo)],
    };
  }

  return {
    winner: ts.leader,
    used: m,
    excluded: ts.excluded,
    fi: fit.fi,
    fe: fit.fe,
    alpha: fit.alpha,
    theta: fit.theta,
    honest,
    distance: fit.distance,
    fairDistance,
    ci,
    level,
    draws,
    bins,
    observed,
    fitted,
    fair: h0,
  };
}

interface Fractions {
  readonly fi: number;
  readonly fe: number;
  readonly distance: number;
}

interface ClassHistograms {
  readonly h0: Float64Array;
  readonly hi: Float64Array;
  readonly he: Float64Array;
}

interface GridFit extends Fractions, ClassHistograms {
  readonly alpha: number;
  readonly theta: number;
}

/**
 * Minimises ‖D − H₀ − f_i(H_i − H₀) − f_e(H_e − H₀)‖² over f_i, f_e ≥ 0,
 * f_i + f_e ≤ 1. The objective is a convex quadratic, so its minimum on the
 * triangle is the unconstrained minimum if feasible, else the best of the
 * minima on the three edges.
 */
export function solveFractions(
  observed: Float64Array,
  h0: Float64Array,
  hi: Float64Array,
  he: Float64Array,
): Fractions {
  let aa = 0;
  let ab = 0;
  let bb = 0;
  let ar = 0;
  let br = 0;
  let rr = 0;
  for (let c = 0; c < observed.length; c++) {
    const z = h0[c] as number;
    const a = (hi[c] as number) - z;
    const b = (he[c] as number) - z;
    const r = (observed[c] as number) - z;
    aa += a * a;
    ab += a * b;
    bb += b * b;
    ar += a * r;
    br += b * r;
    rr += r * r;
  }
  const q = (x: number, y: number): number =>
    Math.max(0, rr - 2 * x * ar - 2 * y * br + x * x * aa + 2 * x * y * ab + y * y * bb);
  const candidates: [number, number][] = [];
  const det = aa * bb - ab * ab;
  if (det > 1e-300 * Math.max(1, aa * bb)) {
    const x = (ar * bb - br * ab) / det;
    const y = (br * aa - ar * ab) / det;
    if (x >= 0 && y >= 0 && x + y <= 1) candidates.push([x, y]);
  }
  const clamp01 = (t: number): number => (t < 0 ? 0 : t > 1 ? 1 : t);
  // Edge f_e = 0 and edge f_i = 0.
  candidates.push([aa > 0 ? clamp01(ar / aa) : 0, 0]);
  candidates.push([0, bb > 0 ? clamp01(br / bb) : 0]);
  // Edge f_i + f_e = 1: f_i = t, f_e = 1 − t; minimise over t in [0, 1].
  const d2 = aa - 2 * ab + bb;
  const t = d2 > 0 ? clamp01((ar - br - ab + bb) / d2) : 0;
  candidates.push([t, 1 - t]);
  let best: Fractions = { fi: 0, fe: 0, distance: rr };
  for (const [x, y] of candidates) {
    const d = q(x, y);
    if (d < best.distance) best = { fi: x, fe: y, distance: d };
  }
  return best;
}

/**
 * The fair election's parameters from the side of each distribution that
 * fraud does not reach (see the module comment).
 */
export function estimateHonest(turnout: Float64Array, share: Float64Array): KlimekHonest {
  const [a, sa] = modeAndLeftSpread(turnout);
  const [v, sv] = modeAndLeftSpread(share);
  return { turnout: a, turnoutSpread: sa, share: v, shareSpread: sv };
}

const MODE_BINS = 200;
const FINE_BINS = 4000;
const MODE_SMOOTH = 4;
/** The mode is searched below this value, so an extreme-fraud peak at 100% is never taken for it. */
const MODE_CEILING = 0.95;
/** Half-width of the mean-shift window refining the mode. */
const MODE_WINDOW = 0.02;

function modeAndLeftSpread(x: Float64Array): [number, number] {
  const acc = newFineHistogram();
  for (let k = 0; k < x.length; k++) addFine(acc, x[k] as number);
  return modeAndLeftSpreadOf(acc);
}

/** Counts, sums and sums of squares in FINE_BINS bins: enough for the mode and the left spread. */
interface FineHistogram {
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly squares: Float64Array;
}

function newFineHistogram(): FineHistogram {
  return {
    counts: new Float64Array(FINE_BINS),
    sums: new Float64Array(FINE_BINS),
    squares: new Float64Array(FINE_BINS),
  };
}

function addFine(h: FineHistogram, v: number): void {
  const b = binOf(v, FINE_BINS);
  h.counts[b] = (h.counts[b] as number) + 1;
  h.sums[b] = (h.sums[b] as number) + v;
  h.squares[b] = (h.squares[b] as number) + v * v;
}

function modeAndLeftSpreadOf(h: FineHistogram): [number, number] {
  const { counts, sums, squares } = h;
  // The peak of a 200-bin histogram smoothed over 9 bins, below the ceiling.
  const ratio = FINE_BINS / MODE_BINS;
  const coarse = new Float64Array(MODE_BINS);
  for (let b = 0; b < FINE_BINS; b++) {
    const c = Math.floor(b / ratio);
    coarse[c] = (coarse[c] as number) + (counts[b] as number);
  }
  let bestBin = 0;
  let bestCount = -1;
  const top = Math.floor(MODE_CEILING * MODE_BINS);
  for (let b = 0; b < top; b++) {
    let s = 0;
    for (let d = -MODE_SMOOTH; d <= MODE_SMOOTH; d++) s += coarse[b + d] ?? 0;
    if (s > bestCount) {
      bestCount = s;
      bestBin = b;
    }
  }
  // The peak is noisy (±1–2 bins): a few mean-shift steps with a narrow
  // symmetric window (±0.02) move it to the local centre of mass. Fraud can
  // still pull it (it only adds mass to the right), which the joint
  // refinement of the honest parameters corrects.
  let mode = (bestBin + 0.5) / MODE_BINS;
  const half = Math.round(MODE_WINDOW * FINE_BINS);
  for (let step = 0; step < 20; step++) {
    const centre = binOf(mode, FINE_BINS);
    let s = 0;
    let n = 0;
    for (let b = Math.max(0, centre - half); b <= Math.min(FINE_BINS - 1, centre + half); b++) {
      s += sums[b] as number;
      n += counts[b] as number;
    }
    if (n === 0) break;
    const next = s / n;
    if (Math.abs(next - mode) < 1e-7) break;
    mode = next;
  }
  // Σ (x − mode)² over the bins below the mode's bin, from the bin sums
  // (the mode's own bin, 1/4000 wide, is left out: a negligible bias).
  const below = binOf(mode, FINE_BINS);
  let ss = 0;
  let n = 0;
  for (let b = 0; b < below; b++) {
    const c = counts[b] as number;
    if (c === 0) continue;
    ss += (squares[b] as number) - 2 * mode * (sums[b] as number) + c * mode * mode;
    n += c;
  }
  // A floor keeps the fair blob from collapsing into one bin on odd data.
  const spread = Math.max(n > 0 ? Math.sqrt(Math.max(0, ss) / n) : 0, 0.5 / MODE_BINS);
  return [mode, spread];
}

/** Per-slot standard normals: two tries each for turnout and share (truncation), one per fraud kind. */
interface Normals {
  readonly a1: Float64Array;
  readonly a2: Float64Array;
  readonly v1: Float64Array;
  readonly v2: Float64Array;
  readonly xi: Float64Array;
  readonly xe: Float64Array;
}

function drawNormals(m: number, random: Random): Normals {
  const make = (): Float64Array => {
    const z = new Float64Array(m);
    for (let k = 0; k < m; k++) z[k] = random.nextNormal();
    return z;
  };
  return { a1: make(), a2: make(), v1: make(), v2: make(), xi: make(), xe: make() };
}

/** A normal truncated to [0, 1] from two tries (then clamped: rare for fingerprints inside the square). */
function truncated(mean: number, sd: number, z1: number, z2: number): number {
  const x = mean + sd * z1;
  if (x >= 0 && x <= 1) return x;
  const y = mean + sd * z2;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/**
 * Simulates every slot as honest, as incrementally and as extremely
 * fraudulent, in one pass, and returns the three fingerprints as fractions
 * of mesas. Slot k has electorate registered[pick[k]] (pick null: slot = mesa).
 * `knownExtreme`, when given, is returned as H_e instead of simulating it again.
 */
function simulateClasses(
  registered: Float64Array,
  pick: Int32Array | null,
  honest: KlimekHonest,
  alpha: number,
  theta: number,
  z: Normals,
  bins: number,
  knownExtreme: Float64Array | null,
): ClassHistograms {
  const m = pick === null ? registered.length : pick.length;
  const hi = new Float64Array(bins * bins);
  const withExtreme = knownExtreme === null;
  const he = knownExtreme ?? new Float64Array(bins * bins);
  const w = 1 / m;
  const { a1, a2, v1, v2, xi, xe } = z;
  for (let k = 0; k < m; k++) {
    const n = registered[pick === null ? k : (pick[k] as number)] as number;
    const a = truncated(honest.turnout, honest.turnoutSpread, a1[k] as number, a2[k] as number);
    const v = truncated(honest.share, honest.shareSpread, v1[k] as number, v2[k] as number);
    // At least one voter, as in the data (mesas without voters are excluded there).
    const vot = Math.min(n, Math.max(1, Math.round(n * a)));
    const win = Math.round(vot * v);
    // Incremental: x = θ|z|, kept below 1 (the reference redraws; folding is equivalent in law for x < 1 mass).
    let x = theta * Math.abs(xi[k] as number);
    if (x >= 1) x = 0.999;
    let added = Math.round(x * (n - vot));
    let moved = Math.round(power(x, alpha) * (vot - win));
    let v2n = vot + added;
    let cell = binOf(v2n / n, bins) * bins + binOf((win + added + moved) / v2n, bins);
    hi[cell] = (hi[cell] as number) + w;
    if (!withExtreme) continue;
    // Extreme: y = 1 − 0.075|z|.
    let y = 1 - EXTREME_WIDTH * Math.abs(xe[k] as number);
    if (y <= 0) y = 0.001;
    added = Math.round(y * (n - vot));
    moved = Math.round(power(y, alpha) * (vot - win));
    v2n = vot + added;
    cell = binOf(v2n / n, bins) * bins + binOf((win + added + moved) / v2n, bins);
    he[cell] = (he[cell] as number) + w;
  }
  return { h0: honestHistogram(honest, bins), hi, he };
}

/**
 * The fair model's expected fingerprint, computed exactly (up to the
 * rounding of counts) rather than simulated: the outer product of the
 * truncated normals' masses per bin. Why not simulate it like the fraud
 * classes: a simulated H₀ carries sampling noise that also enters the
 * residual D − H₀ and the fraud direction H_i − H₀, and least squares turns
 * that shared noise into a spurious positive f_i (errors in variables; we
 * measured f_i ≈ 0.2 on exactly-fair synthetic data before this change).
 * Noise in the simulated H_i and H_e only attenuates f toward 0.
 */
export function honestHistogram(honest: KlimekHonest, bins: number): Float64Array {
  const pt = binMasses(honest.turnout, honest.turnoutSpread, bins);
  const ps = binMasses(honest.share, honest.shareSpread, bins);
  const h = new Float64Array(bins * bins);
  for (let t = 0; t < bins; t++) {
    const a = pt[t] as number;
    for (let s = 0; s < bins; s++) h[t * bins + s] = a * (ps[s] as number);
  }
  return h;
}

/** Masses of N(mean, sd) truncated to [0, 1] in `bins` equal bins. */
function binMasses(mean: number, sd: number, bins: number): Float64Array {
  const out = new Float64Array(bins);
  const lo = normalCdf((0 - mean) / sd);
  const total = normalCdf((1 - mean) / sd) - lo;
  let prev = lo;
  for (let b = 0; b < bins; b++) {
    const next = normalCdf(((b + 1) / bins - mean) / sd);
    out[b] = total > 0 ? (next - prev) / total : 0;
    prev = next;
  }
  return out;
}

/**
 * Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit `erfcc`,
 * fractional error below 1.2e-7 everywhere: ample for histogram masses).
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** x^α, with the grid's common exponents computed without Math.pow. */
function power(x: number, alpha: number): number {
  if (alpha === 1) return x;
  if (alpha === 2) return x * x;
  if (alpha === 0.5) return Math.sqrt(x);
  return Math.pow(x, alpha);
}

/**
 * Coordinate search on the four honest parameters from the quick estimate,
 * minimising the fit's distance (the paper fits the fair model's widths too):
 * steps 0.01 in the means and 10% in the widths, halved three times (at most
 * 4 × 4 rounds of 8 neighbours).
 */
function refineHonest(start: KlimekHonest, distance: (h: KlimekHonest) => number): KlimekHonest {
  let best = start;
  let bestD = distance(start);
  let stepMean = 0.01;
  let stepSpread = 0.1;
  for (let level = 0; level < 4; level++) {
    let improved = true;
    for (let round = 0; improved && round < 4; round++) {
      improved = false;
      const tries: KlimekHonest[] = [];
      for (const sign of [-1, 1]) {
        tries.push({ ...best, turnout: best.turnout + sign * stepMean });
        tries.push({ ...best, share: best.share + sign * stepMean });
        tries.push({ ...best, turnoutSpread: best.turnoutSpread * (1 + sign * stepSpread) });
        tries.push({ ...best, shareSpread: best.shareSpread * (1 + sign * stepSpread) });
      }
      for (const t of tries) {
        if (!(t.turnout > 0 && t.turnout < 1 && t.share > 0 && t.share < 1)) continue;
        const d = distance(t);
        if (d < bestD) {
          bestD = d;
          best = t;
          improved = true;
        }
      }
    }
    stepMean /= 2;
    stepSpread /= 2;
  }
  return best;
}

function histogram(
  turnout: Float64Array,
  share: Float64Array,
  pick: Int32Array | null,
  bins: number,
): Float64Array {
  const m = pick === null ? turnout.length : pick.length;
  const h = new Float64Array(bins * bins);
  const w = 1 / m;
  for (let k = 0; k < m; k++) {
    const j = pick === null ? k : (pick[k] as number);
    const cell = binOf(turnout[j] as number, bins) * bins + binOf(share[j] as number, bins);
    h[cell] = (h[cell] as number) + w;
  }
  return h;
}

/** Linear-interpolation quantile (type 7) of a sample; sorts a copy. */
function quantile(sample: Float64Array, p: number): number {
  return computeQuantileSorted(Float64Array.from(sample).sort(), p);
}
