/**
 * The shapes of the acta reconciliation (issue #7, item 2): what the caller
 * gives (collected actas with their signature status, official per-mesa
 * figures, official bulletins) and what the report says. The logic is in
 * `reconcile.ts`, `reconcile-merge.ts` and `reconcile-official.ts`.
 */
import type { MesaResult } from './mesa-result.js';

/**
 * Signature status of a collected acta, decided by the caller: Acta's own actas
 * are verified before they get here (`verified` or `forged`); foreign actas
 * (the Venezuelan CSV, QR payloads, photos) carry no signature (`unsigned`).
 */
export type SignatureStatus = 'verified' | 'forged' | 'unsigned';

/** One copy of an acta as a witness collected it. */
export interface CollectedActa {
  readonly result: MesaResult;
  readonly signature: SignatureStatus;
}

/**
 * An official bulletin: national totals without per-mesa figures (e.g. the CNE's
 * two 2024 bulletins). Keys of `votes` and `percentages` are the candidate keys
 * the actas use (e.g. `NM`, `EG`). Every figure is external and checked.
 */
export interface OfficialTotals {
  /** e.g. "CNE bulletin 2 (96.87%)"; names the source in every finding. */
  readonly label: string;
  readonly votes: ReadonlyMap<string, number>;
  readonly valid?: number;
  readonly invalid?: number;
  /**
   * Fraction of all mesas the bulletin counts, in (0, 1]; absent means complete
   * (1). For a rounded figure give its lower end (96.87% → 0.96865) so that the
   * bounds derived from it hold whatever the unrounded value was.
   */
  readonly coverage?: number;
  /**
   * The percentages the bulletin prints, as written (`"51.20"`, `"44.2"`): the
   * number of decimals says how much rounding the check allows.
   */
  readonly percentages?: ReadonlyMap<string, string>;
}

/**
 * What to do with an acta that fails its own arithmetic (candidates not summing
 * to valid, more ballots than voters or registered voters):
 * - `exclude` (default): the acta is left out of the totals and the worst case,
 *   and its mesa is treated as uncollected. An acta that contradicts itself does
 *   not prove what it says; leaving it out moves all its registered voters into
 *   the uncovered pool, which can only shrink the leader's worst-case margin
 *   (a challenger's votes in a mesa never exceed its registered voters), so a
 *   "the leader still leads" verdict holds whatever that acta's true figures were.
 * - `count`: the acta's figures are counted as written (and still flagged), for
 *   totals "as the actas read".
 */
export type ArithmeticPolicy = 'exclude' | 'count';

export interface ReconcileInput {
  readonly collected: readonly CollectedActa[];
  /** Official per-mesa figures, where published. */
  readonly official?: readonly MesaResult[];
  /** Official bulletins, compared at the level they exist, in publication order. */
  readonly officialTotals?: readonly OfficialTotals[];
  /** Registered voters of the whole election (e.g. 21,392,464). */
  readonly registeredTotal?: number;
  /** Mesas of the whole election (e.g. 30,026). */
  readonly mesasTotal?: number;
  /**
   * Largest number of registered voters any mesa can have (a legal limit, e.g.
   * about 600 in Venezuela). Used only when `registeredTotal` is absent, to bound
   * the uncovered voters by `(mesasTotal − mesas counted) × registeredPerMesaMax`.
   */
  readonly registeredPerMesaMax?: number;
  /** Display names of candidate keys (`NM` → `Maduro`). */
  readonly candidateNames?: ReadonlyMap<string, string>;
  readonly arithmetic?: ArithmeticPolicy;
}

/**
 * Every finding's code.
 *
 * Merge of copies of the same mesa:
 * - `RECONCILE_FORGED`: a copy whose signature failed; never counted.
 * - `RECONCILE_CONFLICT`: copies disagree and the verified copy was used.
 * - `RECONCILE_CONFLICT_UNRESOLVED`: unsigned copies disagree and none is
 *   verified; the mesa is counted as uncollected (worst case).
 * - `RECONCILE_SIGNED_CONFLICT`: two verified copies disagree (a signing key
 *   signed two different actas); the mesa is counted as uncollected.
 *
 * Each acta (collected or official):
 * - `ACTA_BAD_ID`, `ACTA_BAD_COUNT`: unusable record (empty id; a count that is
 *   not a non-negative safe integer); the copy is left out.
 * - `ACTA_SUM_MISMATCH`: candidates' votes do not sum to the valid votes.
 * - `ACTA_BALLOTS_ABOVE_VOTERS`: valid + invalid + blank above the voters.
 * - `ACTA_VOTERS_ABOVE_REGISTERED`: voters above the registered voters.
 * - `ACTA_BALLOTS_ABOVE_REGISTERED`: valid + invalid + blank above registered.
 * - `ACTA_NO_REGISTERED`: a counted acta without registered voters: its votes
 *   count but it adds nothing to the covered voters (conservative).
 *
 * Official per-mesa figures:
 * - `OFFICIAL_DUPLICATE_CONFLICT`: the official source lists a mesa twice, differently.
 * - `OFFICIAL_MISMATCH`: official and collected figures of a mesa differ.
 * - `OFFICIAL_ONLY`, `COLLECTED_ONLY`: a mesa present on one side only.
 *
 * Coverage and worst case:
 * - `COVERAGE_ABOVE_TOTAL`: the collected actas hold more mesas or registered
 *   voters than the election's totals say exist.
 * - `WORST_CASE_UNAVAILABLE`: no bound on the uncovered voters was given.
 *
 * Bulletins:
 * - `OFFICIAL_BELOW_PROVEN`: an official figure below what the collected actas
 *   already prove (they are a subset of all mesas).
 * - `OFFICIAL_ABOVE_POSSIBLE`: above the collected figure plus every uncovered
 *   registered voter.
 * - `BULLETIN_BAD_FIGURE`: a figure that is not a count, a coverage outside
 *   (0, 1], a percentage that is not a number.
 * - `BULLETIN_VOTES_ABOVE_VALID`: the listed candidates' votes exceed the valid votes.
 * - `BULLETIN_ABOVE_REGISTERED`: valid + invalid above the registered total.
 * - `BULLETIN_SHARE_MISMATCH`: a printed percentage not within rounding of count / valid.
 * - `BULLETIN_SHARES_INCONSISTENT`: without valid votes, no valid-vote total
 *   makes all printed percentages round correctly.
 * - `BULLETIN_DECREASE`: a later bulletin (higher coverage) has fewer votes.
 * - `BULLETIN_UNKNOWN_CANDIDATE`: a bulletin key no collected acta has.
 */
export type ReconcileCode =
  | 'RECONCILE_FORGED'
  | 'RECONCILE_CONFLICT'
  | 'RECONCILE_CONFLICT_UNRESOLVED'
  | 'RECONCILE_SIGNED_CONFLICT'
  | 'ACTA_BAD_ID'
  | 'ACTA_BAD_COUNT'
  | 'ACTA_SUM_MISMATCH'
  | 'ACTA_BALLOTS_ABOVE_VOTERS'
  | 'ACTA_VOTERS_ABOVE_REGISTERED'
  | 'ACTA_BALLOTS_ABOVE_REGISTERED'
  | 'ACTA_NO_REGISTERED'
  | 'OFFICIAL_DUPLICATE_CONFLICT'
  | 'OFFICIAL_MISMATCH'
  | 'OFFICIAL_ONLY'
  | 'COLLECTED_ONLY'
  | 'COVERAGE_ABOVE_TOTAL'
  | 'WORST_CASE_UNAVAILABLE'
  | 'OFFICIAL_BELOW_PROVEN'
  | 'OFFICIAL_ABOVE_POSSIBLE'
  | 'BULLETIN_BAD_FIGURE'
  | 'BULLETIN_VOTES_ABOVE_VALID'
  | 'BULLETIN_ABOVE_REGISTERED'
  | 'BULLETIN_SHARE_MISMATCH'
  | 'BULLETIN_SHARES_INCONSISTENT'
  | 'BULLETIN_DECREASE'
  | 'BULLETIN_UNKNOWN_CANDIDATE';

/** The codes in report order (findings are sorted by this rank, then mesa). */
export const RECONCILE_CODES: readonly ReconcileCode[] = [
  'RECONCILE_FORGED',
  'RECONCILE_SIGNED_CONFLICT',
  'RECONCILE_CONFLICT_UNRESOLVED',
  'RECONCILE_CONFLICT',
  'ACTA_BAD_ID',
  'ACTA_BAD_COUNT',
  'ACTA_SUM_MISMATCH',
  'ACTA_BALLOTS_ABOVE_VOTERS',
  'ACTA_VOTERS_ABOVE_REGISTERED',
  'ACTA_BALLOTS_ABOVE_REGISTERED',
  'ACTA_NO_REGISTERED',
  'OFFICIAL_DUPLICATE_CONFLICT',
  'OFFICIAL_MISMATCH',
  'OFFICIAL_ONLY',
  'COLLECTED_ONLY',
  'COVERAGE_ABOVE_TOTAL',
  'WORST_CASE_UNAVAILABLE',
  'OFFICIAL_BELOW_PROVEN',
  'OFFICIAL_ABOVE_POSSIBLE',
  'BULLETIN_BAD_FIGURE',
  'BULLETIN_VOTES_ABOVE_VALID',
  'BULLETIN_ABOVE_REGISTERED',
  'BULLETIN_SHARE_MISMATCH',
  'BULLETIN_SHARES_INCONSISTENT',
  'BULLETIN_DECREASE',
  'BULLETIN_UNKNOWN_CANDIDATE',
];

/**
 * One finding. `figures` holds the numbers behind it, named by field
 * (`registered`, `valid`, `votes.NM`, …, suffixed by `@source` where copies
 * disagree); `null` where a source does not say.
 */
export interface ReconcileFinding {
  readonly code: ReconcileCode;
  /** The mesa, or null for findings about totals and bulletins. */
  readonly mesa: string | null;
  /** The sources involved (acta sources, `official: …`, a bulletin's label), sorted. */
  readonly sources: readonly string[];
  readonly message: string;
  readonly figures: Readonly<Record<string, number | null>>;
}

/** What became of one mesa of the collected actas. */
export type MesaStatus =
  | 'counted'
  /** Counted as uncollected: its acta fails its arithmetic (policy `exclude`). */
  | 'excluded-arithmetic'
  /** Counted as uncollected: unsigned copies disagree. */
  | 'conflict'
  /** Counted as uncollected: verified copies disagree. */
  | 'signed-conflict'
  /** Counted as uncollected: every copy forged. */
  | 'forged'
  /** Counted as uncollected: every copy unusable (bad counts). */
  | 'unusable';

export interface ReconciledMesa {
  readonly id: string;
  readonly status: MesaStatus;
  /** The figures used (merged from the copies), or null when no copy could be used. */
  readonly registered: number | null;
  readonly voters: number | null;
  readonly valid: number | null;
  readonly invalid: number | null;
  readonly blank: number | null;
  readonly votes: ReadonlyMap<string, number> | null;
  /** `verified` when a verified copy was used. */
  readonly signature: 'verified' | 'unsigned' | null;
  /** The sources of every copy (forged and unusable ones included), sorted. */
  readonly sources: readonly string[];
  /** Whether the acta used fails its own arithmetic. */
  readonly arithmeticFails: boolean;
}

export interface MergeSummary {
  /** Collected copies given. */
  readonly copies: number;
  /** Distinct mesa ids among them (usable or not). */
  readonly mesas: number;
  /** Copies identical to another copy of the same mesa (same figures), dropped. */
  readonly duplicates: number;
  /** Mesas whose copies differ only where one says nothing (null): merged. */
  readonly complemented: number;
  /** Mesas with disagreeing copies resolved by a verified copy. */
  readonly conflictsResolved: number;
  /** Mesas with disagreeing unsigned copies, counted as uncollected. */
  readonly conflictsUnresolved: number;
  /** Mesas with disagreeing verified copies, counted as uncollected. */
  readonly signedConflicts: number;
  /** Forged copies (never counted). */
  readonly forgedCopies: number;
  /** Copies left out for a bad id or count. */
  readonly unusableCopies: number;
  /** Mesas whose acta used is verified / unsigned (collected mesas only). */
  readonly verifiedMesas: number;
  readonly unsignedMesas: number;
}

export interface ArithmeticSummary {
  readonly policy: ArithmeticPolicy;
  /** Collected mesas checked, and how many fail (each failure is a finding). */
  readonly checked: number;
  readonly failing: number;
  /** The same for the official per-mesa figures. */
  readonly officialChecked: number;
  readonly officialFailing: number;
}

export interface CoverageSummary {
  /** Mesas with a usable acta (whatever its arithmetic). */
  readonly mesasCollected: number;
  /** Mesas whose acta is counted in the totals and the worst case. */
  readonly mesasCounted: number;
  readonly mesasTotal: number | null;
  /** mesasCounted / mesasTotal. */
  readonly mesaFraction: number | null;
  /** Registered voters in the collected / counted mesas (actas that give them). */
  readonly registeredCollected: number;
  readonly registeredCounted: number;
  readonly registeredTotal: number | null;
  /** registeredCounted / registeredTotal. */
  readonly registeredFraction: number | null;
  /** Counted actas that do not give their registered voters. */
  readonly countedWithoutRegistered: number;
}

export interface CandidateTotal {
  readonly key: string;
  readonly name: string;
  readonly votes: number;
  /** votes / the sum of every candidate's votes. */
  readonly share: number;
}

/** Totals over the counted actas. A figure an acta does not give is left out and counted. */
export interface ReconcileTotals {
  /** Most votes first, ties by key. A candidate an acta does not list counts 0 there. */
  readonly candidates: readonly CandidateTotal[];
  /** Sum of the candidates' votes (the share denominator). */
  readonly candidateVotes: number;
  /** Valid votes as the actas state them (the candidates' sum where an acta does not). */
  readonly valid: number;
  readonly invalid: number;
  readonly invalidMissing: number;
  readonly blank: number;
  readonly blankMissing: number;
  readonly registered: number;
  readonly registeredMissing: number;
  readonly voters: number;
  readonly votersMissing: number;
}

/** The leader against one other candidate, if every uncovered voter chose that candidate. */
export interface WorstCaseContest {
  readonly challenger: string;
  readonly challengerName: string;
  /** leader's votes − challenger's votes in the counted actas. */
  readonly margin: number;
  /** `margin > uncovered`: true, false, or null when the uncovered voters are unknown. */
  readonly leaderStillLeads: boolean | null;
  /** margin / uncovered: above 1, no turnout flips the verdict; null when unknown or 0 uncovered. */
  readonly marginOverUncovered: number | null;
  /**
   * The smallest turnout of the uncovered voters (fraction, all voting for the
   * challenger) at which the leader no longer leads (a tie counts as a flip):
   * margin / uncovered; null when no turnout up to 100% flips it, or unknown.
   */
  readonly flipTurnout: number | null;
  /** margin / uncollected mesas: the challenger's net votes needed per uncollected mesa. */
  readonly votesPerUncollectedMesa: number | null;
}

export type UncoveredBasis = 'registered-total' | 'mesa-bound' | 'unavailable';

export interface WorstCase {
  /** The leader of the counted actas, or null with fewer than two candidates. */
  readonly leader: string | null;
  readonly leaderName: string | null;
  /**
   * Registered voters outside the counted actas: registeredTotal − registered
   * counted (`registered-total`), or the bound (mesasTotal − counted) ×
   * registeredPerMesaMax (`mesa-bound`), or null (`unavailable`: no conclusion).
   */
  readonly uncovered: number | null;
  readonly basis: UncoveredBasis;
  /** mesasTotal − mesas counted, when mesasTotal is given. */
  readonly uncollectedMesas: number | null;
  /** Every other candidate, most votes first. */
  readonly contests: readonly WorstCaseContest[];
  /** True when the leader still leads against every other candidate; null when unknown. */
  readonly leaderStillLeads: boolean | null;
}

export interface FieldComparison {
  /** `valid`, `invalid`, `blank`, `registered`, `voters`, or `votes.KEY`. */
  readonly field: string;
  /** Sums over the mesas compared where both sides give the field. */
  readonly collected: number;
  readonly official: number;
  /** official − collected. */
  readonly difference: number;
  /** Mesas where the two differ in this field. */
  readonly mesasDiffering: number;
}

export interface OfficialComparison {
  readonly officialMesas: number;
  readonly officialDuplicates: number;
  readonly compared: number;
  readonly matching: number;
  readonly differing: number;
  readonly onlyOfficial: number;
  readonly onlyCollected: number;
  /** Official mesas whose collected copies could not be used (conflict, forged). */
  readonly collectedUnusable: number;
  readonly fields: readonly FieldComparison[];
}

export type BulletinVerdict = 'possible' | 'below-proven' | 'above-possible' | 'unknown';

export interface BulletinRow {
  /** A candidate key, or `valid` / `invalid`. */
  readonly key: string;
  readonly name: string;
  readonly official: number;
  /** The figure in the counted actas (null for a key no acta has). */
  readonly collected: number | null;
  /** official − collected. */
  readonly difference: number | null;
  /**
   * What the counted actas prove the bulletin must at least show: the collected
   * figure for a complete bulletin; for a partial one (coverage c), the collected
   * figure minus its largest ⌈(1 − c)·mesasTotal⌉ mesas (the bulletin may have
   * left exactly those out). Null without mesasTotal for a partial bulletin.
   */
  readonly provenMin: number | null;
  /** collected + every uncovered registered voter; null when unknown. */
  readonly possibleMax: number | null;
  readonly verdict: BulletinVerdict;
  /** The printed percentage, and the valid-vote total it implies (count·100/percent). */
  readonly percentage: string | null;
  readonly impliedValid: number | null;
}

export interface BulletinComparison {
  readonly label: string;
  readonly coverage: number;
  readonly rows: readonly BulletinRow[];
  /** Range of valid-vote totals for which every printed percentage rounds right; null without percentages. */
  readonly impliedValidRange: readonly [number, number] | null;
}

export interface ReconciliationReport {
  readonly findings: readonly ReconcileFinding[];
  readonly merge: MergeSummary;
  readonly arithmetic: ArithmeticSummary;
  readonly coverage: CoverageSummary;
  readonly totals: ReconcileTotals;
  readonly worstCase: WorstCase;
  readonly official: OfficialComparison | null;
  readonly bulletins: readonly BulletinComparison[];
  /** Every collected mesa, by id. */
  readonly mesas: readonly ReconciledMesa[];
}
