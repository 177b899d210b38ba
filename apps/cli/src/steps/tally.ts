/**
 * `acta tally` (issue #4 item 9; docs/spec.md §2.9 rules 9–10; product brief
 * component 6): the authority posts a `mesa-result` for every closed mesa
 * that at least a quorum of trustees decrypted — the counts recombined from
 * the first `quorum` trustees' shares, which the state machine recomputes —
 * then, once every mesa has its result, the `totals`: their exact sum, per
 * card and per candidate (national totals are the sum of the actas' decrypted
 * tallies, nothing else). It can be run as often as wanted: what is posted is
 * never posted again, and it reports what each missing mesa is waiting for.
 */
import {
  computeTotals,
  describeTotals,
  type ContestTotalsView,
  type ElectionState,
} from '@acta/protocol';
import { StepRefusal } from './errors.js';
import { withBoard, type BoardSummary, type WorkDir } from './workdir.js';

/** One contest's totals. */
/** One contest's totals with the manifest's names. */
export type ContestTotals = ContestTotalsView;

/** What `acta tally` reports. */
export interface TallyReport {
  /** The mesa results posted by this run. */
  readonly posted: readonly {
    readonly mesa: string;
    readonly trustees: readonly number[];
    readonly index: number;
  }[];
  /** Mesas still without a result, and what they wait for. */
  readonly pending: readonly {
    readonly mesa: string;
    readonly waitingFor: 'closing' | 'decryptions';
    readonly decryptions: number;
  }[];
  readonly quorum: number;
  /** The totals, once posted (by this run or an earlier one). */
  readonly totals: {
    readonly index: number;
    readonly mesas: number;
    readonly contests: readonly ContestTotals[];
  } | null;
  readonly findings: readonly { code: string; where: string; message: string }[];
  readonly board: BoardSummary;
}

function describeStateTotals(state: ElectionState): ContestTotals[] {
  return describeTotals(state.election!.manifest, computeTotals(state).results);
}

/** `acta tally`. */
export async function tally(dir: WorkDir, quiet: boolean): Promise<TallyReport> {
  const { value, board } = await withBoard(dir, { quiet }, async (s) => {
    const state = s.state;
    const quorum = s.election.quorum;
    const ready = [...state.mesas.values()].filter(
      (m) =>
        m.device !== undefined &&
        m.acta !== undefined &&
        m.result === undefined &&
        m.decryptions.size >= quorum,
    );
    const entries = ready.map((m) => {
      const e = s.service.authority.mesaResult(s.now(), state, m);
      if (!e.ok) throw StepRefusal.of(e.error);
      return e.value;
    });
    const receipts = await s.submitAll(entries);
    const posted = ready.map((m, i) => ({
      mesa: m.id,
      trustees: [...m.decryptions.keys()].sort((a, b) => a - b).slice(0, quorum),
      index: receipts[i]!.index,
    }));
    const pending = [...state.mesas.values()]
      .filter((m) => m.device !== undefined && m.result === undefined)
      .map((m) => ({
        mesa: m.id,
        waitingFor: m.acta === undefined ? ('closing' as const) : ('decryptions' as const),
        decryptions: m.decryptions.size,
      }));
    if (pending.length === 0 && state.totals === undefined && state.key !== undefined) {
      await s.submit(s.service.authority.totals(s.now(), state));
    }
    return {
      posted,
      pending,
      quorum,
      totals:
        state.totals === undefined
          ? null
          : {
              index: state.totals.index,
              mesas: computeTotals(state).mesas,
              contests: describeStateTotals(state),
            },
      findings: state.findings.map((f) => ({ code: f.code, where: f.where, message: f.message })),
    };
  });
  return { ...value, board };
}
