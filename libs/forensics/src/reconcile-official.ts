/**
 * Official figures against the collected actas (issue #7, item 2): per mesa
 * where the authority published per-mesa results, and at the level of the
 * national bulletins where it did not (as the Venezuelan CNE in 2024, whose two
 * bulletins gave totals and percentages only).
 *
 * A bulletin cannot be checked mesa by mesa, but the collected actas still bound
 * it: they are a subset of all mesas, so a complete bulletin must show at least
 * what they hold for each candidate, and at most that plus every registered
 * voter of the uncollected mesas. A partial bulletin (coverage c) may have left
 * out up to ⌈(1 − c)·mesas⌉ mesas — in the worst case exactly the collected ones
 * where the candidate did best — so its lower bound drops by those mesas' votes.
 * These bounds assume the collected actas are genuine; that is what they test.
 */
import type { MesaResult } from './mesa-result.js';
import {
  type ActaFigures,
  checkArithmetic,
  checkFigures,
  figuresKey,
  formatCount,
  makeFinding,
  SCALAR_FIELDS,
  voteField,
} from './reconcile-merge.js';
import type {
  BulletinComparison,
  BulletinRow,
  BulletinVerdict,
  FieldComparison,
  OfficialComparison,
  OfficialTotals,
  ReconcileFinding,
} from './reconcile-types.js';

/** Per-mesa comparison of official figures with the collected actas used. */
export function compareOfficialMesas(
  official: readonly MesaResult[],
  collected: ReadonlyMap<
    string,
    { readonly figures: ActaFigures; readonly sources: readonly string[] }
  >,
  unusableCollected: ReadonlySet<string>,
  findings: ReconcileFinding[],
): { readonly comparison: OfficialComparison; readonly checked: number; readonly failing: number } {
  const groups = new Map<string, { figures: ActaFigures; source: string }[]>();
  for (const r of official) {
    const source = `official: ${r.source}`;
    const checked = checkFigures(r, source);
    if (!checked.ok) {
      findings.push(checked.finding);
      continue;
    }
    const entry = { figures: checked.figures, source };
    const g = groups.get(r.id);
    if (g === undefined) groups.set(r.id, [entry]);
    else g.push(entry);
  }
  let duplicates = 0;
  let checkedCount = 0;
  let failing = 0;
  let compared = 0;
  let matching = 0;
  let onlyOfficial = 0;
  let collectedUnusable = 0;
  const fieldSums = new Map<string, { collected: number; official: number; differing: number }>();
  for (const [id, g] of groups) {
    const sources = g.map((e) => e.source);
    // Canonical texts only where the mesa is listed more than once.
    const keys = g.length === 1 ? new Set(['']) : new Set(g.map((e) => figuresKey(e.figures)));
    const first = g[0];
    if (first === undefined) continue;
    duplicates += g.length - keys.size;
    if (keys.size > 1) {
      findings.push(
        makeFinding(
          'OFFICIAL_DUPLICATE_CONFLICT',
          id,
          sources,
          `mesa ${id}: the official figures list it ${g.length} times with different figures; it is not compared`,
        ),
      );
      continue;
    }
    checkedCount++;
    if (checkArithmetic(first.figures, [first.source], findings)) failing++;
    const mine = collected.get(id);
    if (mine === undefined) {
      if (unusableCollected.has(id)) {
        collectedUnusable++;
        continue;
      }
      onlyOfficial++;
      findings.push(
        makeFinding(
          'OFFICIAL_ONLY',
          id,
          [first.source],
          `mesa ${id}: official figures but no collected acta`,
        ),
      );
      continue;
    }
    compared++;
    const diffs: string[] = [];
    const figures: Record<string, number | null> = {};
    const compare = (
      field: string,
      c: number | null | undefined,
      o: number | null | undefined,
    ): void => {
      if (c === null || c === undefined || o === null || o === undefined) return;
      let s = fieldSums.get(field);
      if (s === undefined) {
        s = { collected: 0, official: 0, differing: 0 };
        fieldSums.set(field, s);
      }
      s.collected += c;
      s.official += o;
      if (c !== o) {
        s.differing++;
        diffs.push(
          `${field} official ${formatCount(o)} vs collected ${formatCount(c)} (${o > c ? '+' : ''}${formatCount(o - c)})`,
        );
        figures[`${field}@official`] = o;
        figures[`${field}@collected`] = c;
      }
    };
    for (const f of SCALAR_FIELDS) compare(f, mine.figures[f], first.figures[f]);
    const candidateKeys = new Set([...mine.figures.votes.keys(), ...first.figures.votes.keys()]);
    for (const k of [...candidateKeys].sort()) {
      compare(voteField(k), mine.figures.votes.get(k), first.figures.votes.get(k));
    }
    if (diffs.length === 0) matching++;
    else {
      findings.push(
        makeFinding(
          'OFFICIAL_MISMATCH',
          id,
          [first.source, ...mine.sources],
          `mesa ${id}: ${diffs.join('; ')}`,
          figures,
        ),
      );
    }
  }
  let onlyCollected = 0;
  for (const [id, mine] of collected) {
    if (groups.has(id)) continue;
    onlyCollected++;
    findings.push(
      makeFinding(
        'COLLECTED_ONLY',
        id,
        mine.sources,
        `mesa ${id}: collected acta but no official figures`,
      ),
    );
  }
  const fields: FieldComparison[] = [...fieldSums]
    .map(([field, s]) => ({
      field,
      collected: s.collected,
      official: s.official,
      difference: s.official - s.collected,
      mesasDiffering: s.differing,
    }))
    .sort(
      (a, b) =>
        fieldRank(a.field) - fieldRank(b.field) ||
        (a.field < b.field ? -1 : a.field > b.field ? 1 : 0),
    );
  return {
    comparison: {
      officialMesas: groups.size,
      officialDuplicates: duplicates,
      compared,
      matching,
      differing: compared - matching,
      onlyOfficial,
      onlyCollected,
      collectedUnusable,
      fields,
    },
    checked: checkedCount,
    failing,
  };
}

function fieldRank(field: string): number {
  const i = (SCALAR_FIELDS as readonly string[]).indexOf(field);
  return i < 0 ? SCALAR_FIELDS.length : i;
}

/**
 * A column of the counted actas (a candidate, or valid / invalid votes): its
 * total, its per-mesa values (for a partial bulletin's lower bound), and how
 * many counted actas do not give it (then no upper bound can be drawn).
 */
export interface CountedColumn {
  readonly total: number;
  readonly perMesa: Float64Array;
  readonly missing: number;
}

export interface BulletinContext {
  readonly columns: ReadonlyMap<string, CountedColumn>;
  readonly candidateKeys: ReadonlySet<string>;
  readonly uncovered: number | null;
  readonly mesasTotal: number | null;
  readonly registeredTotal: number | null;
  readonly names: ReadonlyMap<string, string>;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

const PERCENT = /^(\d{1,3})(?:\.(\d{1,12}))?$/;

/** Compares each bulletin with the counted actas, and checks its own arithmetic. */
export function compareBulletins(
  bulletins: readonly OfficialTotals[],
  ctx: BulletinContext,
  findings: ReconcileFinding[],
): BulletinComparison[] {
  const out: BulletinComparison[] = [];
  const sortedCache = new Map<string, Float64Array>();
  const largest = (key: string, col: CountedColumn, m: number): number => {
    let arr = sortedCache.get(key);
    if (arr === undefined) {
      arr = Float64Array.from(col.perMesa).sort();
      sortedCache.set(key, arr);
    }
    let s = 0;
    for (let i = arr.length - 1; i >= 0 && i >= arr.length - m; i--) s += arr[i] ?? 0;
    return s;
  };
  const checked: { label: string; coverage: number; values: Map<string, number> }[] = [];
  for (const b of bulletins) {
    const label = b.label;
    const bad = (what: string): void => {
      findings.push(makeFinding('BULLETIN_BAD_FIGURE', null, [label], `${label}: ${what}`));
    };
    let coverage = 1;
    if (b.coverage !== undefined) {
      if (typeof b.coverage === 'number' && b.coverage > 0 && b.coverage <= 1)
        coverage = b.coverage;
      else
        bad(
          `coverage ${String(b.coverage)} is not a fraction in (0, 1]; the bulletin is taken as complete`,
        );
    }
    const entries: {
      key: string;
      name: string;
      official: number;
      kind: 'candidate' | 'valid' | 'invalid';
    }[] = [];
    for (const [key, v] of b.votes) {
      if (!isCount(v)) {
        bad(`the votes of ${key} (${String(v)}) are not a count`);
        continue;
      }
      entries.push({ key, name: ctx.names.get(key) ?? key, official: v, kind: 'candidate' });
    }
    let valid: number | null = null;
    if (b.valid !== undefined) {
      if (isCount(b.valid)) valid = b.valid;
      else bad(`valid votes ${String(b.valid)} are not a count`);
    }
    let invalid: number | null = null;
    if (b.invalid !== undefined) {
      if (isCount(b.invalid)) invalid = b.invalid;
      else bad(`invalid votes ${String(b.invalid)} are not a count`);
    }
    if (valid !== null)
      entries.push({ key: 'valid', name: 'valid votes', official: valid, kind: 'valid' });
    if (invalid !== null)
      entries.push({ key: 'invalid', name: 'invalid votes', official: invalid, kind: 'invalid' });

    // The bulletin's own arithmetic.
    let listed = 0;
    for (const e of entries) if (e.kind === 'candidate') listed += e.official;
    if (valid !== null && listed > valid) {
      findings.push(
        makeFinding(
          'BULLETIN_VOTES_ABOVE_VALID',
          null,
          [label],
          `${label}: the listed candidates have ${formatCount(listed)} votes, above the ${formatCount(valid)} valid votes`,
          { listed, valid },
        ),
      );
    }
    if (ctx.registeredTotal !== null) {
      const cast = (valid ?? listed) + (invalid ?? 0);
      if (cast > ctx.registeredTotal) {
        findings.push(
          makeFinding(
            'BULLETIN_ABOVE_REGISTERED',
            null,
            [label],
            `${label}: ${formatCount(cast)} votes, above the ${formatCount(ctx.registeredTotal)} registered voters`,
            { votes: cast, registeredTotal: ctx.registeredTotal },
          ),
        );
      }
    }
    const percentOf = new Map<string, { text: string; p: number; half: number }>();
    for (const [key, text] of b.percentages ?? []) {
      const m = typeof text === 'string' ? PERCENT.exec(text) : null;
      const p = m === null ? NaN : Number(text);
      if (m === null || !(p >= 0 && p <= 100)) {
        bad(`the percentage of ${key} (${String(text)}) is not a number from 0 to 100`);
        continue;
      }
      const decimals = m[2]?.length ?? 0;
      percentOf.set(key, { text, p, half: 0.5 * 10 ** -decimals });
    }
    // Interval of valid-vote totals for which every percentage rounds right.
    let lo = 0;
    let hi = Infinity;
    for (const [key, pc] of percentOf) {
      const count = b.votes.get(key);
      if (!isCount(count)) continue;
      const tol = 1e-9;
      if (valid !== null && valid > 0) {
        const exact = (count * 100) / valid;
        if (Math.abs(exact - pc.p) > pc.half + tol) {
          findings.push(
            makeFinding(
              'BULLETIN_SHARE_MISMATCH',
              null,
              [label],
              `${label}: ${key} is printed as ${pc.text}% but ${formatCount(count)} of ${formatCount(valid)} valid votes is ${exact.toFixed(4)}%`,
              { votes: count, valid, printedPercent: pc.p, exactPercent: exact },
            ),
          );
        }
      }
      lo = Math.max(lo, (count * 100) / (pc.p + pc.half));
      if (pc.p - pc.half > 0) hi = Math.min(hi, (count * 100) / (pc.p - pc.half));
    }
    let impliedValidRange: readonly [number, number] | null = null;
    if (percentOf.size > 0) {
      const loInt = Math.ceil(lo - 1e-9);
      const hiInt = Math.floor(hi + 1e-9);
      impliedValidRange = [loInt, hiInt];
      if (valid === null && loInt > hiInt) {
        findings.push(
          makeFinding(
            'BULLETIN_SHARES_INCONSISTENT',
            null,
            [label],
            `${label}: no valid-vote total makes every printed percentage round to what is printed (each needs a total in its own range, and the ranges do not meet)`,
            { lowest: lo, highest: hi },
          ),
        );
      }
    }

    // Against the collected actas.
    const excluded =
      coverage >= 1
        ? 0
        : ctx.mesasTotal === null
          ? null
          : Math.ceil((1 - coverage) * ctx.mesasTotal - 1e-9);
    const rows: BulletinRow[] = [];
    const values = new Map<string, number>();
    for (const e of entries) {
      values.set(e.key, e.official);
      const col = ctx.columns.get(e.key);
      if (e.kind === 'candidate' && !ctx.candidateKeys.has(e.key) && ctx.candidateKeys.size > 0) {
        findings.push(
          makeFinding(
            'BULLETIN_UNKNOWN_CANDIDATE',
            null,
            [label],
            `${label}: ${e.key} appears in no counted acta`,
          ),
        );
      }
      const collected = col?.total ?? (e.kind === 'candidate' ? 0 : null);
      let provenMin: number | null = null;
      if (collected !== null && excluded !== null) {
        provenMin =
          excluded === 0 || col === undefined
            ? collected
            : collected - largest(e.key, col, excluded);
      }
      const possibleMax =
        collected === null || ctx.uncovered === null || (col !== undefined && col.missing > 0)
          ? null
          : collected + ctx.uncovered;
      let verdict: BulletinVerdict =
        provenMin === null && possibleMax === null ? 'unknown' : 'possible';
      const figures = { official: e.official, collected, provenMin, possibleMax };
      if (provenMin !== null && e.official < provenMin) {
        verdict = 'below-proven';
        findings.push(
          makeFinding(
            'OFFICIAL_BELOW_PROVEN',
            null,
            [label],
            `${label}: ${e.name} ${formatCount(e.official)}, below the ${formatCount(provenMin)} the collected actas already prove${coverage < 1 ? ` for a bulletin covering ${(coverage * 100).toFixed(3)}% of mesas (collected ${formatCount(collected ?? 0)} minus the best ${formatCount(excluded ?? 0)} collected mesas it may have left out)` : ''} (short by ${formatCount(provenMin - e.official)})`,
            figures,
          ),
        );
      } else if (possibleMax !== null && e.official > possibleMax) {
        verdict = 'above-possible';
        findings.push(
          makeFinding(
            'OFFICIAL_ABOVE_POSSIBLE',
            null,
            [label],
            `${label}: ${e.name} ${formatCount(e.official)}, above the ${formatCount(possibleMax)} possible (collected ${formatCount(collected ?? 0)} plus every one of the ${formatCount(ctx.uncovered ?? 0)} uncovered registered voters; over by ${formatCount(e.official - possibleMax)})`,
            figures,
          ),
        );
      }
      const pc = percentOf.get(e.key);
      rows.push({
        key: e.key,
        name: e.name,
        official: e.official,
        collected,
        difference: collected === null ? null : e.official - collected,
        provenMin,
        possibleMax,
        verdict,
        percentage: pc?.text ?? null,
        impliedValid: pc === undefined || pc.p === 0 ? null : (e.official * 100) / pc.p,
      });
    }
    // A later bulletin (larger coverage) cannot take votes away.
    for (const other of checked) {
      if (other.coverage === coverage) continue;
      const [less, more] =
        other.coverage < coverage ? [other, { label, values }] : [{ label, values }, other];
      for (const [key, v] of more.values) {
        const before = less.values.get(key);
        if (before !== undefined && v < before) {
          findings.push(
            makeFinding(
              'BULLETIN_DECREASE',
              null,
              [less.label, more.label],
              `${key}: ${formatCount(before)} in ${less.label} but ${formatCount(v)} in ${more.label}, which covers more mesas`,
              { fewerMesas: before, moreMesas: v },
            ),
          );
        }
      }
    }
    checked.push({ label, coverage, values });
    out.push({ label, coverage, rows, impliedValidRange });
  }
  return out;
}
