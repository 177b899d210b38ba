/**
 * Reconciliation of witness-collected actas with official results (issue #7,
 * item 2): what the collected actas prove about the outcome.
 *
 * Steps, each reporting findings with a code, the mesa and the sources:
 * 1. Merge the copies of each mesa (`reconcile-merge.ts`): identical copies are
 *    one; a forged copy is never counted; a verified copy decides a conflict
 *    with unsigned ones (the conflict is still listed); **a mesa whose unsigned
 *    copies disagree is counted as uncollected** — the worst case for the proof,
 *    since all its registered voters then join the uncovered pool.
 * 2. Check each acta's arithmetic; by default an acta that fails it is treated
 *    as uncollected too (see `ArithmeticPolicy` for why, and the option).
 * 3. Compare with official per-mesa figures, where published.
 * 4. Coverage: mesas and registered voters in the counted actas.
 * 5. Totals over the counted actas.
 * 6. The worst case: the leader of the counted actas against every other
 *    candidate, if every registered voter outside the counted actas had voted
 *    for that candidate — the margin, the uncovered voters, the verdict, and the
 *    turnout of the uncovered voters at which it would flip. This is the
 *    argument made for the 2024 Venezuelan election from the opposition's
 *    actas; it assumes the collected actas are genuine (the signature and
 *    arithmetic checks and the comparison with official figures are how that
 *    assumption is tested) and nothing about the uncollected mesas.
 * 7. Official bulletins at the level they exist (`reconcile-official.ts`).
 *
 * Pure and order-independent: permuting the collected actas never changes the
 * report (findings are sorted, sums are of integers).
 */
import {
  type ActaFigures,
  checkArithmetic,
  formatCount,
  makeFinding,
  mergeGroup,
} from './reconcile-merge.js';
import {
  compareBulletins,
  compareOfficialMesas,
  type CountedColumn,
} from './reconcile-official.js';
import {
  type CandidateTotal,
  type CollectedActa,
  type CoverageSummary,
  type MesaStatus,
  RECONCILE_CODES,
  type ReconciledMesa,
  type ReconcileFinding,
  type ReconcileInput,
  type ReconcileTotals,
  type ReconciliationReport,
  type UncoveredBasis,
  type WorstCase,
  type WorstCaseContest,
} from './reconcile-types.js';

const CODE_RANK = new Map(RECONCILE_CODES.map((c, i) => [c, i]));

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFindings(a: ReconcileFinding, b: ReconcileFinding): number {
  return (
    (CODE_RANK.get(a.code) ?? 0) - (CODE_RANK.get(b.code) ?? 0) ||
    compareText(a.mesa ?? '', b.mesa ?? '') ||
    compareText(a.sources.join('\n'), b.sources.join('\n')) ||
    compareText(a.message, b.message)
  );
}

function checkOption(name: string, v: number | undefined, min: number): number | null {
  if (v === undefined) return null;
  if (!Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  }
  return v;
}

/** Reconciles collected actas with official figures and says what they prove. */
export function reconcileActas(input: ReconcileInput): ReconciliationReport {
  const registeredTotal = checkOption('registeredTotal', input.registeredTotal, 0);
  const mesasTotal = checkOption('mesasTotal', input.mesasTotal, 0);
  const perMesaMax = checkOption('registeredPerMesaMax', input.registeredPerMesaMax, 0);
  const policy = input.arithmetic ?? 'exclude';
  const names = input.candidateNames ?? new Map<string, string>();
  const findings: ReconcileFinding[] = [];

  // 1. Merge.
  const groups = new Map<string, CollectedActa[]>();
  for (const c of input.collected) {
    const g = groups.get(c.result.id);
    if (g === undefined) groups.set(c.result.id, [c]);
    else g.push(c);
  }
  let duplicates = 0;
  let complemented = 0;
  let conflictsResolved = 0;
  let conflictsUnresolved = 0;
  let signedConflicts = 0;
  let verifiedMesas = 0;
  let unsignedMesas = 0;
  let checked = 0;
  let failing = 0;
  const mesas: ReconciledMesa[] = [];
  const usable = new Map<string, { figures: ActaFigures; sources: readonly string[] }>();
  const unusableIds = new Set<string>();
  const counted: ActaFigures[] = [];
  let registeredCollected = 0;
  for (const [id, copies] of groups) {
    const m = mergeGroup(id, copies, findings);
    // A copy without an id is its own finding and no mesa.
    if (typeof id !== 'string' || id.length === 0) continue;
    duplicates += m.duplicates;
    if (m.complemented) complemented++;
    if (m.resolvedByVerified) conflictsResolved++;
    const o = m.outcome;
    switch (o.kind) {
      case 'used': {
        checked++;
        const fails = checkArithmetic(o.figures, m.sources, findings);
        if (fails) failing++;
        if (o.signature === 'verified') verifiedMesas++;
        else unsignedMesas++;
        usable.set(id, { figures: o.figures, sources: m.sources });
        registeredCollected += o.figures.registered ?? 0;
        const status: MesaStatus =
          fails && policy === 'exclude' ? 'excluded-arithmetic' : 'counted';
        if (status === 'counted') {
          counted.push(o.figures);
          if (o.figures.registered === null) {
            findings.push(
              makeFinding(
                'ACTA_NO_REGISTERED',
                id,
                m.sources,
                `mesa ${id}: the acta does not give its registered voters; its votes count but it adds nothing to the covered voters`,
              ),
            );
          }
        }
        mesas.push({
          ...o.figures,
          status,
          signature: o.signature,
          sources: m.sources,
          arithmeticFails: fails,
        });
        break;
      }
      case 'conflict':
      case 'signed-conflict':
      case 'forged':
      case 'unusable': {
        if (o.kind === 'conflict') conflictsUnresolved++;
        if (o.kind === 'signed-conflict') signedConflicts++;
        unusableIds.add(id);
        mesas.push({
          id,
          status: o.kind,
          registered: null,
          voters: null,
          valid: null,
          invalid: null,
          blank: null,
          votes: null,
          signature: null,
          sources: m.sources,
          arithmeticFails: false,
        });
        break;
      }
      default: {
        const never: never = o;
        throw new RangeError(`unknown merge outcome ${JSON.stringify(never)}`);
      }
    }
  }
  mesas.sort((a, b) => compareText(a.id, b.id));
  let forgedCopies = 0;
  let unusableCopies = 0;
  for (const f of findings) {
    if (f.code === 'RECONCILE_FORGED') forgedCopies++;
    else if (f.code === 'ACTA_BAD_COUNT' || f.code === 'ACTA_BAD_ID') unusableCopies++;
  }

  // 3. Official per-mesa figures.
  let official: ReconciliationReport['official'] = null;
  let officialChecked = 0;
  let officialFailing = 0;
  if (input.official !== undefined) {
    const r = compareOfficialMesas(input.official, usable, unusableIds, findings);
    official = r.comparison;
    officialChecked = r.checked;
    officialFailing = r.failing;
  }

  // 5. Totals, and the per-mesa columns the bulletin bounds need.
  const n = counted.length;
  const candidateKeys = new Set<string>();
  for (const f of counted) for (const k of f.votes.keys()) candidateKeys.add(k);
  const keys = [...candidateKeys].sort();
  const columns = new Map<string, CountedColumn>();
  const candidateTotals: CandidateTotal[] = [];
  let candidateVotes = 0;
  for (const k of keys) {
    const perMesa = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = counted[i]?.votes.get(k) ?? 0;
      perMesa[i] = v;
      total += v;
    }
    candidateVotes += total;
    columns.set(k, { total, perMesa, missing: 0 });
    candidateTotals.push({ key: k, name: names.get(k) ?? k, votes: total, share: 0 });
  }
  const shared = candidateTotals
    .map((c) => ({ ...c, share: candidateVotes > 0 ? c.votes / candidateVotes : 0 }))
    .sort((a, b) => b.votes - a.votes || compareText(a.key, b.key));
  const validPerMesa = new Float64Array(n);
  const invalidPerMesa = new Float64Array(n);
  let valid = 0;
  let invalid = 0;
  let invalidMissing = 0;
  let blank = 0;
  let blankMissing = 0;
  let registered = 0;
  let registeredMissing = 0;
  let voters = 0;
  let votersMissing = 0;
  for (let i = 0; i < n; i++) {
    const f = counted[i];
    if (f === undefined) continue;
    let v = f.valid;
    if (v === null) {
      v = 0;
      for (const x of f.votes.values()) v += x;
    }
    validPerMesa[i] = v;
    valid += v;
    if (f.invalid === null) invalidMissing++;
    else {
      invalidPerMesa[i] = f.invalid;
      invalid += f.invalid;
    }
    if (f.blank === null) blankMissing++;
    else blank += f.blank;
    if (f.registered === null) registeredMissing++;
    else registered += f.registered;
    if (f.voters === null) votersMissing++;
    else voters += f.voters;
  }
  columns.set('valid', { total: valid, perMesa: validPerMesa, missing: 0 });
  columns.set('invalid', { total: invalid, perMesa: invalidPerMesa, missing: invalidMissing });
  const totals: ReconcileTotals = {
    candidates: shared,
    candidateVotes,
    valid,
    invalid,
    invalidMissing,
    blank,
    blankMissing,
    registered,
    registeredMissing,
    voters,
    votersMissing,
  };

  // 4. Coverage.
  const collectedCount = usable.size;
  if (mesasTotal !== null && collectedCount > mesasTotal) {
    findings.push(
      makeFinding(
        'COVERAGE_ABOVE_TOTAL',
        null,
        [],
        `${formatCount(collectedCount)} mesas collected, more than the ${formatCount(mesasTotal)} the election has`,
        { mesasCollected: collectedCount, mesasTotal },
      ),
    );
  }
  if (registeredTotal !== null && registeredCollected > registeredTotal) {
    findings.push(
      makeFinding(
        'COVERAGE_ABOVE_TOTAL',
        null,
        [],
        `the collected actas hold ${formatCount(registeredCollected)} registered voters, more than the ${formatCount(registeredTotal)} the election has`,
        { registeredCollected, registeredTotal },
      ),
    );
  }
  const coverage: CoverageSummary = {
    mesasCollected: collectedCount,
    mesasCounted: n,
    mesasTotal,
    mesaFraction: mesasTotal === null || mesasTotal === 0 ? null : n / mesasTotal,
    registeredCollected,
    registeredCounted: registered,
    registeredTotal,
    registeredFraction:
      registeredTotal === null || registeredTotal === 0 ? null : registered / registeredTotal,
    countedWithoutRegistered: registeredMissing,
  };

  // 6. Worst case.
  const uncollectedMesas = mesasTotal === null ? null : Math.max(0, mesasTotal - n);
  let uncovered: number | null = null;
  let basis: UncoveredBasis = 'unavailable';
  if (registeredTotal !== null) {
    // Counted actas without registered voters add nothing here: their voters
    // stay in the uncovered pool, which only errs against the leader.
    uncovered = Math.max(0, registeredTotal - registered);
    basis = 'registered-total';
  } else if (uncollectedMesas !== null && perMesaMax !== null) {
    uncovered = uncollectedMesas * perMesaMax;
    basis = 'mesa-bound';
  }
  const leaderRow = shared.length >= 2 ? shared[0] : undefined;
  const contests: WorstCaseContest[] = [];
  if (leaderRow !== undefined) {
    for (const c of shared.slice(1)) {
      const margin = leaderRow.votes - c.votes;
      const ratio = uncovered === null || uncovered === 0 ? null : margin / uncovered;
      contests.push({
        challenger: c.key,
        challengerName: c.name,
        margin,
        leaderStillLeads: uncovered === null ? null : margin > uncovered,
        marginOverUncovered: ratio,
        flipTurnout:
          uncovered === null
            ? null
            : uncovered === 0
              ? margin > 0
                ? null
                : 0
              : ratio !== null && ratio <= 1
                ? ratio
                : null,
        votesPerUncollectedMesa:
          uncollectedMesas === null || uncollectedMesas === 0 ? null : margin / uncollectedMesas,
      });
    }
  }
  if (uncovered === null && leaderRow !== undefined) {
    findings.push(
      makeFinding(
        'WORST_CASE_UNAVAILABLE',
        null,
        [],
        'neither the registered total nor a per-mesa maximum with the mesa total was given, so the uncovered voters are unknown and the worst-case conclusion is unavailable; the margins are reported',
      ),
    );
  }
  const worstCase: WorstCase = {
    leader: leaderRow?.key ?? null,
    leaderName: leaderRow?.name ?? null,
    uncovered,
    basis,
    uncollectedMesas,
    contests,
    leaderStillLeads:
      leaderRow === undefined || uncovered === null
        ? null
        : contests.every((c) => c.leaderStillLeads === true),
  };

  // 7. Bulletins.
  const bulletins = compareBulletins(
    input.officialTotals ?? [],
    { columns, candidateKeys, uncovered, mesasTotal, registeredTotal, names },
    findings,
  );

  findings.sort(compareFindings);
  return {
    findings,
    merge: {
      copies: input.collected.length,
      mesas: mesas.length,
      duplicates,
      complemented,
      conflictsResolved,
      conflictsUnresolved,
      signedConflicts,
      forgedCopies,
      unusableCopies,
      verifiedMesas,
      unsignedMesas,
    },
    arithmetic: { policy, checked, failing, officialChecked, officialFailing },
    coverage,
    totals,
    worstCase,
    official,
    bulletins,
    mesas,
  };
}
