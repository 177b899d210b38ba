/**
 * The audit record (issue #6, item 5): every round of a risk-limiting audit —
 * the seed and how it was made, the sample drawn from it, the paper as read,
 * the risk measured — written down so that anyone can recompute it from the
 * record and the public ballot manifest, and find any step that does not
 * follow from the ones before it.
 *
 * A record is JSON (`format: "acta-audit-record/1"`):
 *
 *   { format, method: "bravo" | "minerva", riskLimit (percent), contest (Arlo's shape),
 *     seed: { ceremony: {commitments, reveals} } | { value: "…" },
 *     manifest: { sha256, batches, ballots }, withReplacement,
 *     rounds: [ { round: 1, sampleSize, sample: [{ticket, batch, position, times_sampled}],
 *                 results?: {cand: votes}, risk?: {p_values_by_winner_loser, confirmed} } ] }
 *
 * Round k draws `sampleSize` ballots after the draws of rounds 1…k−1 (Arlo's
 * rounds), so the sample of every round is a function of the seed and the
 * manifest. The results of a round are the sampled ballots' votes as read
 * from paper; the risk is computed from all rounds' results so far. The
 * record is built one step at a time (start, draw, results), each step
 * refusing what would make the record inconsistent, and checked whole by
 * `verifyAuditRecord`.
 */
import { z } from 'zod';
import { err, ok, type Result } from '@acta/crypto';
import { drawArloSample, type ArloSampledBallot, type ManifestBatch } from './arlo-sample.js';
import {
  computePollingRisk,
  computePollingSampleSizes,
  isPollingMethod,
  type PollingMethod,
} from './ballot-polling.js';
import {
  parseContest,
  parseRiskLimit,
  parseSampleResults,
  type Contest,
  type RiskMeasurement,
  type SampleRound,
  type SampleSizeOptions,
} from './contest.js';
import { combineSeedCeremony } from './seed-ceremony.js';

export const AUDIT_RECORD_FORMAT = 'acta-audit-record/1';

export type AuditRecordCode =
  | 'AUDIT_RECORD_MALFORMED'
  | 'AUDIT_RECORD_CONTEST'
  | 'AUDIT_RECORD_SEED'
  | 'AUDIT_RECORD_MANIFEST_MISMATCH'
  | 'AUDIT_RECORD_ROUND_NUMBER'
  | 'AUDIT_RECORD_SAMPLE_MISMATCH'
  | 'AUDIT_RECORD_RESULTS'
  | 'AUDIT_RECORD_RESULTS_EXCEED_SAMPLE'
  | 'AUDIT_RECORD_RISK_MISMATCH'
  | 'AUDIT_RECORD_ROUND_OPEN'
  | 'AUDIT_RECORD_FINISHED';

export interface AuditRecordProblem {
  readonly code: AuditRecordCode;
  readonly where: string;
  readonly message: string;
}

const ticketSchema = z.object({
  ticket: z.string().regex(/^0\.[0-9]+$/),
  batch: z.string(),
  position: z.number().int().positive(),
  times_sampled: z.number().int().positive(),
});

const riskSchema = z.object({
  p_values_by_winner_loser: z.record(z.string(), z.number().min(0).max(1)),
  confirmed: z.boolean(),
});

const roundSchema = z.object({
  round: z.number().int().positive(),
  sampleSize: z.number().int().nonnegative(),
  sample: z.array(ticketSchema),
  results: z.record(z.string(), z.unknown()).optional(),
  risk: riskSchema.optional(),
});

const seedSchema = z.union([
  z.object({
    ceremony: z.object({
      commitments: z.array(z.object({ observer: z.string(), commitment: z.string() })),
      reveals: z.array(z.object({ observer: z.string(), digits: z.string(), nonce: z.string() })),
    }),
  }),
  z.object({ value: z.string().min(1) }),
]);

const recordSchema = z.object({
  format: z.literal(AUDIT_RECORD_FORMAT),
  method: z.enum(['bravo', 'minerva']),
  riskLimit: z.number(),
  contest: z.record(z.string(), z.unknown()),
  seed: seedSchema,
  manifest: z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    batches: z.number().int().nonnegative(),
    ballots: z.number().int().nonnegative(),
  }),
  withReplacement: z.boolean(),
  rounds: z.array(roundSchema),
});

/** An audit record, as JSON data (see the module header). */
export type AuditRecord = z.infer<typeof recordSchema>;
export type AuditRecordRound = z.infer<typeof roundSchema>;
export type AuditRecordSeed = z.infer<typeof seedSchema>;

/** The public manifest an audit samples from, with the SHA-256 of its file's bytes. */
export interface AuditManifest {
  readonly batches: readonly ManifestBatch[];
  readonly sha256: string;
}

/** Where an audit stands. */
export type AuditStatus = 'confirmed' | 'in-progress' | 'full-hand-count';

/** What a record check found. */
export interface AuditRecordReport {
  readonly ok: boolean;
  readonly problems: readonly AuditRecordProblem[];
  readonly method: string;
  readonly seed: string | null;
  readonly rounds: readonly {
    readonly round: number;
    readonly sampleSize: number;
    readonly risk: RiskMeasurement | null;
  }[];
  /** Where the audit stands (null when the record does not check). */
  readonly status: AuditStatus | null;
  /** The next round's options when the audit goes on. */
  readonly next: SampleSizeOptions | null;
}

/** A record parsed, with its contest and seed checked. */
interface Checked {
  readonly record: AuditRecord;
  readonly method: PollingMethod;
  readonly alpha: number;
  readonly contest: Contest;
  readonly seed: string;
}

function zodProblems(error: z.ZodError, where: string): AuditRecordProblem[] {
  return error.issues.map((i) => ({
    code: 'AUDIT_RECORD_MALFORMED',
    where: `${where}: ${i.path.join('.') || 'record'}`,
    message: i.message,
  }));
}

function seedOf(seed: AuditRecordSeed, where: string): Result<string, AuditRecordProblem[]> {
  if ('value' in seed) return ok(seed.value);
  const r = combineSeedCeremony(seed.ceremony, `${where}: seed.ceremony`);
  if (r.ok) return ok(r.value.seed);
  return err(
    r.error.map((p) => ({
      code: 'AUDIT_RECORD_SEED',
      where: p.where,
      message: `${p.code}: ${p.message}`,
    })),
  );
}

/** Parses a record and checks its contest, risk limit and seed. */
function checkRecord(json: unknown, where: string): Result<Checked, AuditRecordProblem[]> {
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) return err(zodProblems(parsed.error, where));
  const record = parsed.data;
  const problems: AuditRecordProblem[] = [];
  const contest = parseContest(record.contest, `${where}: contest`);
  if (!contest.ok) {
    for (const p of contest.error)
      problems.push({ code: 'AUDIT_RECORD_CONTEST', where: p.where, message: p.message });
  }
  const alpha = parseRiskLimit(record.riskLimit, `${where}: riskLimit`);
  if (!alpha.ok)
    problems.push({
      code: 'AUDIT_RECORD_MALFORMED',
      where: alpha.error.where,
      message: alpha.error.message,
    });
  const seed = seedOf(record.seed, where);
  if (!seed.ok) problems.push(...seed.error);
  if (!contest.ok || !alpha.ok || !seed.ok || !isPollingMethod(record.method)) return err(problems);
  return ok({
    record,
    method: record.method,
    alpha: alpha.value,
    contest: contest.value,
    seed: seed.value,
  });
}

function sampleJson(sample: readonly ArloSampledBallot[]): AuditRecordRound['sample'] {
  return sample.map((s) => ({
    ticket: s.ticket,
    batch: s.batch,
    position: s.position,
    times_sampled: s.timesSampled,
  }));
}

function riskToJson(risk: RiskMeasurement): NonNullable<AuditRecordRound['risk']> {
  const p: Record<string, number> = {};
  for (const x of risk.pValues) p[`${x.winner}|${x.loser}`] = x.pValue;
  return { p_values_by_winner_loser: p, confirmed: risk.confirmed };
}

function drawRound(
  c: Checked,
  manifest: AuditManifest,
  roundIndex: number,
  size: number,
): ArloSampledBallot[] {
  const alreadyDrawn = c.record.rounds.slice(0, roundIndex).reduce((s, r) => s + r.sampleSize, 0);
  return drawArloSample(manifest.batches, {
    seed: c.seed,
    sampleSize: size,
    alreadyDrawn,
    withReplacement: c.record.withReplacement,
  });
}

function checkManifest(c: Checked, manifest: AuditManifest, where: string): AuditRecordProblem[] {
  const ballots = manifest.batches.reduce((s, b) => s + b.ballots, 0);
  const m = c.record.manifest;
  if (
    m.sha256 === manifest.sha256 &&
    m.batches === manifest.batches.length &&
    m.ballots === ballots
  ) {
    return [];
  }
  return [
    {
      code: 'AUDIT_RECORD_MANIFEST_MISMATCH',
      where: `${where}: manifest`,
      message: `the record was drawn from a manifest with SHA-256 ${m.sha256} (${m.batches} batches, ${m.ballots} ballots); this one has ${manifest.sha256} (${manifest.batches.length} batches, ${ballots} ballots)`,
    },
  ];
}

/** The rounds' results as sample rounds (with problems for bad counts), up to `upto` rounds. */
function resultsOf(
  c: Checked,
  upto: number,
  where: string,
): Result<SampleRound[], AuditRecordProblem[]> {
  const rounds: SampleRound[] = [];
  const problems: AuditRecordProblem[] = [];
  c.record.rounds.slice(0, upto).forEach((r, i) => {
    const place = `${where}: rounds[${i}].results`;
    if (r.results === undefined) return;
    const parsed = parseSampleResults({ [`round${r.round}`]: r.results }, c.contest, place);
    if (!parsed.ok) {
      for (const p of parsed.error)
        problems.push({ code: 'AUDIT_RECORD_RESULTS', where: p.where, message: p.message });
      return;
    }
    const round = parsed.value[0]!;
    const votes = [...round.tally.values()].reduce((s, n) => s + n, 0);
    const limit = r.sampleSize * c.contest.votesAllowed;
    if (votes > limit) {
      problems.push({
        code: 'AUDIT_RECORD_RESULTS_EXCEED_SAMPLE',
        where: place,
        message: `${votes} votes read from ${r.sampleSize} sampled ballot(s), which allow at most ${limit}`,
      });
    }
    rounds.push(round);
  });
  return problems.length > 0 ? err(problems) : ok(rounds);
}

/** Starts a record: method, risk limit, contest, seed and manifest, no round yet. */
export function startAuditRecord(
  input: {
    readonly method: PollingMethod;
    readonly riskLimit: number;
    readonly contest: Record<string, unknown>;
    readonly seed: AuditRecordSeed;
    readonly manifest: AuditManifest;
    readonly withReplacement?: boolean;
  },
  where = 'audit record',
): Result<AuditRecord, AuditRecordProblem[]> {
  const record: AuditRecord = {
    format: AUDIT_RECORD_FORMAT,
    method: input.method,
    riskLimit: input.riskLimit,
    contest: input.contest,
    seed: input.seed,
    manifest: {
      sha256: input.manifest.sha256,
      batches: input.manifest.batches.length,
      ballots: input.manifest.batches.reduce((s, b) => s + b.ballots, 0),
    },
    withReplacement: input.withReplacement ?? true,
    rounds: [],
  };
  const c = checkRecord(record, where);
  return c.ok ? ok(record) : err(c.error);
}

/**
 * Draws the next round's sample of `size` ballots and appends it. Refused
 * while the last round has no results, or once the audit is confirmed.
 */
export function drawAuditRound(
  json: unknown,
  manifest: AuditManifest,
  size: number,
  where = 'audit record',
): Result<AuditRecord, AuditRecordProblem[]> {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError('a round samples at least one ballot');
  const c = checkRecord(json, where);
  if (!c.ok) return c;
  const bad = checkManifest(c.value, manifest, where);
  if (bad.length > 0) return err(bad);
  const rounds = c.value.record.rounds;
  const last = rounds.at(-1);
  if (last !== undefined && last.results === undefined) {
    return err([
      {
        code: 'AUDIT_RECORD_ROUND_OPEN',
        where: `${where}: rounds[${rounds.length - 1}]`,
        message: `round ${last.round} has no results yet: record what the paper says before drawing another round`,
      },
    ]);
  }
  if (last?.risk?.confirmed === true) {
    return err([
      {
        code: 'AUDIT_RECORD_FINISHED',
        where: `${where}: rounds[${rounds.length - 1}]`,
        message: 'the audit already confirmed the outcome: there is no next round',
      },
    ]);
  }
  const sample = drawRound(c.value, manifest, rounds.length, size);
  return ok({
    ...c.value.record,
    rounds: [...rounds, { round: rounds.length + 1, sampleSize: size, sample: sampleJson(sample) }],
  });
}

/**
 * Records the last round's results (the sampled ballots' votes, as read on
 * paper: `{cand: votes}`) and the risk they give with the earlier rounds.
 */
export function recordAuditResults(
  json: unknown,
  results: Record<string, unknown>,
  where = 'audit record',
): Result<AuditRecord, AuditRecordProblem[]> {
  const c = checkRecord(json, where);
  if (!c.ok) return c;
  const rounds = c.value.record.rounds;
  const last = rounds.at(-1);
  if (last === undefined || last.results !== undefined) {
    return err([
      {
        code: 'AUDIT_RECORD_ROUND_NUMBER',
        where: `${where}: rounds`,
        message: 'no round is waiting for results: draw a round first',
      },
    ]);
  }
  const updated: AuditRecord = {
    ...c.value.record,
    rounds: [...rounds.slice(0, -1), { ...last, results }],
  };
  const checked: Checked = { ...c.value, record: updated };
  const sampleRounds = resultsOf(checked, rounds.length, where);
  if (!sampleRounds.ok) return sampleRounds;
  const risk = computePollingRisk(
    c.value.method,
    c.value.contest,
    c.value.alpha,
    sampleRounds.value,
  );
  return ok({
    ...updated,
    rounds: [...rounds.slice(0, -1), { ...last, results, risk: riskToJson(risk) }],
  });
}

function sameRisk(
  a: NonNullable<AuditRecordRound['risk']>,
  b: NonNullable<AuditRecordRound['risk']>,
): boolean {
  const ka = Object.keys(a.p_values_by_winner_loser).sort();
  const kb = Object.keys(b.p_values_by_winner_loser).sort();
  if (a.confirmed !== b.confirmed || ka.join('\u0000') !== kb.join('\u0000')) return false;
  // Another implementation may differ in the last bits of a float.
  return ka.every((k) => {
    const x = a.p_values_by_winner_loser[k]!;
    const y = b.p_values_by_winner_loser[k]!;
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  });
}

/**
 * Recomputes a whole record from its seed and the manifest: the seed (every
 * reveal against its commitment), every round's sample (ticket for ticket),
 * the results' plausibility (no more votes than the sample allows), every
 * recorded risk, and where the audit stands.
 */
export function verifyAuditRecord(
  json: unknown,
  manifest: AuditManifest,
  where = 'audit record',
): AuditRecordReport {
  const c = checkRecord(json, where);
  const method = (json as { method?: unknown } | null)?.method;
  if (!c.ok) {
    return {
      ok: false,
      problems: c.error,
      method: typeof method === 'string' ? method : '',
      seed: null,
      rounds: [],
      status: null,
      next: null,
    };
  }
  const { record } = c.value;
  const problems: AuditRecordProblem[] = [...checkManifest(c.value, manifest, where)];
  const rounds: { round: number; sampleSize: number; risk: RiskMeasurement | null }[] = [];
  if (problems.length === 0) {
    record.rounds.forEach((r, i) => {
      const place = `${where}: rounds[${i}]`;
      if (r.round !== i + 1) {
        problems.push({
          code: 'AUDIT_RECORD_ROUND_NUMBER',
          where: place,
          message: `round ${r.round} is number ${i + 1} in the record`,
        });
      }
      if (i < record.rounds.length - 1 && (r.results === undefined || r.risk === undefined)) {
        problems.push({
          code: 'AUDIT_RECORD_ROUND_OPEN',
          where: place,
          message: 'a round before the last has no results or risk',
        });
      }
      const drawn = sampleJson(drawRound(c.value, manifest, i, r.sampleSize));
      const firstDiff = drawn.findIndex(
        (d, j) => JSON.stringify(d) !== JSON.stringify(r.sample[j]),
      );
      if (drawn.length !== r.sample.length || firstDiff >= 0) {
        const j = firstDiff >= 0 ? firstDiff : Math.min(drawn.length, r.sample.length);
        problems.push({
          code: 'AUDIT_RECORD_SAMPLE_MISMATCH',
          where: `${place}.sample[${j}]`,
          message: `the seed and manifest draw ${JSON.stringify(drawn[j] ?? null)}, the record says ${JSON.stringify(r.sample[j] ?? null)}`,
        });
      }
      if (r.results === undefined) {
        rounds.push({ round: r.round, sampleSize: r.sampleSize, risk: null });
        return;
      }
      const sampleRounds = resultsOf(c.value, i + 1, where);
      if (!sampleRounds.ok) {
        problems.push(...sampleRounds.error.filter((p) => p.where.startsWith(`${place}.`)));
        rounds.push({ round: r.round, sampleSize: r.sampleSize, risk: null });
        return;
      }
      const risk = computePollingRisk(
        c.value.method,
        c.value.contest,
        c.value.alpha,
        sampleRounds.value,
      );
      rounds.push({ round: r.round, sampleSize: r.sampleSize, risk });
      if (r.risk === undefined || !sameRisk(r.risk, riskToJson(risk))) {
        problems.push({
          code: 'AUDIT_RECORD_RISK_MISMATCH',
          where: `${place}.risk`,
          message: `the results give ${JSON.stringify(riskToJson(risk))}, the record says ${JSON.stringify(r.risk ?? null)}`,
        });
      }
    });
  }
  if (problems.length > 0) {
    return {
      ok: false,
      problems,
      method: record.method,
      seed: c.value.seed,
      rounds,
      status: null,
      next: null,
    };
  }
  const last = rounds.at(-1);
  if (last?.risk?.confirmed === true) {
    return {
      ok: true,
      problems,
      method: record.method,
      seed: c.value.seed,
      rounds,
      status: 'confirmed',
      next: null,
    };
  }
  const results = resultsOf(c.value, record.rounds.length, where);
  const next = computePollingSampleSizes(
    c.value.method,
    c.value.contest,
    c.value.alpha,
    results.ok ? results.value : [],
  );
  return {
    ok: true,
    problems,
    method: record.method,
    seed: c.value.seed,
    rounds,
    status: next['all-ballots'] !== undefined ? 'full-hand-count' : 'in-progress',
    next,
  };
}
