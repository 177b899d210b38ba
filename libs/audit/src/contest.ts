/**
 * Contests and audit inputs (issue #6), in the shapes VotingWorks Arlo uses so
 * that officials can move between the tools: a contest is JSON like
 * `{"cand1": 600, "cand2": 400, "ballots": 1000, "numWinners": 1, "votesAllowed": 1}`
 * (every key other than the three reserved ones is a candidate), earlier rounds'
 * sample results are `{"round1": {"cand1": 72, "cand2": 47}, …}`.
 *
 * Winners are derived as Arlo's `sampler_contest.Contest` derives them: the
 * `numWinners` candidates with the most votes, ties kept in the order given
 * (Python's `sorted` is stable). Every external byte is hostile, so the parsers
 * here check every count and report every problem with its place, all at once.
 */
import { err, ok, type Result } from '@acta/crypto';

/** Why an audit input was refused. */
export type AuditInputCode =
  | 'CONTEST_NOT_OBJECT'
  | 'CONTEST_BAD_COUNT'
  | 'CONTEST_MISSING_FIELD'
  | 'CONTEST_NO_CANDIDATES'
  | 'CONTEST_VOTES_ABOVE_BALLOTS'
  | 'CONTEST_TOO_MANY_WINNERS'
  | 'CONTEST_WINNER_BELOW_LOSER'
  | 'CONTEST_UNKNOWN_WINNER'
  | 'SAMPLE_RESULTS_NOT_OBJECT'
  | 'SAMPLE_RESULTS_BAD_COUNT'
  | 'SAMPLE_RESULTS_UNKNOWN_CANDIDATE'
  | 'RISK_LIMIT_OUT_OF_RANGE';

/** One problem of an input, with its place (a file and a JSON path, as `contest.json: cand1`). */
export interface AuditInputProblem {
  readonly code: AuditInputCode;
  readonly where: string;
  readonly message: string;
}

export interface ContestCandidate {
  readonly name: string;
  readonly votes: number;
}

/** A contest as reported, with its winners and losers derived as Arlo derives them. */
export interface Contest {
  readonly name: string;
  /** In the order given. */
  readonly candidates: readonly ContestCandidate[];
  /** Ballots cast in the contest (the audit's universe), not votes. */
  readonly ballots: number;
  readonly numWinners: number;
  readonly votesAllowed: number;
  /** The `numWinners` candidates with most votes, most first, ties in the order given. */
  readonly winners: readonly ContestCandidate[];
  /** The rest, most votes first. */
  readonly losers: readonly ContestCandidate[];
  /** Smallest winner−loser margin over ballots (Arlo's `diluted_margin`); −1 with no loser. */
  readonly dilutedMargin: number;
}

/** The fields of a contest, as data (candidates in order). */
export interface ContestInput {
  readonly name?: string;
  readonly candidates: readonly ContestCandidate[];
  readonly ballots: number;
  readonly numWinners: number;
  readonly votesAllowed: number;
}

/** One earlier audit round's sample tally (a candidate missing from it had 0 sampled votes). */
export interface SampleRound {
  readonly round: string;
  readonly tally: ReadonlyMap<string, number>;
}

const RESERVED = new Set(['ballots', 'numWinners', 'votesAllowed', 'winners', 'name']);
const MAX_COUNT = 1e12;

function isCount(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_COUNT
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds a contest from data, deriving winners and losers. Returns problems for
 * counts that cannot be (negative, fractional, votes above what the ballots allow,
 * more winners than candidates).
 */
export function createContest(
  input: ContestInput,
  where = 'contest',
): Result<Contest, AuditInputProblem[]> {
  const problems: AuditInputProblem[] = [];
  const bad = (field: string, value: unknown): void => {
    problems.push({
      code: 'CONTEST_BAD_COUNT',
      where: `${where}: ${field}`,
      message: `${describe(value)} is not a count (a non-negative integer)`,
    });
  };
  if (!isCount(input.ballots)) bad('ballots', input.ballots);
  if (!isCount(input.numWinners) || input.numWinners < 1) bad('numWinners', input.numWinners);
  if (!isCount(input.votesAllowed) || input.votesAllowed < 1)
    bad('votesAllowed', input.votesAllowed);
  for (const c of input.candidates) if (!isCount(c.votes)) bad(c.name, c.votes);
  if (input.candidates.length === 0) {
    problems.push({
      code: 'CONTEST_NO_CANDIDATES',
      where,
      message: 'the contest has no candidate',
    });
  }
  if (problems.length > 0) return err(problems);
  for (const c of input.candidates) {
    if (c.votes > input.ballots) {
      problems.push({
        code: 'CONTEST_VOTES_ABOVE_BALLOTS',
        where: `${where}: ${c.name}`,
        message: `${c.name} has ${c.votes} votes but only ${input.ballots} ballots were cast`,
      });
    }
  }
  const total = input.candidates.reduce((s, c) => s + c.votes, 0);
  if (total > input.ballots * input.votesAllowed) {
    problems.push({
      code: 'CONTEST_VOTES_ABOVE_BALLOTS',
      where,
      message: `${total} votes in all, but ${input.ballots} ballots with ${input.votesAllowed} vote(s) each allow at most ${input.ballots * input.votesAllowed}`,
    });
  }
  if (input.numWinners >= input.candidates.length && input.candidates.length > 0) {
    // Arlo allows it (no loser, diluted margin −1), but no audit can check such a
    // contest: everyone won. Refuse it rather than print a meaningless risk.
    problems.push({
      code: 'CONTEST_TOO_MANY_WINNERS',
      where: `${where}: numWinners`,
      message: `${input.numWinners} winner(s) among ${input.candidates.length} candidate(s): nobody lost, there is nothing to audit`,
    });
  }
  if (problems.length > 0) return err(problems);
  // Stable sort, most votes first: as Python's sorted(…, reverse=True) in Arlo.
  const ranked = input.candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.votes - a.c.votes || a.i - b.i)
    .map(({ c }) => c);
  const winners = ranked.slice(0, input.numWinners);
  const losers = ranked.slice(input.numWinners);
  let minMargin = input.ballots;
  for (const w of winners)
    for (const l of losers) minMargin = Math.min(minMargin, w.votes - l.votes);
  return ok({
    name: input.name ?? 'contest',
    candidates: [...input.candidates],
    ballots: input.ballots,
    numWinners: input.numWinners,
    votesAllowed: input.votesAllowed,
    winners,
    losers,
    dilutedMargin: losers.length > 0 && input.ballots > 0 ? minMargin / input.ballots : -1,
  });
}

/**
 * Parses a contest in Arlo's JSON shape. An optional `"winners": [names]` states
 * the reported winners: each must be among the top `numWinners` (a reported
 * winner with fewer votes than a loser is an impossible report), and an
 * optional `"name"` names the contest.
 */
export function parseContest(
  json: unknown,
  where = 'contest',
): Result<Contest, AuditInputProblem[]> {
  if (!isPlainObject(json)) {
    return err([
      {
        code: 'CONTEST_NOT_OBJECT',
        where,
        message: 'a contest is a JSON object of candidates and counts',
      },
    ]);
  }
  const problems: AuditInputProblem[] = [];
  for (const field of ['ballots', 'numWinners', 'votesAllowed'] as const) {
    if (!(field in json)) {
      problems.push({ code: 'CONTEST_MISSING_FIELD', where, message: `no "${field}"` });
    }
  }
  if (problems.length > 0) return err(problems);
  const candidates = Object.keys(json)
    .filter((k) => !RESERVED.has(k))
    .map((name) => ({ name, votes: json[name] as number }));
  const name = typeof json.name === 'string' ? json.name : undefined;
  const created = createContest(
    {
      ...(name === undefined ? {} : { name }),
      candidates,
      ballots: json.ballots as number,
      numWinners: json.numWinners as number,
      votesAllowed: json.votesAllowed as number,
    },
    where,
  );
  if (!created.ok || json.winners === undefined) return created;
  const declared = json.winners;
  if (!Array.isArray(declared) || !declared.every((w) => typeof w === 'string')) {
    return err([
      {
        code: 'CONTEST_BAD_COUNT',
        where: `${where}: winners`,
        message: '"winners" must be a list of candidate names',
      },
    ]);
  }
  const contest = created.value;
  for (const w of declared) {
    const cand = contest.candidates.find((c) => c.name === w);
    if (cand === undefined) {
      problems.push({
        code: 'CONTEST_UNKNOWN_WINNER',
        where: `${where}: winners`,
        message: `"${w}" is not a candidate of the contest`,
      });
      continue;
    }
    // Against every candidate not reported as a winner: one of them with more
    // votes means the report contradicts its own tallies.
    const above = contest.candidates.find(
      (l) => !declared.includes(l.name) && l.votes > cand.votes,
    );
    if (above !== undefined) {
      problems.push({
        code: 'CONTEST_WINNER_BELOW_LOSER',
        where: `${where}: winners`,
        message: `reported winner ${w} has ${cand.votes} votes, fewer than ${above.name} with ${above.votes}`,
      });
    }
  }
  if (problems.length === 0 && declared.length !== contest.numWinners) {
    problems.push({
      code: 'CONTEST_TOO_MANY_WINNERS',
      where: `${where}: winners`,
      message: `${declared.length} reported winner(s) but numWinners is ${contest.numWinners}`,
    });
  }
  if (problems.length > 0) return err(problems);
  // The report names its winners (a tie broken by lot, say): audit those.
  const names = declared;
  const ranked = [...contest.winners, ...contest.losers];
  return ok({
    ...contest,
    winners: ranked.filter((c) => names.includes(c.name)),
    losers: ranked.filter((c) => !names.includes(c.name)),
  });
}

/**
 * Parses earlier rounds' sample results, `{"round1": {"cand1": 72, …}, …}`, in the
 * order given, against the contest (an unknown candidate is refused; a missing
 * one had no sampled vote).
 */
export function parseSampleResults(
  json: unknown,
  contest: Contest,
  where = 'sample results',
): Result<SampleRound[], AuditInputProblem[]> {
  if (!isPlainObject(json)) {
    return err([
      {
        code: 'SAMPLE_RESULTS_NOT_OBJECT',
        where,
        message: 'sample results are a JSON object of rounds, each an object of candidate counts',
      },
    ]);
  }
  const problems: AuditInputProblem[] = [];
  const names = new Set(contest.candidates.map((c) => c.name));
  const rounds: SampleRound[] = [];
  for (const [round, tally] of Object.entries(json)) {
    if (!isPlainObject(tally)) {
      problems.push({
        code: 'SAMPLE_RESULTS_NOT_OBJECT',
        where: `${where}: ${round}`,
        message: 'a round is an object of candidate counts',
      });
      continue;
    }
    const counts = new Map<string, number>();
    for (const [cand, n] of Object.entries(tally)) {
      if (!names.has(cand)) {
        problems.push({
          code: 'SAMPLE_RESULTS_UNKNOWN_CANDIDATE',
          where: `${where}: ${round}.${cand}`,
          message: `"${cand}" is not a candidate of ${contest.name}`,
        });
      } else if (!isCount(n)) {
        problems.push({
          code: 'SAMPLE_RESULTS_BAD_COUNT',
          where: `${where}: ${round}.${cand}`,
          message: `${describe(n)} is not a count (a non-negative integer)`,
        });
      } else {
        counts.set(cand, n);
      }
    }
    rounds.push({ round, tally: counts });
  }
  return problems.length > 0 ? err(problems) : ok(rounds);
}

/**
 * Checks a risk limit given in percent: a number in (0, 50] (an audit with a
 * risk limit above one half would confirm a wrong outcome more often than not).
 * Returns it as a fraction (alpha).
 */
export function parseRiskLimit(
  percent: number,
  where = 'risk limit',
): Result<number, AuditInputProblem> {
  if (!Number.isFinite(percent) || percent <= 0 || percent > 50) {
    return err({
      code: 'RISK_LIMIT_OUT_OF_RANGE',
      where,
      message: `the risk limit must be a percentage in (0, 50], got ${describe(percent)}`,
    });
  }
  return ok(percent / 100);
}

/**
 * The sample-size options of an audit round, keyed as Arlo keys them: `asn` (the
 * average sample number, with the chance of finishing in the round at that size),
 * `0.7`/`0.8`/`0.9` (the size that finishes the audit in this round with that
 * chance if the reported results are right), `supersimple` (a ballot-comparison
 * audit's one option), `macro` (a batch-comparison audit's), or `all-ballots`
 * alone when the audit must count every ballot (escalation to a full hand count).
 */
export type SampleSizeKey = 'asn' | '0.7' | '0.8' | '0.9' | 'supersimple' | 'macro' | 'all-ballots';

export interface SampleSizeOption {
  /**
   * Ballots (batches, for a batch audit) to sample, as Arlo counts them for the
   * method: see each method's function for whether earlier rounds' draws are
   * included.
   */
  readonly size: number;
  /** The chance this size finishes the audit, when known. */
  readonly prob: number | null;
}

export type SampleSizeOptions = Partial<Readonly<Record<SampleSizeKey, SampleSizeOption>>>;

/** The risk measured for one winner–loser pair: the p-value of "the loser really won". */
export interface PairRisk {
  readonly winner: string;
  readonly loser: string;
  readonly pValue: number;
}

/** An audit round's risk measurement: every pair's p-value, and whether all are within the risk limit. */
export interface RiskMeasurement {
  readonly pValues: readonly PairRisk[];
  readonly confirmed: boolean;
}
