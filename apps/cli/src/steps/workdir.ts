/**
 * The working directory of an election driven by hand with the step commands
 * (issue #4 item 9), and the one way every step opens its board.
 *
 * Layout of `--dir D` (default `./acta-election`):
 *
 *   D/board.sqlite          the bulletin board (@acta/store openSqliteStore): PUBLIC
 *   D/authority.json        the authority's Ed25519 secret key (hex)              0600
 *   D/registry.json         the registry's Ed25519 secret key and its private
 *                           table national id → (mesa, serial, credential key,
 *                           identity salt): what the registry keeps to refuse a
 *                           second card for one person and to check a reissue   0600
 *   D/trustees/<i>.json     trustee i's secrets, `Trustee.exportSecrets()`
 *                           (signing key, then ceremony state, then key share)  0600
 *   D/devices/<mesa>.json   the mesa's voting-device key, poll-worker key and the
 *                           device's plaintext counts (`VotingDevice.exportCounts`);
 *                           the device resumes from the board's state of its mesa
 *                           with `VotingDevice.resume`                           0600
 *   D/witnesses/<j>.json    witness j's Ed25519 secret key                        0600
 *   D/cards/                voters' cards when `--out` is not given (SECRET)      0600
 *
 * Secrets live only in these files, written atomically (temporary file, fsync,
 * rename) with mode 0600 in directories of mode 0700; the board never holds
 * one. Every file is parsed with zod when read (a damaged file is a usage
 * error, exit 2) and every key is checked against the public key the board
 * holds for its party.
 *
 * Every step opens the board with `ElectionService.open` (which replays every
 * entry through the state machine, docs/spec.md §2.9: the state is
 * `service.state`), builds its entry with the @acta/protocol parties, submits
 * it with `service.submit`, signs a tree head when the board grew, and closes
 * the store. Steps on one directory run one at a time: two writers would both
 * append at the same index, which the service detects (SERVICE_FAILED) but
 * does not queue.
 */
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { encodeHex, getCryptoBackend, SigningSecretKey } from '@acta/crypto';
import type { ElectionState, Entry, TrusteeSecretsJson } from '@acta/protocol';
import { ElectionService, type Receipt } from '@acta/service';
import { openSqliteStore, StoreError, type BoardStore } from '@acta/store';
import { refusal, StepRefusal, usage } from './errors.js';

/** The default working directory. */
export const DEFAULT_ELECTION_DIR = './acta-election';

const SECRET_FILE_MODE = 0o600;
const SECRET_DIR_MODE = 0o700;

/** The paths of a working directory. */
export interface WorkDir {
  readonly root: string;
  readonly board: string;
  readonly authority: string;
  readonly registry: string;
  readonly trustees: string;
  readonly devices: string;
  readonly witnesses: string;
  readonly cards: string;
  trustee(index: number): string;
  device(mesa: string): string;
  witness(index: number): string;
}

/** The paths under `root` (nothing is checked or created). */
export function describeWorkDir(root: string): WorkDir {
  return {
    root,
    board: join(root, 'board.sqlite'),
    authority: join(root, 'authority.json'),
    registry: join(root, 'registry.json'),
    trustees: join(root, 'trustees'),
    devices: join(root, 'devices'),
    witnesses: join(root, 'witnesses'),
    cards: join(root, 'cards'),
    trustee: (i) => join(root, 'trustees', `${i}.json`),
    device: (mesa) => join(root, 'devices', `${mesa}.json`),
    witness: (j) => join(root, 'witnesses', `${j}.json`),
  };
}

/** True when `root` already holds (part of) an election. */
export function holdsElection(dir: WorkDir): boolean {
  return existsSync(dir.board) || existsSync(dir.authority) || existsSync(dir.registry);
}

/** The working directory of an existing election (usage error when there is none). */
export function requireWorkDir(root: string): WorkDir {
  if (!existsSync(root))
    throw usage(`${root} does not exist (create it with acta election create)`);
  if (!statSync(root).isDirectory()) throw usage(`${root} is not a directory`);
  const dir = describeWorkDir(root);
  if (!existsSync(dir.board) || !existsSync(dir.authority)) {
    throw usage(`${root} holds no election (create one with acta election create --dir ${root})`);
  }
  return dir;
}

/** Creates the directories of a new working directory (secrets' ones 0700). */
export async function createWorkDirTree(dir: WorkDir): Promise<void> {
  await mkdir(dir.root, { recursive: true });
  for (const d of [dir.trustees, dir.devices, dir.witnesses, dir.cards]) {
    await mkdir(d, { recursive: true, mode: SECRET_DIR_MODE });
    await chmod(d, SECRET_DIR_MODE);
  }
}

// ---------------------------------------------------------------------------
// Files

/**
 * Writes a file atomically: a temporary file with `mode` in the same
 * directory, synced, then renamed over `path` (a crash leaves the old file or
 * the new one, never half of one).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number = SECRET_FILE_MODE,
): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The mode given to open() is filtered by the umask; the secrets' is not negotiable.
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** Writes a secret JSON document (mode 0600). */
export async function writeSecretJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, SECRET_FILE_MODE);
}

/** Removes a file if it exists (rolling back what a refused step wrote). */
export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Reads and parses a JSON file with `schema`; every failure is a usage error naming the file. */
export async function readJsonFile<T>(
  path: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw usage(`cannot read ${what} at ${path}`);
  }
  // Bounded before parsing: no file of the directory is anywhere near this.
  if (text.length > 16 << 20) throw usage(`${path} is too large to be ${what}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw usage(`${path} is not JSON (expected ${what})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    // The issue's path names a field, never its (possibly secret) value.
    throw usage(`${path} is not ${what}${at}`);
  }
  return parsed.data;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const mesaIdSchema = z.string().regex(/^[0-9]{9}\.[0-9]{2}$/);

/** `authority.json`. */
export const authorityFileSchema = z.strictObject({
  format: z.literal('acta-authority-v1'),
  publicKey: hex64,
  secretKey: hex64,
});
export type AuthorityFile = z.infer<typeof authorityFileSchema>;

/** One person the registry issued a card to (its private table). */
const registryVoterSchema = z.strictObject({
  mesa: mesaIdSchema,
  serial: z.number().int().min(1).max(1_000_000),
  credentialKey: hex64,
  identitySalt: hex64,
});
export type RegistryVoter = z.infer<typeof registryVoterSchema>;

/** `registry.json`: the registry's key and private table, keyed by national id. */
export const registryFileSchema = z.strictObject({
  format: z.literal('acta-registry-v1'),
  publicKey: hex64,
  secretKey: hex64,
  voters: z.record(z.string().min(1).max(64), registryVoterSchema),
});
export type RegistryFile = z.infer<typeof registryFileSchema>;

/** `trustees/<i>.json`: exactly `Trustee.exportSecrets()`. */
export const trusteeFileSchema: z.ZodType<TrusteeSecretsJson> = z.strictObject({
  format: z.literal('acta-trustee-secrets-v1'),
  index: z.number().int().min(1).max(255),
  signingKey: hex64,
  ceremony: z
    .strictObject({
      index: z.number().int().min(1).max(255),
      coefficients: z.array(hex64).min(1).max(255),
      transportSecretKey: hex64,
    })
    .optional(),
  keyShare: hex64.optional(),
});

/** `devices/<mesa>.json`. */
export const deviceFileSchema = z.strictObject({
  format: z.literal('acta-device-v1'),
  mesa: mesaIdSchema,
  deviceKey: hex64,
  pollWorkerKey: hex64,
  counts: z.array(z.array(z.number().int().min(0).max(1_000_000_000)).max(1000)).max(100),
});
export type DeviceFile = z.infer<typeof deviceFileSchema>;

/** `witnesses/<j>.json`. */
export const witnessFileSchema = z.strictObject({
  format: z.literal('acta-witness-v1'),
  index: z.number().int().min(1).max(1000),
  name: z.string().min(1).max(200),
  secretKey: hex64,
});
export type WitnessFile = z.infer<typeof witnessFileSchema>;

/** Decodes a secret key a schema already checked as 64 hex digits. */
export function decodeSecretKey(hex: string, path: string): SigningSecretKey {
  const key = SigningSecretKey.decodeHex(hex);
  if (!key.ok) throw usage(`${path} holds a key that does not decode`);
  return key.value;
}

/** A key file's secret key, checked against the public key it states and `expected`. */
export function checkedKey(
  secretHex: string,
  publicHex: string | undefined,
  expected: string,
  path: string,
  role: string,
): SigningSecretKey {
  const key = decodeSecretKey(secretHex, path);
  const derived = key.publicKey().toHex();
  if (publicHex !== undefined && derived !== publicHex) {
    throw usage(`${path}: the public key is not the one its secret key derives (damaged file)`);
  }
  if (derived !== expected) throw usage(`${path} is not the ${role} of this election`);
  return key;
}

// ---------------------------------------------------------------------------
// The board

/** An open board: the service over it and what the step needs from it. */
export interface BoardSession {
  readonly dir: WorkDir;
  readonly store: BoardStore;
  readonly service: ElectionService;
  readonly state: ElectionState;
  readonly election: NonNullable<ElectionState['election']>;
  /** Milliseconds since the epoch (the service's clock). */
  now(): number;
  /** Submits an entry; a refusal is thrown as StepRefusal (exit 1). */
  submit(entry: Entry): Promise<Receipt>;
  /** Submits entries together (one group commit); throws the first refusal after all settled. */
  submitAll(entries: readonly Entry[]): Promise<Receipt[]>;
}

/** The board's size and latest signed tree head, for reports. */
export interface BoardSummary {
  readonly entries: number;
  readonly treeHead: { readonly treeSize: number; readonly rootHash: string } | null;
}

const storedHeadSchema = z.object({ treeSize: z.number().int().min(0), rootHash: hex64 });

/** Says which crypto backend runs (replaying a board verifies every proof on it). */
export function announceBackend(quiet: boolean): void {
  const info = getCryptoBackend();
  if (info.error !== undefined) throw usage(info.error);
  if (!quiet) process.stderr.write(`crypto backend: ${info.name} (${info.reason})\n`);
}

/** Opens a SQLite board, turning the store's errors into one-line usage errors. */
export async function openBoardStore(path: string, readonly: boolean): Promise<BoardStore> {
  try {
    return await openSqliteStore(path, { readonly });
  } catch (e) {
    if (e instanceof StoreError) throw usage(`cannot open the board ${path}: ${e.message}`);
    throw e;
  }
}

/** Reads the authority's key file. */
export async function readAuthorityKey(dir: WorkDir): Promise<SigningSecretKey> {
  const file = await readJsonFile(dir.authority, authorityFileSchema, 'the authority key file');
  return checkedKey(file.secretKey, file.publicKey, file.publicKey, dir.authority, 'authority');
}

/**
 * Opens the board of `dir`, replays it, runs `step`, then signs a tree head if
 * the board grew (a recorded refusal included) and closes the store, whatever
 * happened. `readonly` opens the store read-only and never signs.
 */
export async function withBoard<T>(
  dir: WorkDir,
  options: { readonly readonly?: boolean; readonly quiet: boolean },
  step: (session: BoardSession) => Promise<T>,
): Promise<{ readonly value: T; readonly board: BoardSummary }> {
  announceBackend(options.quiet);
  const authorityKey = await readAuthorityKey(dir);
  const readonly = options.readonly === true;
  const store = await openBoardStore(dir.board, readonly);
  let broken = false;
  let service: ElectionService | undefined;
  try {
    try {
      service = await ElectionService.open({ store, authorityKey, clock: Date.now });
    } catch (e) {
      // The service only writes entries that follow the rules: one that does
      // not replay was written by something else, or the file is damaged.
      if (e instanceof Error) throw refusal('BOARD_DAMAGED', dir.board, e.message);
      throw e;
    }
    const opened = service.size;
    const election = service.state.election;
    if (election === undefined) throw usage(`the board ${dir.board} holds no election`);
    if (election.authorityKey !== authorityKey.publicKey().toHex()) {
      throw usage(`${dir.authority} is not the authority of this election`);
    }
    const s = service;
    const check = (r: Awaited<ReturnType<ElectionService['submit']>>): Receipt => {
      if (r.ok) return r.value;
      if (r.error.code === 'SERVICE_FAILED') broken = true;
      throw StepRefusal.of(r.error);
    };
    const session: BoardSession = {
      dir,
      store,
      service: s,
      state: s.state,
      election,
      now: () => s.now(),
      submit: async (entry) => check(await s.submit(entry)),
      submitAll: async (entries) => {
        const results = await Promise.all(entries.map((e) => s.submit(e)));
        return results.map(check);
      },
    };
    let value: T;
    try {
      value = await step(session);
    } finally {
      await s.flush();
      if (!readonly && !broken && s.size > opened) await s.signTreeHead();
    }
    return { value, board: await summarizeBoard(store, s.size) };
  } finally {
    await store.close();
  }
}

async function summarizeBoard(store: BoardStore, entries: number): Promise<BoardSummary> {
  const head = await store.latestTreeHead();
  if (head === undefined) return { entries, treeHead: null };
  const parsed = storedHeadSchema.safeParse(JSON.parse(head.json) as unknown);
  return {
    entries,
    treeHead: parsed.success
      ? { treeSize: parsed.data.treeSize, rootHash: parsed.data.rootHash }
      : null,
  };
}

/** Hex of a 32-byte hash (the state keeps hashes as bytes). */
export function hex(bytes: Uint8Array): string {
  return encodeHex(bytes);
}
