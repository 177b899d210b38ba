/**
 * A trustee's steps (issue #4 item 9): the k-of-n key ceremony through the
 * board (docs/spec.md §2.9 rule 2 and chapter 8: Feldman commitments with
 * proofs, encrypted shares) and the threshold decryption of closed mesas'
 * tallies (rule 8: one decryption share per card with its Chaum-Pedersen
 * proof). Each command is one trustee's action with its own secrets file
 * `D/trustees/<i>.json` (`Trustee.exportSecrets()` / `Trustee.restore`):
 *
 *  - `round1` draws the trustee's polynomial and posts its commitments. The
 *    secrets file is written BEFORE the entry is submitted: a commitment on
 *    the board whose polynomial was lost could never be answered. A refused
 *    submission puts the previous file back;
 *  - `shares` posts the polynomial evaluated for every other trustee,
 *    encrypted to each (once every trustee posted round 1);
 *  - `finish` reads the shares addressed to it from the board's
 *    `trustee-shares` entries, checks each against its sender's commitments
 *    and derives the trustee's key share, kept in its file (nothing is
 *    posted);
 *  - `decrypt` posts its partial decryption of every closed mesa it has not
 *    decrypted yet (or of `--mesa`).
 */
import { Trustee, parseEntryLine, type EntryBody, type TrusteeSecretsJson } from '@acta/protocol';
import type { Receipt } from '@acta/service';
import { requireMesa } from './choices.js';
import { refusal, StepRefusal, usage } from './errors.js';
import {
  decodeSecretKey,
  readJsonFile,
  trusteeFileSchema,
  withBoard,
  writeSecretJson,
  type BoardSession,
  type BoardSummary,
  type WorkDir,
} from './workdir.js';

/** What a ceremony step reports. */
export interface CeremonyStepReport {
  readonly trustee: number;
  readonly step: 'round1' | 'shares' | 'finish';
  /** The board index of the posted entry (null for `finish`, which posts nothing). */
  readonly index: number | null;
  /** Trustees whose part of this step is still missing on the board. */
  readonly waitingFor: readonly number[];
  readonly board: BoardSummary;
}

/** What `acta trustee decrypt` reports. */
export interface DecryptReport {
  readonly trustee: number;
  readonly decrypted: readonly { readonly mesa: string; readonly index: number }[];
  /** Closed mesas this trustee had already decrypted. */
  readonly alreadyDecrypted: readonly string[];
  readonly board: BoardSummary;
}

interface LoadedTrustee {
  readonly path: string;
  readonly json: TrusteeSecretsJson;
}

/** Reads trustee `index`'s secrets and checks them against the election's trustee list. */
async function loadTrusteeFile(s: BoardSession, index: number): Promise<LoadedTrustee> {
  const n = s.election.trustees.length;
  if (index < 1 || index > n) throw usage(`--trustee must be in [1, ${n}]`);
  const path = s.dir.trustee(index);
  const json = await readJsonFile(path, trusteeFileSchema, `the secrets of trustee ${index}`);
  if (json.index !== index || (json.ceremony !== undefined && json.ceremony.index !== index)) {
    throw usage(`${path} holds the secrets of another trustee`);
  }
  const key = decodeSecretKey(json.signingKey, path);
  if (key.publicKey().toHex() !== s.election.trustees[index - 1]!.key) {
    throw usage(`${path} is not trustee ${index} of this election`);
  }
  return { path, json };
}

function restore(s: BoardSession, json: TrusteeSecretsJson): Trustee {
  const t = Trustee.restore(json, s.state);
  if (!t.ok) throw StepRefusal.of(t.error);
  return t.value;
}

function missing(s: BoardSession, posted: ReadonlySet<number>): number[] {
  return s.election.trustees.map((t) => t.index).filter((i) => !posted.has(i));
}

function ceremonyOver(s: BoardSession, index: number): void {
  if (s.state.key !== undefined) {
    throw refusal('OUT_OF_ORDER', `trustee ${index}`, 'the ceremony is over: the key is posted');
  }
}

/** `acta trustee round1`. */
export async function postRound1(
  dir: WorkDir,
  index: number,
  quiet: boolean,
): Promise<CeremonyStepReport> {
  const { value, board } = await withBoard(dir, { quiet }, async (s) => {
    const loaded = await loadTrusteeFile(s, index);
    ceremonyOver(s, index);
    if (s.state.round1.has(index)) {
      throw refusal('DUPLICATE', `trustee ${index}`, `trustee ${index} already posted round 1`);
    }
    // A ceremony state without a posted round 1 is from an attempt the board
    // never took: nothing depends on it, a fresh polynomial replaces it.
    const t = restore(s, { ...loaded.json, ceremony: undefined, keyShare: undefined });
    const entry = t.round1(s.now(), s.state);
    await writeSecretJson(loaded.path, t.exportSecrets());
    let receipt: Receipt;
    try {
      receipt = await s.submit(entry);
    } catch (e) {
      await writeSecretJson(loaded.path, loaded.json);
      throw e;
    }
    return { index: receipt.index, waitingFor: missing(s, new Set(s.state.round1.keys())) };
  });
  return { trustee: index, step: 'round1', ...value, board };
}

/** `acta trustee shares`. */
export async function postShares(
  dir: WorkDir,
  index: number,
  quiet: boolean,
): Promise<CeremonyStepReport> {
  const { value, board } = await withBoard(dir, { quiet }, async (s) => {
    const loaded = await loadTrusteeFile(s, index);
    ceremonyOver(s, index);
    if (!s.state.round1.has(index)) {
      throw refusal('OUT_OF_ORDER', `trustee ${index}`, 'round 1 of this trustee comes first');
    }
    if (s.state.sharesPosted.has(index)) {
      throw refusal('DUPLICATE', `trustee ${index}`, `trustee ${index} already posted its shares`);
    }
    const waiting = missing(s, new Set(s.state.round1.keys()));
    if (waiting.length > 0) {
      throw refusal(
        'OUT_OF_ORDER',
        `trustee ${index}`,
        `waiting for round 1 of trustees ${waiting.join(', ')}`,
      );
    }
    if (loaded.json.ceremony === undefined) {
      throw usage(
        `${loaded.path} holds no ceremony state, yet round 1 of trustee ${index} is posted`,
      );
    }
    const t = restore(s, loaded.json);
    const entry = t.shares(s.now(), s.state);
    if (!entry.ok) throw StepRefusal.of(entry.error);
    const receipt = await s.submit(entry.value);
    return { index: receipt.index, waitingFor: missing(s, s.state.sharesPosted) };
  });
  return { trustee: index, step: 'shares', ...value, board };
}

/** `acta trustee finish`: derives the key share from the shares on the board. */
export async function finishCeremony(
  dir: WorkDir,
  index: number,
  quiet: boolean,
): Promise<CeremonyStepReport> {
  const { value, board } = await withBoard(dir, { quiet }, async (s) => {
    const loaded = await loadTrusteeFile(s, index);
    if (loaded.json.keyShare !== undefined) {
      throw refusal(
        'DUPLICATE',
        `trustee ${index}`,
        `trustee ${index} already holds its key share`,
      );
    }
    if (loaded.json.ceremony === undefined || !s.state.round1.has(index)) {
      throw refusal('OUT_OF_ORDER', `trustee ${index}`, 'round 1 of this trustee comes first');
    }
    const waiting = missing(s, s.state.sharesPosted);
    if (waiting.length > 0) {
      throw refusal(
        'OUT_OF_ORDER',
        `trustee ${index}`,
        `waiting for the shares of trustees ${waiting.join(', ')}`,
      );
    }
    const bodies: EntryBody<'trustee-shares'>[] = [];
    const decoder = new TextDecoder();
    for await (const stored of s.store.entries({ kind: 'trustee-shares' })) {
      // The replay already parsed and checked every entry; this cannot fail.
      const parsed = parseEntryLine(decoder.decode(stored.payload), `board entry ${stored.index}`);
      if (!parsed.ok || parsed.value.type !== 'trustee-shares') {
        throw new Error(`board entry ${stored.index} is not the trustee-shares it is filed as`);
      }
      bodies.push(parsed.value.body);
    }
    const t = restore(s, loaded.json);
    const finished = t.finish(s.state, bodies);
    if (!finished.ok) throw StepRefusal.of(finished.error);
    await writeSecretJson(loaded.path, t.exportSecrets());
    return { index: null, waitingFor: [] };
  });
  return { trustee: index, step: 'finish', ...value, board };
}

/** `acta trustee decrypt`: every closed mesa not yet decrypted by this trustee, or `mesa`. */
export async function decryptMesas(
  dir: WorkDir,
  index: number,
  mesaId: string | undefined,
  quiet: boolean,
): Promise<DecryptReport> {
  const { value, board } = await withBoard(dir, { quiet }, async (s) => {
    const loaded = await loadTrusteeFile(s, index);
    const named = mesaId === undefined ? undefined : requireMesa(s.state, mesaId);
    if (loaded.json.keyShare === undefined) {
      throw refusal(
        'OUT_OF_ORDER',
        `trustee ${index}`,
        `trustee ${index} has no key share yet (acta trustee finish)`,
      );
    }
    const t = restore(s, loaded.json);
    const closed = [...s.state.mesas.values()].filter((m) => m.acta !== undefined);
    const targets = named !== undefined ? [named] : closed.filter((m) => !m.decryptions.has(index));
    const entries = targets.map((m) => {
      const e = t.decrypt(s.now(), s.state, m);
      if (!e.ok) throw StepRefusal.of(e.error);
      return e.value;
    });
    const receipts = await s.submitAll(entries);
    return {
      decrypted: targets.map((m, i) => ({ mesa: m.id, index: receipts[i]!.index })),
      alreadyDecrypted:
        named !== undefined ? [] : closed.filter((m) => !targets.includes(m)).map((m) => m.id),
    };
  });
  return { trustee: index, ...value, board };
}
