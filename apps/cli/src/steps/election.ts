/**
 * The authority's steps (issue #4 item 9; docs/spec.md §2.9 rules 1–3 and
 * 10): `acta election create` defines the election on a new board — the
 * `election` entry (manifest, authority, registry and trustee keys, quorum,
 * base hash), one `mesa-device` entry per mesa and the `witness` entries —
 * after writing every party's secret to the working directory (workdir.ts);
 * `acta election open` posts the `election-key` once every trustee posted
 * round 1 and its shares; `acta status` reports what the board holds.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { encodeHex, generateSigningKeyPair, type SigningSecretKey } from '@acta/crypto';
import {
  Trustee,
  buildDemoManifest,
  contestsOfStyle,
  listMesas,
  parseManifest,
  type ElectionState,
  type Entry,
  type Manifest,
} from '@acta/protocol';
import { ElectionService } from '@acta/service';
import { z } from 'zod';
import { DEMO_EXAMPLES } from '../election-demo.js';
import { refusal, StepRefusal, usage } from './errors.js';
import {
  announceBackend,
  createWorkDirTree,
  describeWorkDir,
  holdsElection,
  openBoardStore,
  readJsonFile,
  withBoard,
  writeSecretJson,
  type AuthorityFile,
  type BoardSummary,
  type DeviceFile,
  type RegistryFile,
  type WitnessFile,
  type WorkDir,
} from './workdir.js';

/** Bounds of `acta election create`'s numbers. */
export const CREATE_LIMITS = { trustees: 255, witnesses: 100, mesas: 100_000 } as const;

/** What `acta election create` was asked. */
export interface CreateElectionOptions {
  readonly dir: string;
  readonly example?: string;
  readonly manifest?: string;
  readonly mesas?: number;
  readonly seed?: string;
  readonly trustees: number;
  readonly quorum: number;
  readonly witnesses: number;
  readonly quiet: boolean;
}

/** A mesa as the reports list it. */
export interface MesaListing {
  readonly mesa: string;
  readonly style: string;
  readonly centre: string;
  readonly place: string;
}

/** What `acta election create` reports. */
export interface CreateElectionReport {
  readonly dir: string;
  readonly electionId: string;
  readonly name: string;
  readonly date: string;
  /** The seed of the demo geography (`--mesas`), or null for a manifest used as it is. */
  readonly seed: string | null;
  readonly manifestHash: string;
  readonly baseHash: string;
  readonly authorityKey: string;
  readonly registryKey: string;
  readonly trustees: number;
  readonly quorum: number;
  readonly witnesses: number;
  readonly mesas: readonly MesaListing[];
  readonly contests: readonly {
    readonly contest: string;
    readonly selectionLimit: number;
    readonly cards: readonly string[];
  }[];
  readonly board: BoardSummary;
}

/** The manifest to post, and the seed of its demo geography (null: none was built). */
async function loadManifest(
  o: CreateElectionOptions,
): Promise<{ manifest: Manifest; seed: string | null }> {
  if (o.manifest !== undefined) {
    if (o.example !== undefined) throw usage('give --example or --manifest, not both');
    if (o.mesas !== undefined)
      throw usage('--mesas builds a demo geography: use it with --example');
    const manifest = await readJsonFile(o.manifest, z.unknown(), 'a manifest');
    const parsed = parseManifest(manifest);
    if (!parsed.ok) {
      const e = parsed.error;
      throw usage(`${o.manifest}: ${e.code} at ${e.where}: ${e.message}`);
    }
    return { manifest: parsed.value, seed: null };
  }
  const name = o.example ?? 'national';
  if (!Object.hasOwn(DEMO_EXAMPLES, name)) {
    throw usage(`--example must be one of ${Object.keys(DEMO_EXAMPLES).join(', ')}`);
  }
  const file = DEMO_EXAMPLES[name as keyof typeof DEMO_EXAMPLES];
  const url = import.meta.resolve(`@acta/protocol/examples/${file}`);
  const parsed = parseManifest(JSON.parse(await readFile(fileURLToPath(url), 'utf8')) as unknown);
  if (!parsed.ok) throw new Error(`the shipped example ${name} does not parse`);
  if (o.mesas === undefined) {
    if (o.seed !== undefined) throw usage('--seed seeds the demo geography: use it with --mesas');
    return { manifest: parsed.value, seed: null };
  }
  const seed = o.seed ?? randomBytes(8).toString('hex');
  return { manifest: buildDemoManifest(parsed.value, { mesas: o.mesas, seed }), seed };
}

function checkCreateOptions(o: CreateElectionOptions): void {
  if (o.trustees < 1 || o.trustees > CREATE_LIMITS.trustees) {
    throw usage(`--trustees must be in [1, ${CREATE_LIMITS.trustees}]`);
  }
  if (o.quorum < 1 || o.quorum > o.trustees) throw usage('--quorum must be in [1, --trustees]');
  if (o.witnesses > CREATE_LIMITS.witnesses) {
    throw usage(`--witnesses must be in [0, ${CREATE_LIMITS.witnesses}]`);
  }
  if (o.seed !== undefined && (!o.seed.isWellFormed() || o.seed.length > 200)) {
    throw usage('--seed must be well-formed text of at most 200 characters');
  }
  if (o.mesas !== undefined && (o.mesas < 1 || o.mesas > CREATE_LIMITS.mesas)) {
    throw usage(`--mesas must be in [1, ${CREATE_LIMITS.mesas}]`);
  }
}

function keyPair(): SigningSecretKey {
  return generateSigningKeyPair().secretKey;
}

/**
 * `acta election create`: every secret is on disk before the board names its
 * public key, so that no key on the board is ever without its holder.
 */
export async function createElection(o: CreateElectionOptions): Promise<CreateElectionReport> {
  checkCreateOptions(o);
  const dir = describeWorkDir(o.dir);
  if (existsSync(o.dir) && !statSync(o.dir).isDirectory()) {
    throw usage(`${o.dir} exists and is not a directory`);
  }
  if (holdsElection(dir)) throw usage(`${o.dir} already holds an election`);
  const { manifest, seed } = await loadManifest(o);
  announceBackend(o.quiet);
  await createWorkDirTree(dir);

  const authority = keyPair();
  const registry = keyPair();
  const authorityFile: AuthorityFile = {
    format: 'acta-authority-v1',
    publicKey: authority.publicKey().toHex(),
    secretKey: authority.toHex(),
  };
  const registryFile: RegistryFile = {
    format: 'acta-registry-v1',
    publicKey: registry.publicKey().toHex(),
    secretKey: registry.toHex(),
    voters: {},
  };
  const trustees = Array.from({ length: o.trustees }, (_, i) => new Trustee(i + 1, keyPair()));
  const mesas = listMesas(manifest);
  const devices = mesas.map((m) => ({
    mesa: m.id,
    device: keyPair(),
    pollWorker: keyPair(),
    // The device has counted nothing yet: a zero per card of every contest of its style.
    counts: contestsOfStyle(manifest, m.ballotStyle)!.map((c) => c.cards.map(() => 0)),
  }));
  const witnesses = Array.from({ length: o.witnesses }, (_, j) => ({
    index: j + 1,
    name: `Witness ${j + 1}`,
    key: keyPair(),
  }));
  await writeSecretJson(dir.authority, authorityFile);
  await writeSecretJson(dir.registry, registryFile);
  for (const t of trustees) await writeSecretJson(dir.trustee(t.index), t.exportSecrets());
  for (const d of devices) {
    const file: DeviceFile = {
      format: 'acta-device-v1',
      mesa: d.mesa,
      deviceKey: d.device.toHex(),
      pollWorkerKey: d.pollWorker.toHex(),
      counts: d.counts,
    };
    await writeSecretJson(dir.device(d.mesa), file);
  }
  for (const w of witnesses) {
    const file: WitnessFile = {
      format: 'acta-witness-v1',
      index: w.index,
      name: w.name,
      secretKey: w.key.toHex(),
    };
    await writeSecretJson(dir.witness(w.index), file);
  }

  const store = await openBoardStore(dir.board, false);
  let board: BoardSummary;
  let hashes: { manifestHash: string; baseHash: string };
  try {
    const service = await ElectionService.open({ store, authorityKey: authority, clock: Date.now });
    const must = async (entries: readonly Entry[]): Promise<void> => {
      for (const r of await Promise.all(entries.map((e) => service.submit(e)))) {
        // Entries this process just built from fresh keys follow the rules: a refusal is a bug.
        if (!r.ok) throw new Error(`election create: ${r.error.toString()}`);
      }
    };
    await must([
      service.authority.defineElection(service.now(), {
        manifest,
        registryKey: registryFile.publicKey,
        trusteeKeys: trustees.map((t) => t.publicKey),
        quorum: o.quorum,
      }),
    ]);
    hashes = {
      manifestHash: encodeHex(service.state.election!.manifestHash),
      baseHash: encodeHex(service.state.election!.baseHash),
    };
    // Devices and witnesses together: the store commits them as one group.
    await must([
      ...devices.map((d) =>
        service.authority.sign('mesa-device', service.now(), {
          mesa: d.mesa,
          deviceKey: d.device.publicKey().toHex(),
          pollWorkerKeys: [d.pollWorker.publicKey().toHex()],
        }),
      ),
      ...witnesses.map((w) =>
        service.authority.sign('witness', service.now(), {
          name: w.name,
          key: w.key.publicKey().toHex(),
        }),
      ),
    ]);
    const head = await service.signTreeHead();
    board = {
      entries: service.size,
      treeHead: { treeSize: head.treeSize, rootHash: encodeHex(head.rootHash) },
    };
  } finally {
    await store.close();
  }
  return {
    dir: o.dir,
    electionId: manifest.electionId,
    name: manifest.name.en,
    date: manifest.date,
    seed,
    ...hashes,
    authorityKey: authorityFile.publicKey,
    registryKey: registryFile.publicKey,
    trustees: o.trustees,
    quorum: o.quorum,
    witnesses: o.witnesses,
    mesas: mesas.map((m) => ({
      mesa: m.id,
      style: m.ballotStyle,
      centre: m.centreName,
      place: `${m.parishName}, ${m.municipalityName}, ${m.stateName}`,
    })),
    contests: manifest.contests.map((c) => ({
      contest: c.id,
      selectionLimit: c.selectionLimit,
      cards: c.cards.map((card) => card.id),
    })),
    board,
  };
}

/** Trustees (1-based) of the election missing from `posted`. */
function missingTrustees(state: ElectionState, posted: ReadonlySet<number>): number[] {
  return state.election!.trustees.map((t) => t.index).filter((i) => !posted.has(i));
}

/** What `acta election open` reports. */
export interface OpenElectionReport {
  readonly electionId: string;
  readonly jointKey: string;
  readonly electionHash: string;
  readonly index: number;
  readonly board: BoardSummary;
}

/** `acta election open`: the authority posts the joint key the round-1 commitments define. */
export async function openElection(dir: WorkDir, quiet: boolean): Promise<OpenElectionReport> {
  const { value, board } = await withBoard(dir, { quiet }, async (s) => {
    const state = s.state;
    if (state.key !== undefined) {
      throw refusal('DUPLICATE', 'election-key', 'the election key is already posted');
    }
    const round1 = missingTrustees(state, new Set(state.round1.keys()));
    const shares = missingTrustees(state, state.sharesPosted);
    if (round1.length > 0 || shares.length > 0) {
      const waiting = [
        round1.length > 0 ? `round 1 of trustees ${round1.join(', ')}` : '',
        shares.length > 0 ? `the shares of trustees ${shares.join(', ')}` : '',
      ].filter((x) => x !== '');
      throw refusal('OUT_OF_ORDER', 'election-key', `waiting for ${waiting.join(' and ')}`);
    }
    const entry = s.service.authority.electionKey(s.now(), state);
    if (!entry.ok) throw StepRefusal.of(entry.error);
    const receipt = await s.submit(entry.value);
    return {
      electionId: s.election.id,
      jointKey: state.key!.jointKey.publicKey.toHex(),
      electionHash: encodeHex(state.key!.electionHash),
      index: receipt.index,
    };
  });
  return { ...value, board };
}

// ---------------------------------------------------------------------------
// Status

/** Where an election stands. */
export type ElectionPhase =
  /** The key ceremony is under way (no election key yet). */
  | 'ceremony'
  /** The election key is posted and no mesa has closed. */
  | 'open'
  /** Some mesas closed, others still open. */
  | 'closing'
  /** Every mesa closed; results or totals missing. */
  | 'tallying'
  /** The totals are posted. */
  | 'complete';

/** One mesa in `acta status`. */
export interface MesaStatus {
  readonly mesa: string;
  readonly style: string;
  readonly registered: number;
  readonly checkedIn: number;
  readonly cast: number;
  readonly spoiled: number;
  readonly closed: boolean;
  readonly cosignatures: number;
  readonly decryptions: readonly number[];
  readonly result: boolean;
}

/** What `acta status` reports. */
export interface StatusReport {
  readonly electionId: string;
  readonly name: string;
  readonly phase: ElectionPhase;
  readonly entriesByType: Record<string, number>;
  readonly ceremony: {
    readonly trustees: number;
    readonly quorum: number;
    readonly round1: readonly number[];
    readonly shares: readonly number[];
    readonly keyPosted: boolean;
  };
  readonly witnesses: number;
  readonly credentials: { readonly registered: number; readonly revoked: number };
  readonly mesas: readonly MesaStatus[];
  readonly totalsPosted: boolean;
  readonly findings: readonly { code: string; where: string; message: string }[];
  readonly board: BoardSummary;
}

/** The phase of an election from its state. */
export function electionPhase(state: ElectionState): ElectionPhase {
  if (state.key === undefined) return 'ceremony';
  if (state.totals !== undefined) return 'complete';
  const open = [...state.mesas.values()].filter((m) => m.device !== undefined);
  const closed = open.filter((m) => m.acta !== undefined).length;
  if (closed === 0) return 'open';
  return closed < open.length ? 'closing' : 'tallying';
}

/** `acta status`: read-only; the board is replayed, nothing is written. */
export async function readStatus(dir: WorkDir, quiet: boolean): Promise<StatusReport> {
  const { value, board } = await withBoard(dir, { quiet, readonly: true }, async (s) => {
    const state = s.state;
    let revoked = 0;
    for (const c of state.credentials.values()) if (c.revoked) revoked += 1;
    return {
      electionId: s.election.id,
      name: s.election.manifest.name.en,
      phase: electionPhase(state),
      entriesByType: await s.store.countByKind(),
      ceremony: {
        trustees: s.election.trustees.length,
        quorum: s.election.quorum,
        round1: [...state.round1.keys()].sort((a, b) => a - b),
        shares: [...state.sharesPosted].sort((a, b) => a - b),
        keyPosted: state.key !== undefined,
      },
      witnesses: state.witnesses.size,
      credentials: { registered: state.credentials.size - revoked, revoked },
      mesas: [...state.mesas.values()].map((m) => ({
        mesa: m.id,
        style: m.style,
        registered: m.registered,
        checkedIn: m.checkedIn,
        cast: m.cast,
        spoiled: m.spoiled,
        closed: m.acta !== undefined,
        cosignatures: m.acta?.cosigners.size ?? 0,
        decryptions: [...m.decryptions.keys()].sort((a, b) => a - b),
        result: m.result !== undefined,
      })),
      totalsPosted: state.totals !== undefined,
      findings: state.findings.map((f) => ({ code: f.code, where: f.where, message: f.message })),
    };
  });
  return { ...value, board };
}
