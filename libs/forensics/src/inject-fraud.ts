/**
 * Fraud injectors for calibration (issue #7, item 4): each takes honest
 * per-mesa results (real or from simulate-election.ts) and alters them the
 * way one of the fraud patterns of the project brief would, returning the
 * altered results and the ids of the mesas altered (the ground truth a test's
 * power is measured against). Mesas not altered are returned as the very
 * same objects; an altered mesa is a new object with only the fraud's fields
 * changed.
 *
 * - `ballot-stuffing`: in a fraction of mesas, a share of the non-voters is
 *   added as voters, all for the winner (Klimek et al., PNAS 2012: the
 *   "incremental fraud" of their model, stuffing part).
 * - `spread-votes`: a fixed number of fabricated votes for the winner spread
 *   thinly and evenly over many mesas so that no mesa looks odd (the brief's
 *   "fabricated votes" pattern).
 * - `altered-actas`: in a fraction of mesas, a share of one candidate's votes
 *   is moved to another; voters, valid and null totals are kept (an acta
 *   rewritten after the count).
 * - `turnout-inflation`: in a fraction of mesas, voters are added in
 *   proportion to the voters there, their votes split over the candidates in
 *   proportion to the existing votes (shares unchanged, turnout up).
 *
 * Registered voters are never exceeded unless the scenario says so
 * (`allowOverRegistered`); votes that do not fit are reported as not placed.
 */
import { findLeader } from './distributions.js';
import type { MesaResult } from './mesa-result.js';
import { createRandom } from './random.js';
import type { Random } from './random.js';

export type FraudScenario =
  | {
      readonly kind: 'ballot-stuffing';
      /** Fraction of mesas stuffed. */
      readonly fraction: number;
      /** Share of each stuffed mesa's non-voters added as winner's votes, in (0, 1]. */
      readonly intensity: number;
      readonly winner?: string;
    }
  | {
      readonly kind: 'spread-votes';
      /** Fabricated votes in total. */
      readonly votes: number;
      /** Number of mesas they are spread over. */
      readonly mesas: number;
      readonly winner?: string;
      /** Let a mesa's voters exceed its registered voters (default false). */
      readonly allowOverRegistered?: boolean;
    }
  | {
      readonly kind: 'altered-actas';
      readonly fraction: number;
      /** Share of `from`'s votes moved to `to`, in (0, 1]. */
      readonly share: number;
      /** Default: the runner-up in total votes. */
      readonly from?: string;
      /** Default: the winner in total votes. */
      readonly to?: string;
    }
  | {
      readonly kind: 'turnout-inflation';
      readonly fraction: number;
      /** Voters added as a multiple of the voters there (0.2: +20%). */
      readonly factor: number;
      readonly allowOverRegistered?: boolean;
    };

export interface InjectedFraud {
  readonly results: MesaResult[];
  /** Ids of the altered mesas, in input order. */
  readonly altered: readonly string[];
  /** Votes added to the totals (0 for altered actas, which move votes). */
  readonly added: number;
  /** Votes the scenario asked for that could not be placed without exceeding registered voters. */
  readonly unplaced: number;
}

/** Applies one fraud scenario with a seeded choice of mesas. */
export function injectFraud(
  results: readonly MesaResult[],
  scenario: FraudScenario,
  seed: number | string,
): InjectedFraud {
  const random = createRandom(seed);
  switch (scenario.kind) {
    case 'ballot-stuffing':
      return injectBallotStuffing(results, scenario, random);
    case 'spread-votes':
      return injectSpreadVotes(results, scenario, random);
    case 'altered-actas':
      return injectAlteredActas(results, scenario, random);
    case 'turnout-inflation':
      return injectTurnoutInflation(results, scenario, random);
    default: {
      const never: never = scenario;
      throw new RangeError(`unknown fraud scenario ${JSON.stringify(never)}`);
    }
  }
}

type Scenario<K extends FraudScenario['kind']> = Extract<FraudScenario, { kind: K }>;

export function injectBallotStuffing(
  results: readonly MesaResult[],
  scenario: Scenario<'ballot-stuffing'>,
  random: Random,
): InjectedFraud {
  checkFraction(scenario.fraction);
  checkUnit('intensity', scenario.intensity);
  const winner = scenario.winner ?? findLeader(results);
  if (winner === null)
    throw new RangeError('no candidate has votes: no winner to inject fraud for');
  const out = results.slice();
  const altered: number[] = [];
  let added = 0;
  for (const i of chooseMesas(results, scenario.fraction, random)) {
    const r = results[i] as MesaResult;
    if (r.registered === null || r.voters === null) continue;
    const s = Math.round(scenario.intensity * Math.max(0, r.registered - r.voters));
    if (s === 0) continue;
    out[i] = addVotes(r, new Map([[winner, s]]), s);
    altered.push(i);
    added += s;
  }
  return finish(results, out, altered, added, 0);
}

export function injectSpreadVotes(
  results: readonly MesaResult[],
  scenario: Scenario<'spread-votes'>,
  random: Random,
): InjectedFraud {
  if (!Number.isInteger(scenario.votes) || scenario.votes < 0) {
    throw new RangeError(`votes must be a non-negative integer, got ${scenario.votes}`);
  }
  if (!Number.isInteger(scenario.mesas) || scenario.mesas < 1 || scenario.mesas > results.length) {
    throw new RangeError(
      `mesas must be an integer in 1 … ${results.length}, got ${scenario.mesas}`,
    );
  }
  const winner = scenario.winner ?? findLeader(results);
  if (winner === null)
    throw new RangeError('no candidate has votes: no winner to inject fraud for');
  const chosen = sampleIndices(results.length, scenario.mesas, random);
  // Even shares: every chosen mesa gets ⌊votes/mesas⌋, the first (votes mod mesas) one more.
  const each = Math.floor(scenario.votes / scenario.mesas);
  let extra = scenario.votes - each * scenario.mesas;
  const out = results.slice();
  const altered: number[] = [];
  let added = 0;
  let unplaced = 0;
  for (const i of chosen) {
    const r = results[i] as MesaResult;
    let want = each;
    if (extra > 0) {
      want++;
      extra--;
    }
    const room =
      scenario.allowOverRegistered === true || r.registered === null || r.voters === null
        ? want
        : Math.max(0, r.registered - r.voters);
    const s = r.voters === null ? 0 : Math.min(want, room);
    unplaced += want - s;
    if (s === 0) continue;
    out[i] = addVotes(r, new Map([[winner, s]]), s);
    altered.push(i);
    added += s;
  }
  return finish(results, out, altered, added, unplaced);
}

export function injectAlteredActas(
  results: readonly MesaResult[],
  scenario: Scenario<'altered-actas'>,
  random: Random,
): InjectedFraud {
  checkFraction(scenario.fraction);
  checkUnit('share', scenario.share);
  const [first, second] = rankCandidates(results);
  const to = scenario.to ?? first;
  const from = scenario.from ?? second;
  if (to === undefined || from === undefined || to === from) {
    throw new RangeError('altered actas need two different candidates (from, to)');
  }
  const out = results.slice();
  const altered: number[] = [];
  for (const i of chooseMesas(results, scenario.fraction, random)) {
    const r = results[i] as MesaResult;
    const k = Math.round(scenario.share * (r.votes.get(from) ?? 0));
    if (k === 0) continue;
    const votes = new Map(r.votes);
    votes.set(from, (votes.get(from) ?? 0) - k);
    votes.set(to, (votes.get(to) ?? 0) + k);
    out[i] = { ...r, votes };
    altered.push(i);
  }
  return finish(results, out, altered, 0, 0);
}

export function injectTurnoutInflation(
  results: readonly MesaResult[],
  scenario: Scenario<'turnout-inflation'>,
  random: Random,
): InjectedFraud {
  checkFraction(scenario.fraction);
  if (!(scenario.factor > 0 && Number.isFinite(scenario.factor))) {
    throw new RangeError(`factor must be positive, got ${scenario.factor}`);
  }
  const out = results.slice();
  const altered: number[] = [];
  let added = 0;
  let unplaced = 0;
  for (const i of chooseMesas(results, scenario.fraction, random)) {
    const r = results[i] as MesaResult;
    if (r.voters === null) continue;
    const want = Math.round(scenario.factor * r.voters);
    const room =
      scenario.allowOverRegistered === true || r.registered === null
        ? want
        : Math.max(0, r.registered - r.voters);
    const s = Math.min(want, room);
    unplaced += want - s;
    if (s === 0) continue;
    const split = splitProportionally(r.votes, s);
    if (split === null) {
      unplaced += s;
      continue;
    }
    out[i] = addVotes(r, split, s);
    altered.push(i);
    added += s;
  }
  return finish(results, out, altered, added, unplaced);
}

/** A copy of the mesa with `total` more voters and valid votes, split as `extra`. */
function addVotes(r: MesaResult, extra: ReadonlyMap<string, number>, total: number): MesaResult {
  const votes = new Map(r.votes);
  for (const [name, k] of extra) votes.set(name, (votes.get(name) ?? 0) + k);
  return {
    ...r,
    votes,
    voters: r.voters === null ? null : r.voters + total,
    valid: r.valid === null ? null : r.valid + total,
  };
}

/** Largest-remainder split of n in proportion to the votes; null if nobody has votes. */
function splitProportionally(
  votes: ReadonlyMap<string, number>,
  n: number,
): Map<string, number> | null {
  let sum = 0;
  for (const v of votes.values()) sum += v;
  if (sum <= 0) return null;
  const parts: { name: string; floor: number; rest: number }[] = [];
  let given = 0;
  for (const [name, v] of votes) {
    const exact = (n * v) / sum;
    const floor = Math.floor(exact);
    parts.push({ name, floor, rest: exact - floor });
    given += floor;
  }
  // Stable sort keeps ties in the source's candidate order.
  const order = parts
    .map((_, j) => j)
    .sort((a, b) => (parts[b] as { rest: number }).rest - (parts[a] as { rest: number }).rest);
  for (let j = 0; j < n - given; j++) {
    const p = parts[order[j] as number] as { floor: number };
    p.floor++;
  }
  return new Map(parts.map((p) => [p.name, p.floor]));
}

function rankCandidates(results: readonly MesaResult[]): (string | undefined)[] {
  const totals = new Map<string, number>();
  for (const r of results) for (const [k, v] of r.votes) totals.set(k, (totals.get(k) ?? 0) + v);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

/** Exactly round(fraction·n) mesas, chosen uniformly (a fixed count keeps the ground truth's size known). */
function chooseMesas(results: readonly MesaResult[], fraction: number, random: Random): number[] {
  return sampleIndices(results.length, Math.round(fraction * results.length), random);
}

/** k distinct indices of 0 … n−1, uniformly (partial Fisher–Yates), returned sorted. */
function sampleIndices(n: number, k: number, random: Random): number[] {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + random.nextInt(n - i);
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
  return Array.from(a.subarray(0, k)).sort((x, y) => x - y);
}

function finish(
  results: readonly MesaResult[],
  out: MesaResult[],
  altered: readonly number[],
  added: number,
  unplaced: number,
): InjectedFraud {
  return {
    results: out,
    altered: [...altered].sort((x, y) => x - y).map((i) => (results[i] as MesaResult).id),
    added,
    unplaced,
  };
}

function checkFraction(f: number): void {
  if (!(f >= 0 && f <= 1)) throw new RangeError(`fraction must be in [0, 1], got ${f}`);
}

function checkUnit(name: string, x: number): void {
  if (!(x > 0 && x <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${x}`);
}
