/**
 * Batch-comparison audit math, MACRO (P. B. Stark, "Efficient post-election
 * audits of multiple contests: 2009 California tests", 2009: maximum
 * across-contest relative overstatement), per contest as VotingWorks Arlo
 * computes it (server/audit_math/macro.py; issue #6, item 2). A batch is a mesa
 * whose acta (tally sheet) reported per-candidate votes; the audit hand-counts
 * sampled batches and measures how far the acta overstated the winners' margins.
 *
 *   V_wl   = reported contest margin of winner w over loser l, minus the
 *            ballots no batch accounts for (counted as votes for the loser)
 *   u_p    = max over (w, l) of (v_wp − v_lp + b_p) / V_wl: the most a batch's
 *            acta can overstate, relative to the margin (its error bound)
 *   e_p    = the largest (v_wp − v_lp − (a_wp − a_lp)) / V_wl the hand count
 *            shows, 0 if it favours the winners (conservative)
 *   U      = Σ u_p over every batch
 *   p      = Π over the draws, in ticket order, of (1 − 1/U) / (1 − e_p/u_p)
 *
 * Arlo computes with Python's `Decimal` (28 significant digits, half-even), and
 * so does this module (a small BigInt decimal), so that its p-values are Arlo's
 * floats exactly. Where Arlo would divide by zero or confirm on impossible
 * input (a hand count with more ballots than the batch reported), this module
 * refuses to confirm instead; see `computeMacroRisk`.
 */
import { err, ok, type Result } from '@acta/crypto';
import type { Contest, SampleSizeOption } from './contest.js';

/** The reported tally of one batch (one contest): an acta. */
export interface BatchTally {
  readonly batch: string;
  /** Votes per candidate (a candidate missing had 0). */
  readonly votes: ReadonlyMap<string, number>;
  /**
   * Ballots in the batch (b_p), from the ballot manifest or the acta: needed for
   * the error bound of reported tallies, not for hand counts. A batch with 0
   * ballots holds no ballot of the contest.
   */
  readonly ballots?: number;
}

/** The hand count of one audited batch. */
export interface AuditedBatch {
  readonly batch: string;
  readonly votes: ReadonlyMap<string, number>;
}

/** One draw of the sample: its ticket number and batch (the draws order the risk computation). */
export interface MacroDraw {
  readonly ticket: string;
  readonly batch: string;
}

/** The error a hand count shows in a batch (Arlo's `BatchError`). */
export interface BatchError {
  /** Overstatement of the worst pair's margin, in votes (negative: understated). */
  readonly countedAs: number;
  /** That overstatement over the pair's contest margin (Infinity with no margin). */
  readonly weightedError: number;
}

/** The risk measured after a round: MACRO's p-value, and whether it is within the risk limit. */
export interface MacroRiskMeasurement {
  readonly pValue: number;
  readonly confirmed: boolean;
}

/** Arlo keys the batch-comparison sample size `macro` (one option, no probability). */
export interface MacroSampleSizes {
  readonly macro: SampleSizeOption;
}

export type MacroProblemCode = 'MACRO_ALL_BATCHES_COUNTED' | 'MACRO_CONTEST_IN_NO_BATCH';

export interface MacroProblem {
  readonly code: MacroProblemCode;
  readonly where: string;
  readonly message: string;
}

// ---------------------------------------------------------------------------
// Python Decimal, default context (28 digits, ROUND_HALF_EVEN), values only.

const PRECISION = 28;

/** c × 10^e, rounded to 28 significant digits. */
interface Dec {
  readonly c: bigint;
  readonly e: number;
}

const TEN = 10n;

function digitCount(n: bigint): number {
  return n === 0n ? 1 : (n < 0n ? -n : n).toString().length;
}

/** The value num/den × 10^exp rounded to PRECISION digits, half to even. */
function decFromRatio(num: bigint, den: bigint, exp: number): Dec {
  if (den === 0n) throw new RangeError('decimal division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (num === 0n) return { c: 0n, e: 0 };
  const negative = num < 0n;
  let n = negative ? -num : num;
  // Scale so the integer quotient has more digits than the precision.
  const shift = Math.max(0, PRECISION + 1 + digitCount(den) - digitCount(n));
  n *= TEN ** BigInt(shift);
  let q = n / den;
  const sticky = n % den !== 0n;
  let e = exp - shift;
  const drop = digitCount(q) - PRECISION;
  if (drop > 0) {
    const unit = TEN ** BigInt(drop);
    const rest = q % unit;
    q /= unit;
    e += drop;
    const twice = rest * 2n;
    const roundUp = twice > unit || (twice === unit && (sticky || q % 2n === 1n));
    if (roundUp) q += 1n;
  } else if (sticky) {
    // Unreachable: the scaling leaves more digits than the precision whenever
    // the quotient is inexact.
    throw new RangeError('decimal rounding lost digits');
  }
  return { c: negative ? -q : q, e };
}

function dec(n: number): Dec {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return decFromRatio(BigInt(n), 1n, 0);
}

/** A decimal from the shortest decimal text of a double (0.25 → 0.25 exactly). */
function decFromText(x: number): Dec {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (m === null) throw new RangeError(`not a finite number: ${x}`);
  const frac = m[3] ?? '';
  const e = Number(m[4] ?? '0') - frac.length;
  return decFromRatio(BigInt(`${m[1]}${m[2]}${frac}`), 1n, e);
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.c * TEN ** BigInt(a.e - e), b.c * TEN ** BigInt(b.e - e), e];
}

function decAdd(a: Dec, b: Dec): Dec {
  const [x, y, e] = align(a, b);
  return decFromRatio(x + y, 1n, e);
}

function decSub(a: Dec, b: Dec): Dec {
  const [x, y, e] = align(a, b);
  return decFromRatio(x - y, 1n, e);
}

function decMul(a: Dec, b: Dec): Dec {
  return decFromRatio(a.c * b.c, 1n, a.e + b.e);
}

function decDiv(a: Dec, b: Dec): Dec {
  return decFromRatio(a.c, b.c, a.e - b.e);
}

function decCmp(a: Dec, b: Dec): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Python's float(Decimal): correctly rounded (so is JavaScript's number parsing). */
function decToNumber(a: Dec): number {
  return Number(`${a.c}e${a.e}`);
}

const ZERO = dec(0);
const ONE = dec(1);

/** A decimal or Arlo's Decimal("inf"). */
type DecOrInf = Dec | 'inf';

// ---------------------------------------------------------------------------

function votesOf(votes: ReadonlyMap<string, number>, candidate: string): number {
  return votes.get(candidate) ?? 0;
}

function ballotsOf(batch: BatchTally): number {
  if (batch.ballots === undefined) {
    throw new RangeError(`batch ${batch.batch}: the reported tally needs its number of ballots`);
  }
  return batch.ballots;
}

/** Arlo's test for "the contest is not in this batch": no ballot of it. */
function holdsContest(batch: BatchTally): boolean {
  return ballotsOf(batch) > 0;
}

/**
 * Ballots of the contest that no batch accounts for (contest ballots minus the
 * batches' ballots, at least 0): Arlo counts them as votes for every loser, so
 * they shrink every margin.
 */
export function computeUnauditableBallots(
  contest: Contest,
  reported: readonly BatchTally[],
): number {
  const inBatches = reported.reduce((s, b) => s + ballotsOf(b), 0);
  return Math.max(0, contest.ballots - inBatches);
}

function votesFor(contest: Contest, name: string): number {
  const c = contest.candidates.find((x) => x.name === name);
  if (c === undefined) throw new RangeError(`${name} is not a candidate of ${contest.name}`);
  return c.votes;
}

/** V_wl: the pair's reported contest margin, less the unaccounted ballots. */
function pairMargin(contest: Contest, winner: string, loser: string, unauditable: number): number {
  return votesFor(contest, winner) - votesFor(contest, loser) - unauditable;
}

function maxErrorDec(contest: Contest, batch: BatchTally, unauditable: number): DecOrInf {
  let error = ZERO;
  if (!holdsContest(batch)) return error;
  const b = ballotsOf(batch);
  for (const w of contest.winners) {
    for (const l of contest.losers) {
      const margin = pairMargin(contest, w.name, l.name, unauditable);
      if (margin === 0) return 'inf';
      const u = decDiv(
        dec(votesOf(batch.votes, w.name) - votesOf(batch.votes, l.name) + b),
        dec(margin),
      );
      if (decCmp(u, error) > 0) error = u;
    }
  }
  return error;
}

interface DecBatchError {
  readonly countedAs: number;
  readonly weighted: DecOrInf;
}

function compareDecOrInf(a: DecOrInf, b: DecOrInf): number {
  if (a === 'inf') return b === 'inf' ? 0 : 1;
  if (b === 'inf') return -1;
  return decCmp(a, b);
}

function batchErrorDec(
  contest: Contest,
  reported: BatchTally,
  audited: AuditedBatch,
  unauditable: number,
): DecBatchError | null {
  let worst: DecBatchError | null = null;
  for (const w of contest.winners) {
    for (const l of contest.losers) {
      const margin = pairMargin(contest, w.name, l.name, unauditable);
      const error =
        votesOf(reported.votes, w.name) -
        votesOf(reported.votes, l.name) -
        (votesOf(audited.votes, w.name) - votesOf(audited.votes, l.name));
      if (error === 0) continue;
      const weighted: DecOrInf = margin > 0 ? decDiv(dec(error), dec(margin)) : 'inf';
      // Python's max keeps the first of equal maxima.
      if (worst === null || compareDecOrInf(weighted, worst.weighted) > 0) {
        worst = { countedAs: error, weighted };
      }
    }
  }
  return worst;
}

function toNumber(x: DecOrInf): number {
  return x === 'inf' ? Infinity : decToNumber(x);
}

/**
 * u_p: the most this batch's acta can overstate the contest, relative to the
 * margin (Arlo's `compute_max_error`); Infinity for a tied pair.
 */
export function computeBatchMaxError(
  contest: Contest,
  batch: BatchTally,
  unauditableBallots = 0,
): number {
  return toNumber(maxErrorDec(contest, batch, unauditableBallots));
}

/**
 * The error the hand count shows in a batch: the winner–loser pair whose margin
 * the acta overstated most, relative to its contest margin (Arlo's
 * `compute_error`), or null when every pair's count matches.
 */
export function computeBatchError(
  contest: Contest,
  reported: BatchTally,
  audited: AuditedBatch,
  unauditableBallots = 0,
): BatchError | null {
  const e = batchErrorDec(contest, reported, audited, unauditableBallots);
  return e === null ? null : { countedAs: e.countedAs, weightedError: toNumber(e.weighted) };
}

function totalErrorBound(contest: Contest, reported: readonly BatchTally[]): DecOrInf {
  const unauditable = computeUnauditableBallots(contest, reported);
  let u = ZERO;
  for (const b of reported) {
    const up = maxErrorDec(contest, b, unauditable);
    if (up === 'inf') return 'inf';
    u = decAdd(u, up);
  }
  return u;
}

/** U: the sum of every batch's error bound (Arlo's `compute_U`). */
export function computeMacroU(contest: Contest, reported: readonly BatchTally[]): number {
  return toNumber(totalErrorBound(contest, reported));
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
}

function indexReported(reported: readonly BatchTally[]): Map<string, BatchTally> {
  const byName = new Map<string, BatchTally>();
  for (const b of reported) {
    if (byName.has(b.batch)) throw new RangeError(`batch ${b.batch} is reported twice`);
    byName.set(b.batch, b);
  }
  return byName;
}

interface DecRisk {
  readonly p: DecOrInf;
  readonly pValue: number;
  readonly confirmed: boolean;
}

function measureRisk(
  alpha: number,
  contest: Contest,
  reported: readonly BatchTally[],
  audited: readonly AuditedBatch[],
  draws: readonly MacroDraw[],
): DecRisk {
  checkAlpha(alpha);
  const byName = indexReported(reported);
  const counted = new Map(audited.map((a) => [a.batch, a] as const));
  for (const a of audited) {
    if (!byName.has(a.batch)) throw new RangeError(`audited batch ${a.batch} was not reported`);
  }
  // Every batch hand-counted: the outcome is known, no risk remains.
  if (counted.size === byName.size) return { p: ZERO, pValue: 0, confirmed: true };
  const alphaDec = decFromText(alpha);
  const u = totalErrorBound(contest, reported);
  const unauditable = computeUnauditableBallots(contest, reported);
  const refuse: DecRisk = { p: 'inf', pValue: 1, confirmed: false };
  if (u === 'inf' || decCmp(u, ZERO) <= 0) return refuse;
  const factor = decSub(ONE, decDiv(ONE, u));
  // A ticket numbers one draw; Arlo keys draws by ticket, in ticket order.
  const byTicket = new Map<string, string>();
  for (const d of draws) byTicket.set(d.ticket, d.batch);
  const order = [...byTicket.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let p: DecOrInf = ONE;
  for (const ticket of order) {
    const name = byTicket.get(ticket)!;
    const rep = byName.get(name);
    const aud = counted.get(name);
    if (rep === undefined) throw new RangeError(`drawn batch ${name} was not reported`);
    if (aud === undefined) throw new RangeError(`drawn batch ${name} has no hand count`);
    if (!holdsContest(rep)) continue;
    const error = batchErrorDec(contest, rep, aud, unauditable);
    const ep: DecOrInf = error !== null && error.countedAs > 0 ? error.weighted : ZERO;
    const up = maxErrorDec(contest, rep, unauditable);
    // A margin of 0 or less: only a full hand count can tell.
    if (ep === 'inf' || up === 'inf') return refuse;
    if (decCmp(up, ZERO) === 0) {
      // The acta admits no overstatement; Arlo would divide by zero here. With
      // no error it says nothing either way; with error the acta was wrong
      // about its own ballots, which the error bound cannot cover.
      if (decCmp(ep, ZERO) === 0) continue;
      return refuse;
    }
    const taint = decDiv(ep, up);
    // Arlo sets p to infinity at a taint of exactly 1. A taint above 1 (the hand
    // count found more ballots than the batch reported) would make Arlo's p
    // negative and confirm; here it blows p up as well.
    if (decCmp(taint, ONE) >= 0) p = 'inf';
    else if (p !== 'inf') p = decMul(p, decDiv(factor, decSub(ONE, taint)));
  }
  const pValue = p === 'inf' ? 1 : Math.min(decToNumber(p), 1);
  return { p, pValue, confirmed: p !== 'inf' && decCmp(p, alphaDec) <= 0 };
}

/**
 * The risk after the hand counts (Arlo's `compute_risk`): `alpha` is the risk
 * limit as a fraction; `draws` are every draw so far (a batch drawn twice
 * counts twice, as Arlo counts it), with the hand counts of the drawn batches.
 */
export function computeMacroRisk(
  alpha: number,
  contest: Contest,
  reported: readonly BatchTally[],
  audited: readonly AuditedBatch[],
  draws: readonly MacroDraw[],
): MacroRiskMeasurement {
  const r = measureRisk(alpha, contest, reported, audited, draws);
  return { pValue: r.pValue, confirmed: r.confirmed };
}

/**
 * The number of batches to draw in all (Arlo's `get_sample_sizes` for batch
 * comparison): n ≥ (ln α − ln p) / ln(1 − 1/U), rounded up, plus one for small
 * discrepancies, at most every batch; 0 when the risk limit is already met,
 * every batch for a tie.
 */
export function computeMacroSampleSizes(
  alpha: number,
  contest: Contest,
  reported: readonly BatchTally[],
  audited: readonly AuditedBatch[] = [],
  draws: readonly MacroDraw[] = [],
): Result<MacroSampleSizes, MacroProblem> {
  checkAlpha(alpha);
  const batches = indexReported(reported).size;
  if (new Set(audited.map((a) => a.batch)).size === batches) {
    return err({
      code: 'MACRO_ALL_BATCHES_COUNTED',
      where: contest.name,
      message: 'every batch has already been hand-counted',
    });
  }
  const u = totalErrorBound(contest, reported);
  const size = (n: number): Result<MacroSampleSizes, MacroProblem> =>
    ok({ macro: { size: n, prob: null } });
  if (u === 'inf') return size(batches);
  if (decCmp(u, ZERO) <= 0) {
    return err({
      code: 'MACRO_CONTEST_IN_NO_BATCH',
      where: contest.name,
      message: 'no batch holds a ballot of the contest',
    });
  }
  const risk = measureRisk(alpha, contest, reported, audited, draws);
  if (risk.confirmed) return size(0);
  const factor = decToNumber(decSub(ONE, decDiv(ONE, u)));
  // Arlo takes these logarithms in Decimal; doubles agree on the ceiling unless
  // the quotient is within ~1e-12 of an integer.
  const estimate = (Math.log(alpha) - Math.log(risk.pValue)) / Math.log(factor);
  return size(Math.min(Math.ceil(estimate) + 1, batches));
}

/**
 * Each batch's chance of being drawn by PPEB (proportional to its error bound):
 * `float(u_p / U)` in Decimal, as Arlo's `draw_ppeb_sample` weighs them, in
 * the order given; all 0 when no batch holds the contest. Throws RangeError for
 * a tie (an infinite bound: no sample can check it, only a full hand count).
 */
export function computePpebWeights(contest: Contest, reported: readonly BatchTally[]): number[] {
  const u = totalErrorBound(contest, reported);
  if (u === 'inf')
    throw new RangeError(`${contest.name} is tied: only a full hand count can check it`);
  if (decCmp(u, ZERO) === 0) return reported.map(() => 0);
  const unauditable = computeUnauditableBallots(contest, reported);
  return reported.map((b) => {
    const up = maxErrorDec(contest, b, unauditable);
    // Unreachable: a finite U has only finite terms.
    if (up === 'inf') throw new RangeError('infinite error bound');
    return decToNumber(decDiv(up, u));
  });
}
