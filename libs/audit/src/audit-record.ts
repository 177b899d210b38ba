/**
 * The audit record (issue #6, item 5): every round of a risk-limiting audit —
 * the seed and how it was made, the sample drawn from it, the paper as read,
 * the risk measured — written down so that anyone can recompute it from the
 * record and the public inputs (the ballot manifest; for a batch comparison the
 * published actas; for a ballot comparison the cast-vote records), and find
 * any step that does not follow from the ones before it.
 *
 * A record is JSON (`format: "acta-audit-record/1"`, docs/audit.md §5):
 *
 *   { format, method: "bravo" | "minerva" | "macro" | "supersimple",
 *     riskLimit (percent), contest (Arlo's shape),
 *     seed: { ceremony: {commitments, reveals} } | { value: "…" },
 *     manifest: { sha256, batches, ballots },
 *     tallies?: { sha256, batches }      — macro: the published actas
 *     cvrs?: { sha256, ballots }         — supersimple: the cast-vote records
 *     withReplacement,
 *     rounds: [ { round, sampleSize, sample, results?, risk? } ] }
 *
 * Round k draws `sampleSize` more (ballots, or mesas for MACRO) after the draws
 * of rounds 1…k−1, so every sample is a function of the seed and the public
 * inputs. The results of a round are what the paper says:
 *
 *   bravo, minerva  {cand: votes} — the round's sampled votes (a ballot drawn twice counts twice);
 *   macro           {mesa: {cand: votes}} — the hand count of each mesa first drawn this round;
 *   supersimple     {"BATCH:POSITION": {cand: 0|1} | "not-found"} — each ballot first drawn this round.
 *
 * The risk is computed from all rounds' results so far. The record is built
 * one step at a time (start, draw, results), each step refusing what would
 * make it inconsistent, and checked whole by `verifyAuditRecord`.
 */
import { z } from 'zod';
import { err, ok, type Result } from '@acta/crypto';
import { drawArloSample, type ManifestBatch } from './arlo-sample.js';
import {
  computePollingRisk,
  computePollingSampleSizes,
  isPollingMethod,
} from './ballot-polling.js';
import {
  parseContest,
  parseRiskLimit,
  parseSampleResults,
  type Contest,
  type SampleRound,
  type SampleSizeOptions,
} from './contest.js';
import {
  computeMacroRisk,
  computeMacroSampleSizes,
  type AuditedBatch,
  type BatchTally,
  type MacroDraw,
} from './macro.js';
import { drawPpebSample } from './ppeb-sample.js';
import { combineSeedCeremony } from './seed-ceremony.js';
import {
  computeDiscrepancies,
  computeSupersimpleRisk,
  computeSupersimpleSampleSizes,
  countDiscrepancies,
  type AuditedBallot,
  type CvrBallot,
} from './supersimple.js';

export const AUDIT_RECORD_FORMAT = 'acta-audit-record/1';

/** The methods a record can hold. */
export type AuditMethod = 'bravo' | 'minerva' | 'macro' | 'supersimple';
export const AUDIT_METHODS: readonly AuditMethod[] = ['bravo', 'minerva', 'macro', 'supersimple'];

export type AuditRecordCode =
  | 'AUDIT_RECORD_MALFORMED'
  | 'AUDIT_RECORD_CONTEST'
  | 'AUDIT_RECORD_SEED'
  | 'AUDIT_RECORD_MANIFEST_MISMATCH'
  | 'AUDIT_RECORD_TALLIES_MISMATCH'
  | 'AUDIT_RECORD_CVRS_MISMATCH'
  | 'AUDIT_RECORD_INPUT_MISSING'
  | 'AUDIT_RECORD_ROUND_NUMBER'
  | 'AUDIT_RECORD_SAMPLE_MISMATCH'
  | 'AUDIT_RECORD_RESULTS'
  | 'AUDIT_RECORD_RESULTS_EXCEED_SAMPLE'
  | 'AUDIT_RECORD_RESULTS_NOT_DRAWN'
  | 'AUDIT_RECORD_RESULTS_MISSING'
  | 'AUDIT_RECORD_RISK_MISMATCH'
  | 'AUDIT_RECORD_ROUND_OPEN'
  | 'AUDIT_RECORD_FINISHED';

export interface AuditRecordProblem {
  readonly code: AuditRecordCode;
  readonly where: string;
  readonly message: string;
}

const drawSchema = z.object({
  ticket: z.string().regex(/^0\.[0-9]+$/),
  batch: z.string(),
  /** Absent for a mesa drawn by a batch audit. */
  position: z.number().int().positive().optional(),
  times_sampled: z.number().int().positive(),
});

const riskSchema = z.object({
  p_values_by_winner_loser: z.record(z.string(), z.number().min(0).max(1)).optional(),
  p_value: z.number().min(0).max(1).optional(),
  confirmed: z.boolean(),
});

const roundSchema = z.object({
  round: z.number().int().positive(),
  sampleSize: z.number().int().nonnegative(),
  sample: z.array(drawSchema),
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

const HASH = z.string().regex(/^[0-9a-f]{64}$/);

const recordSchema = z.object({
  format: z.literal(AUDIT_RECORD_FORMAT),
  method: z.enum(['bravo', 'minerva', 'macro', 'supersimple']),
  riskLimit: z.number(),
  contest: z.record(z.string(), z.unknown()),
  seed: seedSchema,
  manifest: z.object({
    sha256: HASH,
    batches: z.number().int().nonnegative(),
    ballots: z.number().int().nonnegative(),
  }),
  tallies: z.object({ sha256: HASH, batches: z.number().int().nonnegative() }).optional(),
  cvrs: z.object({ sha256: HASH, ballots: z.number().int().nonnegative() }).optional(),
  withReplacement: z.boolean(),
  rounds: z.array(roundSchema),
});

/** An audit record, as JSON data (see the module header). */
export type AuditRecord = z.infer<typeof recordSchema>;
export type AuditRecordRound = z.infer<typeof roundSchema>;
export type AuditRecordSeed = z.infer<typeof seedSchema>;
export type AuditRecordRisk = z.infer<typeof riskSchema>;

/** The public manifest an audit samples from, with the SHA-256 of its file's bytes. */
export interface AuditManifest {
  readonly batches: readonly ManifestBatch[];
  readonly sha256: string;
}

/**
 * The public inputs an audit is recomputed from: always the manifest; the
 * published actas for MACRO (their ballots per mesa are the manifest's); the
 * cast-vote records (keyed `BATCH:POSITION`) for super-simple.
 */
export interface AuditInputs {
  readonly manifest: AuditManifest;
  readonly tallies?: { readonly batches: readonly BatchTally[]; readonly sha256: string };
  readonly cvrs?: { readonly ballots: ReadonlyMap<string, CvrBallot>; readonly sha256: string };
}

/** Where an audit stands. */
export type AuditStatus = 'confirmed' | 'in-progress' | 'full-hand-count';

/** One round as recomputed. */
export interface AuditRoundReport {
  readonly round: number;
  readonly sampleSize: number;
  /** The recomputed risk (null: no results yet, or they do not check). */
  readonly risk: AuditRecordRisk | null;
}

/** What a record check found. */
export interface AuditRecordReport {
  readonly ok: boolean;
  readonly problems: readonly AuditRecordProblem[];
  readonly method: string;
  readonly seed: string | null;
  readonly rounds: readonly AuditRoundReport[];
  /** Where the audit stands (null when the record does not check). */
  readonly status: AuditStatus | null;
  /** The next round's options when the audit goes on. */
  readonly next: SampleSizeOptions | null;
}

/** The id of the ballot at `position` of `batch` in CVR files and super-simple results. */
export function formatBallotId(batch: string, position: number): string {
  return `${batch}:${position}`;
}

/** A record parsed, with its contest, risk limit, seed and inputs checked. */
interface Checked {
  readonly record: AuditRecord;
  readonly alpha: number;
  readonly contest: Contest;
  readonly seed: string;
  readonly inputs: AuditInputs;
  /** MACRO: the actas with each mesa's ballots from the manifest. */
  readonly reported: readonly BatchTally[];
}

type Draw = AuditRecordRound['sample'][number];

function problem(code: AuditRecordCode, where: string, message: string): AuditRecordProblem {
  return { code, where, message };
}

function zodProblems(error: z.ZodError, where: string): AuditRecordProblem[] {
  return error.issues.map((i) =>
    problem('AUDIT_RECORD_MALFORMED', `${where}: ${i.path.join('.') || 'record'}`, i.message),
  );
}

function seedOf(seed: AuditRecordSeed, where: string): Result<string, AuditRecordProblem[]> {
  if ('value' in seed) return ok(seed.value);
  const r = combineSeedCeremony(seed.ceremony, `${where}: seed.ceremony`);
  if (r.ok) return ok(r.value.seed);
  return err(r.error.map((p) => problem('AUDIT_RECORD_SEED', p.where, `${p.code}: ${p.message}`)));
}

function sumBallots(manifest: AuditManifest): number {
  return manifest.batches.reduce((s, b) => s + b.ballots, 0);
}

/** The inputs against what the record says it was drawn from. */
function checkInputs(
  record: AuditRecord,
  inputs: AuditInputs,
  where: string,
): AuditRecordProblem[] {
  const problems: AuditRecordProblem[] = [];
  const m = record.manifest;
  const ballots = sumBallots(inputs.manifest);
  if (
    m.sha256 !== inputs.manifest.sha256 ||
    m.batches !== inputs.manifest.batches.length ||
    m.ballots !== ballots
  ) {
    problems.push(
      problem(
        'AUDIT_RECORD_MANIFEST_MISMATCH',
        `${where}: manifest`,
        `the record was drawn from a manifest with SHA-256 ${m.sha256} (${m.batches} batches, ${m.ballots} ballots); this one has ${inputs.manifest.sha256} (${inputs.manifest.batches.length} batches, ${ballots} ballots)`,
      ),
    );
  }
  if (record.method === 'macro') {
    if (record.tallies === undefined || inputs.tallies === undefined) {
      problems.push(
        problem(
          'AUDIT_RECORD_INPUT_MISSING',
          `${where}: tallies`,
          'a batch-comparison audit needs the published actas (tallies)',
        ),
      );
    } else if (
      record.tallies.sha256 !== inputs.tallies.sha256 ||
      record.tallies.batches !== inputs.tallies.batches.length
    ) {
      problems.push(
        problem(
          'AUDIT_RECORD_TALLIES_MISMATCH',
          `${where}: tallies`,
          `the record was drawn from actas with SHA-256 ${record.tallies.sha256} (${record.tallies.batches} mesas); these have ${inputs.tallies.sha256} (${inputs.tallies.batches.length} mesas)`,
        ),
      );
    }
  }
  if (record.method === 'supersimple') {
    if (record.cvrs === undefined || inputs.cvrs === undefined) {
      problems.push(
        problem(
          'AUDIT_RECORD_INPUT_MISSING',
          `${where}: cvrs`,
          'a ballot-comparison audit needs the cast-vote records',
        ),
      );
    } else if (
      record.cvrs.sha256 !== inputs.cvrs.sha256 ||
      record.cvrs.ballots !== inputs.cvrs.ballots.size
    ) {
      problems.push(
        problem(
          'AUDIT_RECORD_CVRS_MISMATCH',
          `${where}: cvrs`,
          `the record was drawn against CVRs with SHA-256 ${record.cvrs.sha256} (${record.cvrs.ballots} ballots); these have ${inputs.cvrs.sha256} (${inputs.cvrs.ballots.size} ballots)`,
        ),
      );
    }
  }
  return problems;
}

/** The actas with each mesa's ballots from the manifest (MACRO's error bounds need them). */
function reportedOf(
  inputs: AuditInputs,
  where: string,
): Result<BatchTally[], AuditRecordProblem[]> {
  if (inputs.tallies === undefined) return ok([]);
  const ballots = new Map(inputs.manifest.batches.map((b) => [b.batch, b.ballots]));
  const problems: AuditRecordProblem[] = [];
  const reported = inputs.tallies.batches.map((t) => {
    const n = ballots.get(t.batch);
    if (n === undefined) {
      problems.push(
        problem(
          'AUDIT_RECORD_TALLIES_MISMATCH',
          `${where}: tallies`,
          `mesa "${t.batch}" has an acta but is not in the manifest`,
        ),
      );
    }
    return { ...t, ballots: n ?? 0 };
  });
  return problems.length > 0 ? err(problems) : ok(reported);
}

/** Parses a record and checks its contest, risk limit, seed and inputs. */
function checkRecord(
  json: unknown,
  inputs: AuditInputs,
  where: string,
): Result<Checked, AuditRecordProblem[]> {
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) return err(zodProblems(parsed.error, where));
  const record = parsed.data;
  const problems: AuditRecordProblem[] = [];
  const contest = parseContest(record.contest, `${where}: contest`);
  if (!contest.ok) {
    for (const p of contest.error)
      problems.push(problem('AUDIT_RECORD_CONTEST', p.where, p.message));
  }
  const alpha = parseRiskLimit(record.riskLimit, `${where}: riskLimit`);
  if (!alpha.ok)
    problems.push(problem('AUDIT_RECORD_MALFORMED', alpha.error.where, alpha.error.message));
  const seed = seedOf(record.seed, where);
  if (!seed.ok) problems.push(...seed.error);
  problems.push(...checkInputs(record, inputs, where));
  const reported = reportedOf(inputs, where);
  if (!reported.ok) problems.push(...reported.error);
  if (!contest.ok || !alpha.ok || !seed.ok || !reported.ok || problems.length > 0)
    return err(problems);
  return ok({
    record,
    alpha: alpha.value,
    contest: contest.value,
    seed: seed.value,
    inputs,
    reported: reported.value,
  });
}

/** The draws of round `index` (0-based) with `size` draws, recomputed from the seed. */
function drawRound(c: Checked, index: number, size: number): Draw[] {
  const earlier = c.record.rounds.slice(0, index);
  if (c.record.method === 'macro') {
    const names = earlier.flatMap((r) => r.sample.map((s) => s.batch));
    return drawPpebSample(c.seed, c.contest, c.reported, size, names).map((d) => ({
      ticket: d.ticket,
      batch: d.batch,
      times_sampled: d.timesSampled,
    }));
  }
  const alreadyDrawn = earlier.reduce((s, r) => s + r.sampleSize, 0);
  return drawArloSample(c.inputs.manifest.batches, {
    seed: c.seed,
    sampleSize: size,
    alreadyDrawn,
    withReplacement: c.record.withReplacement,
  }).map((s) => ({
    ticket: s.ticket,
    batch: s.batch,
    position: s.position,
    times_sampled: s.timesSampled,
  }));
}

/** What a round's draws name: a mesa (MACRO) or a ballot `BATCH:POSITION`. */
function unitOf(method: AuditMethod, d: Draw): string {
  return method === 'macro' || d.position === undefined
    ? d.batch
    : formatBallotId(d.batch, d.position);
}

/** The units first drawn in round `index` (those whose paper this round's results must give). */
function newUnits(c: Checked, index: number): string[] {
  const before = new Set(
    c.record.rounds.slice(0, index).flatMap((r) => r.sample.map((d) => unitOf(c.record.method, d))),
  );
  const out: string[] = [];
  for (const d of c.record.rounds[index]?.sample ?? []) {
    const u = unitOf(c.record.method, d);
    if (!before.has(u) && !out.includes(u)) out.push(u);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks that a round's results name exactly the units first drawn in it. */
function checkCoverage(
  c: Checked,
  index: number,
  results: Record<string, unknown>,
  place: string,
): AuditRecordProblem[] {
  const wanted = newUnits(c, index);
  const given = Object.keys(results);
  const problems: AuditRecordProblem[] = [];
  const stray = given.filter((u) => !wanted.includes(u));
  const missing = wanted.filter((u) => !given.includes(u));
  if (stray.length > 0) {
    problems.push(
      problem(
        'AUDIT_RECORD_RESULTS_NOT_DRAWN',
        place,
        `results for ${stray.map((s) => `"${s}"`).join(', ')}, not first drawn in this round`,
      ),
    );
  }
  if (missing.length > 0) {
    problems.push(
      problem(
        'AUDIT_RECORD_RESULTS_MISSING',
        place,
        `no results for ${missing.map((s) => `"${s}"`).join(', ')}, drawn in this round`,
      ),
    );
  }
  return problems;
}

/** A candidate-count object of one unit, checked against the contest. */
function readCounts(
  c: Checked,
  value: unknown,
  place: string,
  marks: boolean,
): Result<Map<string, number>, AuditRecordProblem[]> {
  if (!isObject(value))
    return err([problem('AUDIT_RECORD_RESULTS', place, 'expected an object of candidate counts')]);
  const names = new Set(c.contest.candidates.map((x) => x.name));
  const counts = new Map<string, number>();
  const problems: AuditRecordProblem[] = [];
  for (const [cand, n] of Object.entries(value)) {
    if (!names.has(cand))
      problems.push(
        problem(
          'AUDIT_RECORD_RESULTS',
          `${place}.${cand}`,
          `"${cand}" is not a candidate of ${c.contest.name}`,
        ),
      );
    else if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || (marks && n > 1)) {
      problems.push(
        problem(
          'AUDIT_RECORD_RESULTS',
          `${place}.${cand}`,
          `${JSON.stringify(n)} is not ${marks ? 'a mark (0 or 1)' : 'a count'}`,
        ),
      );
    } else counts.set(cand, n);
  }
  return problems.length > 0 ? err(problems) : ok(counts);
}

/** The state of the paper after `upto` rounds, per method. */
type Paper =
  | { readonly kind: 'polling'; readonly rounds: SampleRound[] }
  | { readonly kind: 'macro'; readonly audited: AuditedBatch[]; readonly draws: MacroDraw[] }
  | { readonly kind: 'supersimple'; readonly audited: AuditedBallot[] };

/** Reads the results of rounds 0…upto−1, with every problem (placed in its round). */
function readPaper(c: Checked, upto: number, where: string): Result<Paper, AuditRecordProblem[]> {
  const problems: AuditRecordProblem[] = [];
  const rounds = c.record.rounds.slice(0, upto);
  const method = c.record.method;
  if (method === 'bravo' || method === 'minerva') {
    const out: SampleRound[] = [];
    rounds.forEach((r, i) => {
      const place = `${where}: rounds[${i}].results`;
      if (r.results === undefined) return;
      const parsed = parseSampleResults({ [`round${r.round}`]: r.results }, c.contest, place);
      if (!parsed.ok) {
        for (const p of parsed.error)
          problems.push(problem('AUDIT_RECORD_RESULTS', p.where, p.message));
        return;
      }
      const round = parsed.value[0]!;
      const votes = [...round.tally.values()].reduce((s, n) => s + n, 0);
      const limit = r.sampleSize * c.contest.votesAllowed;
      if (votes > limit) {
        problems.push(
          problem(
            'AUDIT_RECORD_RESULTS_EXCEED_SAMPLE',
            place,
            `${votes} votes read from ${r.sampleSize} sampled ballot(s), which allow at most ${limit}`,
          ),
        );
      }
      out.push(round);
    });
    return problems.length > 0 ? err(problems) : ok({ kind: 'polling', rounds: out });
  }
  if (method === 'macro') {
    const audited: AuditedBatch[] = [];
    const draws: MacroDraw[] = [];
    rounds.forEach((r, i) => {
      const place = `${where}: rounds[${i}].results`;
      for (const d of r.sample) draws.push({ ticket: d.ticket, batch: d.batch });
      if (r.results === undefined) return;
      problems.push(...checkCoverage(c, i, r.results, place));
      for (const [batch, value] of Object.entries(r.results)) {
        const counts = readCounts(c, value, `${place}.${batch}`, false);
        if (!counts.ok) problems.push(...counts.error);
        else audited.push({ batch, votes: counts.value });
      }
    });
    return problems.length > 0 ? err(problems) : ok({ kind: 'macro', audited, draws });
  }
  // supersimple: each ballot's marks, and how many times it was drawn in all.
  const times = new Map<string, number>();
  const read = new Map<string, ReadonlyMap<string, 0 | 1> | 'not-found'>();
  rounds.forEach((r, i) => {
    const place = `${where}: rounds[${i}].results`;
    for (const d of r.sample) times.set(unitOf(method, d), (times.get(unitOf(method, d)) ?? 0) + 1);
    if (r.results === undefined) return;
    problems.push(...checkCoverage(c, i, r.results, place));
    for (const [ballot, value] of Object.entries(r.results)) {
      if (value === 'not-found') {
        read.set(ballot, 'not-found');
        continue;
      }
      const counts = readCounts(c, value, `${place}.${ballot}`, true);
      if (!counts.ok) problems.push(...counts.error);
      else read.set(ballot, counts.value as Map<string, 0 | 1>);
    }
  });
  if (problems.length > 0) return err(problems);
  const audited: AuditedBallot[] = [...read].map(([id, votes]) => ({
    id,
    votes,
    timesSampled: times.get(id) ?? 1,
  }));
  return ok({ kind: 'supersimple', audited });
}

function pairRisk(
  pValues: readonly { winner: string; loser: string; pValue: number }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of pValues) out[`${x.winner}|${x.loser}`] = x.pValue;
  return out;
}

/** The risk the paper gives. */
function riskOf(c: Checked, paper: Paper): AuditRecordRisk {
  switch (paper.kind) {
    case 'polling': {
      const method = c.record.method;
      if (!isPollingMethod(method)) throw new Error('polling paper for a non-polling method');
      const r = computePollingRisk(method, c.contest, c.alpha, paper.rounds);
      return { p_values_by_winner_loser: pairRisk(r.pValues), confirmed: r.confirmed };
    }
    case 'macro': {
      const r = computeMacroRisk(c.alpha, c.contest, c.reported, paper.audited, paper.draws);
      return { p_value: r.pValue, confirmed: r.confirmed };
    }
    case 'supersimple': {
      const r = computeSupersimpleRisk(
        c.contest,
        c.alpha,
        c.inputs.cvrs?.ballots ?? new Map(),
        paper.audited,
      );
      return {
        p_values_by_winner_loser: pairRisk(r.pValues),
        p_value: r.pValue,
        confirmed: r.confirmed,
      };
    }
    default: {
      const never: never = paper;
      throw new Error(`unknown paper ${String(never)}`);
    }
  }
}

/** The next round's options after the paper so far, and whether only a full hand count is left. */
function nextOf(c: Checked, paper: Paper): { next: SampleSizeOptions; fullCount: boolean } {
  switch (paper.kind) {
    case 'polling': {
      const method = c.record.method;
      if (!isPollingMethod(method)) throw new Error('polling paper for a non-polling method');
      const next = computePollingSampleSizes(method, c.contest, c.alpha, paper.rounds);
      return { next, fullCount: next['all-ballots'] !== undefined };
    }
    case 'macro': {
      const r = computeMacroSampleSizes(c.alpha, c.contest, c.reported, paper.audited, paper.draws);
      const mesas = c.reported.filter((b) => (b.ballots ?? 0) > 0).length;
      if (!r.ok) return { next: {}, fullCount: true };
      return { next: r.value, fullCount: r.value.macro.size >= mesas };
    }
    case 'supersimple': {
      const draws = paper.audited.reduce((s, b) => s + b.timesSampled, 0);
      const discrepancies = computeDiscrepancies(
        c.contest,
        c.inputs.cvrs?.ballots ?? new Map(),
        paper.audited,
      );
      const next = computeSupersimpleSampleSizes(
        c.contest,
        c.alpha,
        draws === 0 ? null : countDiscrepancies(discrepancies, draws),
      );
      return { next, fullCount: next['all-ballots'] !== undefined };
    }
    default: {
      const never: never = paper;
      throw new Error(`unknown paper ${String(never)}`);
    }
  }
}

/** Starts a record: method, risk limit, contest, seed and inputs, no round yet. */
export function startAuditRecord(
  input: {
    readonly method: AuditMethod;
    readonly riskLimit: number;
    readonly contest: Record<string, unknown>;
    readonly seed: AuditRecordSeed;
    readonly inputs: AuditInputs;
    readonly withReplacement?: boolean;
  },
  where = 'audit record',
): Result<AuditRecord, AuditRecordProblem[]> {
  const { manifest, tallies, cvrs } = input.inputs;
  const record: AuditRecord = {
    format: AUDIT_RECORD_FORMAT,
    method: input.method,
    riskLimit: input.riskLimit,
    contest: input.contest,
    seed: input.seed,
    manifest: {
      sha256: manifest.sha256,
      batches: manifest.batches.length,
      ballots: sumBallots(manifest),
    },
    ...(input.method === 'macro' && tallies !== undefined
      ? { tallies: { sha256: tallies.sha256, batches: tallies.batches.length } }
      : {}),
    ...(input.method === 'supersimple' && cvrs !== undefined
      ? { cvrs: { sha256: cvrs.sha256, ballots: cvrs.ballots.size } }
      : {}),
    // A batch comparison draws with replacement (PPEB, as Arlo).
    withReplacement: input.method === 'macro' ? true : (input.withReplacement ?? true),
    rounds: [],
  };
  const c = checkRecord(record, input.inputs, where);
  return c.ok ? ok(record) : err(c.error);
}

/**
 * Draws the next round's sample of `size` (ballots, or mesas for MACRO) and
 * appends it. Refused while the last round has no results, or once the audit
 * is confirmed.
 */
export function drawAuditRound(
  json: unknown,
  inputs: AuditInputs,
  size: number,
  where = 'audit record',
): Result<AuditRecord, AuditRecordProblem[]> {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError('a round samples at least one ballot');
  const c = checkRecord(json, inputs, where);
  if (!c.ok) return c;
  const rounds = c.value.record.rounds;
  const last = rounds.at(-1);
  if (last !== undefined && last.results === undefined) {
    return err([
      problem(
        'AUDIT_RECORD_ROUND_OPEN',
        `${where}: rounds[${rounds.length - 1}]`,
        `round ${last.round} has no results yet: record what the paper says before drawing another round`,
      ),
    ]);
  }
  if (last?.risk?.confirmed === true) {
    return err([
      problem(
        'AUDIT_RECORD_FINISHED',
        `${where}: rounds[${rounds.length - 1}]`,
        'the audit already confirmed the outcome: there is no next round',
      ),
    ]);
  }
  let sample: Draw[];
  try {
    sample = drawRound(c.value, rounds.length, size);
  } catch (e) {
    // PPEB refuses a tied contest short of a full count (only a hand count can check it).
    if (e instanceof RangeError) return err([problem('AUDIT_RECORD_FINISHED', where, e.message)]);
    throw e;
  }
  return ok({
    ...c.value.record,
    rounds: [...rounds, { round: rounds.length + 1, sampleSize: size, sample }],
  });
}

/**
 * Records the last round's results (what the paper says, in the method's shape:
 * see the module header) and the risk they give with the earlier rounds.
 */
export function recordAuditResults(
  json: unknown,
  inputs: AuditInputs,
  results: Record<string, unknown>,
  where = 'audit record',
): Result<AuditRecord, AuditRecordProblem[]> {
  const c = checkRecord(json, inputs, where);
  if (!c.ok) return c;
  const rounds = c.value.record.rounds;
  const last = rounds.at(-1);
  if (last === undefined || last.results !== undefined) {
    return err([
      problem(
        'AUDIT_RECORD_ROUND_NUMBER',
        `${where}: rounds`,
        'no round is waiting for results: draw a round first',
      ),
    ]);
  }
  const updated: AuditRecord = {
    ...c.value.record,
    rounds: [...rounds.slice(0, -1), { ...last, results }],
  };
  const checked: Checked = { ...c.value, record: updated };
  const paper = readPaper(checked, rounds.length, where);
  if (!paper.ok) return paper;
  const risk = riskOf(checked, paper.value);
  return ok({ ...updated, rounds: [...rounds.slice(0, -1), { ...last, results, risk }] });
}

function sameRisk(a: AuditRecordRisk, b: AuditRecordRisk): boolean {
  const close = (x: number, y: number): boolean =>
    Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  if (a.confirmed !== b.confirmed) return false;
  if ((a.p_value === undefined) !== (b.p_value === undefined)) return false;
  if (a.p_value !== undefined && b.p_value !== undefined && !close(a.p_value, b.p_value))
    return false;
  const pa = a.p_values_by_winner_loser ?? {};
  const pb = b.p_values_by_winner_loser ?? {};
  const ka = Object.keys(pa).sort();
  const kb = Object.keys(pb).sort();
  // Another implementation may differ in the last bits of a float.
  return ka.join('\u0000') === kb.join('\u0000') && ka.every((k) => close(pa[k]!, pb[k]!));
}

/**
 * Recomputes a whole record from its seed and the public inputs: the seed
 * (every reveal against its commitment), the inputs' hashes, every round's
 * sample (ticket for ticket), the results (what was drawn, and nothing else;
 * no more votes than the sample allows), every recorded risk, and where the
 * audit stands.
 */
export function verifyAuditRecord(
  json: unknown,
  inputs: AuditInputs,
  where = 'audit record',
): AuditRecordReport {
  const c = checkRecord(json, inputs, where);
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
  const problems: AuditRecordProblem[] = [];
  const rounds: AuditRoundReport[] = [];
  record.rounds.forEach((r, i) => {
    const place = `${where}: rounds[${i}]`;
    if (r.round !== i + 1) {
      problems.push(
        problem(
          'AUDIT_RECORD_ROUND_NUMBER',
          place,
          `round ${r.round} is number ${i + 1} in the record`,
        ),
      );
    }
    if (i < record.rounds.length - 1 && (r.results === undefined || r.risk === undefined)) {
      problems.push(
        problem('AUDIT_RECORD_ROUND_OPEN', place, 'a round before the last has no results or risk'),
      );
    }
    let drawn: Draw[] = [];
    try {
      drawn = drawRound(c.value, i, r.sampleSize);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      problems.push(
        problem(
          'AUDIT_RECORD_SAMPLE_MISMATCH',
          `${place}.sample`,
          `no sample can be drawn: ${e.message}`,
        ),
      );
    }
    const firstDiff = drawn.findIndex((d, j) => JSON.stringify(d) !== JSON.stringify(r.sample[j]));
    if (drawn.length !== r.sample.length || firstDiff >= 0) {
      const j = firstDiff >= 0 ? firstDiff : Math.min(drawn.length, r.sample.length);
      problems.push(
        problem(
          'AUDIT_RECORD_SAMPLE_MISMATCH',
          `${place}.sample[${j}]`,
          `the seed and inputs draw ${JSON.stringify(drawn[j] ?? null)}, the record says ${JSON.stringify(r.sample[j] ?? null)}`,
        ),
      );
    }
    if (r.results === undefined) {
      rounds.push({ round: r.round, sampleSize: r.sampleSize, risk: null });
      return;
    }
    const paper = readPaper(c.value, i + 1, where);
    if (!paper.ok) {
      problems.push(...paper.error.filter((p) => p.where.startsWith(`${place}.`)));
      rounds.push({ round: r.round, sampleSize: r.sampleSize, risk: null });
      return;
    }
    const risk = riskOf(c.value, paper.value);
    rounds.push({ round: r.round, sampleSize: r.sampleSize, risk });
    if (r.risk === undefined || !sameRisk(r.risk, risk)) {
      problems.push(
        problem(
          'AUDIT_RECORD_RISK_MISMATCH',
          `${place}.risk`,
          `the results give ${JSON.stringify(risk)}, the record says ${JSON.stringify(r.risk ?? null)}`,
        ),
      );
    }
  });
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
  if (rounds.at(-1)?.risk?.confirmed === true) {
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
  const paper = readPaper(c.value, record.rounds.length, where);
  const { next, fullCount } = paper.ok
    ? nextOf(c.value, paper.value)
    : { next: {}, fullCount: false };
  return {
    ok: true,
    problems,
    method: record.method,
    seed: c.value.seed,
    rounds,
    status: fullCount ? 'full-hand-count' : 'in-progress',
    next,
  };
}
