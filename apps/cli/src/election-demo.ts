/**
 * `acta demo` (issue #4): a complete simulated election on the embedded
 * SQLite bulletin board — the election entry, the k-of-n key ceremony through
 * the board, devices and witnesses, the registry issuing credentials, every
 * voter checking in with their card and casting (some spoiling first), every
 * mesa closing with its acta and co-signatures, the present trustees
 * decrypting every mesa's tally, per-mesa results and the totals — then the
 * board reopened from disk and replayed through the state machine, the
 * decrypted totals checked against the plaintext choices the simulation made,
 * and the public record exported (to --out, or a temporary directory) and
 * checked end to end by the independent verifier (@acta/verifier).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeHex, generateSigningKeyPair, getCryptoBackend } from '@acta/crypto';
import {
  buildDemoManifest,
  describeTotals,
  parseManifest,
  type ContestTotalsView,
  type Manifest,
} from '@acta/protocol';
import {
  ElectionService,
  exportRecord,
  simulateElection,
  type SimulationPhase as SimulationPhaseName,
  type SimulationResult,
} from '@acta/service';
import { openSqliteStore } from '@acta/store';
import { verifyRecord, type VerificationCounts } from '@acta/verifier';
import type { Progress, ProgressStep } from './progress.js';
import { readRecordDir } from './verify-command.js';

/** The two example elections shipped with @acta/protocol. */
export const DEMO_EXAMPLES = {
  national: 'national-ve2024.json',
  municipal: 'municipal.json',
} as const;

/** Parameters of a demo election. */
export interface ElectionDemoOptions {
  readonly example: keyof typeof DEMO_EXAMPLES;
  readonly voters: number;
  readonly mesas: number;
  readonly trustees: number;
  readonly quorum: number;
  readonly seed: string;
  /** Export the public record here. */
  readonly out?: string;
  /** Keep the SQLite board here (default: a temporary file, deleted afterwards). */
  readonly db?: string;
}

/** A failure of the demo's own checks (a bug if it ever happens). */
export class DemoCheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoCheckFailed';
  }
}

/** Returns a problem with the options, or undefined. */
export function checkElectionDemoOptions(o: ElectionDemoOptions): string | undefined {
  if (o.voters < 1 || o.voters > 1_000_000) return '--voters must be in [1, 1000000]';
  if (o.mesas < 1 || o.mesas > 30_000) return '--mesas must be in [1, 30000]';
  if (o.trustees < 1 || o.trustees > 255) return '--trustees must be in [1, 255]';
  if (o.quorum < 1 || o.quorum > o.trustees) return '--quorum must be in [1, --trustees]';
  return undefined;
}

/** One contest's results for the report, and whether they equal the simulated choices. */
export interface ContestReport extends ContestTotalsView {
  readonly matchesPlaintext: boolean;
}

/** Everything the demo reports. */
export interface ElectionDemoReport {
  readonly options: ElectionDemoOptions;
  readonly backend: string;
  readonly electionId: string;
  readonly electionHash: string;
  readonly jointKey: string;
  readonly board: {
    readonly path: string | null;
    readonly entries: number;
    readonly byType: Record<string, number>;
    readonly treeHead: { readonly treeSize: number; readonly rootHash: string };
  };
  readonly counts: {
    readonly mesas: number;
    readonly registered: number;
    readonly checkedIn: number;
    readonly cast: number;
    readonly spoiled: number;
  };
  readonly presentTrustees: readonly number[];
  readonly absentTrustees: readonly number[];
  readonly contests: readonly ContestReport[];
  readonly checks: {
    readonly totalsMatchPlaintext: boolean;
    readonly replayedFromDisk: boolean;
    readonly findings: number;
  };
  /** The independent verifier's verdict on the exported record (acta verify, with the authority key as trust anchor). */
  readonly verification: {
    readonly ok: boolean;
    readonly seconds: number;
    readonly workers: number;
    readonly checked: VerificationCounts;
  };
  readonly exported: { readonly dir: string; readonly files: readonly string[] } | null;
  readonly seconds: Record<string, number>;
}

async function loadExample(name: keyof typeof DEMO_EXAMPLES): Promise<Manifest> {
  const url = import.meta.resolve(`@acta/protocol/examples/${DEMO_EXAMPLES[name]}`);
  const parsed = parseManifest(JSON.parse(await readFile(fileURLToPath(url), 'utf8')) as unknown);
  if (!parsed.ok)
    throw new Error(`the shipped example ${name} does not parse: ${parsed.error.message}`);
  return parsed.value;
}

const PHASE_LABELS: Record<SimulationPhaseName, string> = {
  setup: 'election, devices, witnesses',
  ceremony: 'key ceremony (trustees)',
  registry: 'registry: credentials issued',
  voting: 'check-ins and ballots',
  closing: 'actas and co-signatures',
  decryption: 'threshold decryption per mesa',
  results: 'totals and tree head',
};

/** Runs the demo election. */
export async function runElectionDemo(
  options: ElectionDemoOptions,
  progress: Progress,
): Promise<ElectionDemoReport> {
  const started = performance.now();
  const example = await loadExample(options.example);
  const manifest = buildDemoManifest(example, { mesas: options.mesas, seed: options.seed });
  const tmp = options.db === undefined ? await mkdtemp(join(tmpdir(), 'acta-demo-')) : undefined;
  const dbPath = options.db ?? join(tmp!, 'board.sqlite');
  try {
    const store = await openSqliteStore(dbPath);
    const authorityKey = generateSigningKeyPair().secretKey;
    const service = await ElectionService.open({ store, authorityKey });
    // The quorum shows up to decrypt; the other trustees stay away (k of n).
    const absent = Array.from(
      { length: options.trustees - options.quorum },
      (_, i) => options.trustees - i,
    ).sort((a, b) => a - b);
    let step: ProgressStep | undefined;
    let stepPhase: SimulationPhaseName | undefined;
    let last = 0;
    const result: SimulationResult = await simulateElection(service, {
      manifest,
      voters: options.voters,
      trustees: options.trustees,
      quorum: options.quorum,
      absentTrustees: absent,
      seed: options.seed,
      onProgress(phase, done, total) {
        if (phase !== stepPhase) {
          step?.done();
          step = progress.step(PHASE_LABELS[phase], total);
          stepPhase = phase;
          last = 0;
        }
        step!.tick(done - last);
        last = done;
      },
    });
    step?.done();
    await service.flush();
    const head = await store.latestTreeHead();
    const byType = await store.countByKind();
    await store.close();

    // Reopen the board from disk and replay every entry through the rules.
    const replayStep = progress.step('board reopened and replayed', 1);
    const reopened = await openSqliteStore(dbPath, { readonly: true });
    const replay = await ElectionService.open({ store: reopened, authorityKey });
    const replayedFromDisk =
      replay.size === service.size &&
      replay.state.totals !== undefined &&
      replay.state.findings.length === 0;
    replayStep.tick();
    replayStep.done();

    // Export the public record (to --out, else next to the temporary board)
    // and check it with the independent verifier, as any observer would.
    // With --db and no --out, the record goes to a temporary directory of its own.
    const recordTmp =
      options.out === undefined && tmp === undefined
        ? await mkdtemp(join(tmpdir(), 'acta-demo-record-'))
        : undefined;
    const recordDir = options.out ?? join(tmp ?? recordTmp!, 'record');
    const s = await exportRecord(reopened, recordDir);
    const exported: ElectionDemoReport['exported'] =
      options.out === undefined ? null : { dir: s.dir, files: s.files };
    if (options.out !== undefined) {
      progress.note(`public record exported to ${s.dir} (${s.entries} entries)`);
    }
    await reopened.close();
    const verifyStarted = performance.now();
    const verifyStep = progress.step('record verified (acta verify)', s.entries);
    let verifiedEntries = 0;
    const verification = await verifyRecord(await readRecordDir(recordDir), {
      authorityKey: authorityKey.publicKey().toHex(),
      onProgress: (p) => {
        verifyStep.tick(p.entries - verifiedEntries);
        verifiedEntries = p.entries;
      },
    });
    verifyStep.done();
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (recordTmp !== undefined) await rm(recordTmp, { recursive: true, force: true });

    const state = service.state;
    const contests: ContestReport[] = describeTotals(manifest, result.totals).map((c) => {
      const expected = result.expected[c.contest]!;
      return {
        ...c,
        matchesPlaintext:
          c.cards.length === expected.length &&
          c.cards.every((card, i) => card.votes === expected[i]),
      };
    });
    const totalsMatchPlaintext = contests.every((c) => c.matchesPlaintext);
    if (!totalsMatchPlaintext) {
      throw new DemoCheckFailed('the decrypted totals differ from the simulated plaintext choices');
    }
    if (!replayedFromDisk) {
      throw new DemoCheckFailed('replaying the board from disk did not reproduce the election');
    }
    if (!verification.ok) {
      const e = verification.errors[0];
      throw new DemoCheckFailed(
        `the independent verifier rejected the exported record: ${e?.code ?? '?'} at ${e?.where ?? '?'}: ${e?.message ?? ''}`,
      );
    }
    const treeHead = JSON.parse(head!.json) as { treeSize: number; rootHash: string };
    const seconds: Record<string, number> = {};
    for (const [k, v] of Object.entries(result.phaseSeconds)) seconds[k] = Number(v.toFixed(3));
    seconds['total'] = Number(((performance.now() - started) / 1000).toFixed(3));
    return {
      options,
      backend: getCryptoBackend().name,
      electionId: state.election!.id,
      electionHash: encodeHex(state.key!.electionHash),
      jointKey: state.key!.jointKey.publicKey.toHex(),
      board: {
        path: options.db ?? null,
        entries: service.size,
        byType,
        treeHead: { treeSize: treeHead.treeSize, rootHash: treeHead.rootHash },
      },
      counts: {
        mesas: result.mesas,
        registered: result.registered,
        checkedIn: result.checkedIn,
        cast: result.cast,
        spoiled: result.spoiled,
      },
      presentTrustees: Array.from({ length: options.trustees }, (_, i) => i + 1).filter(
        (i) => !absent.includes(i),
      ),
      absentTrustees: absent,
      contests,
      checks: { totalsMatchPlaintext, replayedFromDisk, findings: replay.state.findings.length },
      verification: {
        ok: verification.ok,
        seconds: Number(verifySeconds.toFixed(3)),
        workers: verification.workers,
        checked: verification.checked,
      },
      exported,
      seconds,
    };
  } finally {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  }
}
