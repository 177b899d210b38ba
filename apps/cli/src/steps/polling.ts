/**
 * A mesa's steps on election day (issue #4 item 9; docs/spec.md §2.9 rules
 * 5–7; product brief components 2, 3 and 6):
 *
 *  - `acta poll checkin`: the poll book challenges the voter's card, the card
 *    signs the challenge (possession proof bound to the election, the mesa,
 *    the poll book's key and a fresh nonce) and the poll worker countersigns
 *    the `checkin` entry; the card's own mesa is the one checked in at;
 *  - `acta vote cast|spoil`: the mesa's voting device, resumed from the
 *    board's state of its mesa and its stored plaintext counts, encrypts the
 *    ballot with its proofs and chains its tracking code; the voter's receipt
 *    (the code in groups, its QR text) is printed and, for a cast ballot, the
 *    paper record for audits. A spoiled ballot (the Benaloh challenge)
 *    publishes its opening and is never counted;
 *  - `acta mesa close`: the device signs the acta (counts, chain head, its own
 *    per-card results, the encrypted tally, the signed QR payload) and, with
 *    `--witness-sign`, every witness of the directory co-signs it.
 *
 * The device's counts file is rewritten after the board acknowledged a
 * ballot; a crash between the two leaves the device one ballot behind, which
 * the acta would show (its results differ from the decrypted tally: the
 * ACTA_RESULT_MISMATCH finding), never a silent change of the count.
 */
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';

import { defaultRng, type SigningSecretKey } from '@acta/crypto';
import {
  PollBook,
  VotingDevice,
  createSignedEntry,
  formatPaperRecord,
  type BallotReceipt,
  type MesaState,
  type PaperRecord,
} from '@acta/protocol';
import { checkQrPath, writeQrFile } from './qr-file.js';
import { buildVotes, checkMesaIdShape, parseChoiceOption, requireMesa } from './choices.js';
import { refusal, usage } from './errors.js';
import { readCardFile } from './registry.js';
import {
  checkedKey,
  decodeSecretKey,
  deviceFileSchema,
  readJsonFile,
  witnessFileSchema,
  withBoard,
  writeSecretJson,
  type BoardSession,
  type BoardSummary,
  type DeviceFile,
  type WorkDir,
} from './workdir.js';

/** What `acta poll checkin` reports. */
export interface CheckinReport {
  readonly mesa: string;
  readonly credentialKey: string;
  readonly serial: number;
  readonly nationalIdHint: string;
  readonly index: number;
  /** The mesa's check-ins and cast ballots after this one. */
  readonly checkedIn: number;
  readonly cast: number;
  readonly board: BoardSummary;
}

/** What `acta vote cast|spoil` reports. */
export interface VoteReport {
  readonly receipt: BallotReceipt;
  /** Only for a cast ballot: the paper record the device prints (and its printed text). */
  readonly paper: PaperRecord | null;
  readonly paperText: string | null;
  readonly index: number;
  readonly board: BoardSummary;
}

/** What `acta mesa close` reports. */
export interface CloseReport {
  readonly mesa: string;
  readonly index: number;
  readonly leafHash: string;
  readonly counts: {
    readonly registered: number;
    readonly checkedIn: number;
    readonly cast: number;
    readonly spoiled: number;
  };
  readonly chainHead: string;
  /** The device's own per-card counts (the decryption of the tally will confirm or refute them). */
  readonly results: readonly {
    readonly contest: string;
    readonly cards: readonly { readonly id: string; readonly votes: number }[];
  }[];
  /** The acta's signed QR payload. */
  readonly qr: string;
  readonly qrImage: string | null;
  readonly cosignedBy: readonly string[];
  readonly board: BoardSummary;
}

interface LoadedDevice {
  readonly path: string;
  readonly file: DeviceFile;
  readonly deviceKey: SigningSecretKey;
  readonly pollWorkerKey: SigningSecretKey;
}

/** The mesa's device file, its keys checked against the mesa's `mesa-device` entry. */
async function loadDevice(s: BoardSession, mesa: MesaState): Promise<LoadedDevice> {
  const path = s.dir.device(mesa.id);
  const file = await readJsonFile(path, deviceFileSchema, `the device of mesa ${mesa.id}`);
  if (file.mesa !== mesa.id) throw usage(`${path} is the device of another mesa`);
  if (mesa.device === undefined) {
    throw refusal('POLLS_NOT_OPEN', `mesa ${mesa.id}`, 'the mesa has no device on the board');
  }
  const deviceKey = checkedKey(
    file.deviceKey,
    undefined,
    mesa.device.deviceKey,
    path,
    `device of mesa ${mesa.id}`,
  );
  const pollWorkerKey = decodeSecretKey(file.pollWorkerKey, path);
  if (!mesa.device.pollWorkerKeys.has(pollWorkerKey.publicKey().toHex())) {
    throw usage(`${path} does not hold a poll worker key of mesa ${mesa.id}`);
  }
  const fits =
    file.counts.length === mesa.contests.length &&
    file.counts.every((row, i) => row.length === mesa.contests[i]!.cardIds.length);
  if (!fits) throw usage(`${path}: the device's counts do not fit the contests of mesa ${mesa.id}`);
  return { path, file, deviceKey, pollWorkerKey };
}

function requireKey(s: BoardSession, mesa: MesaState): void {
  if (s.state.key === undefined) {
    throw refusal('POLLS_NOT_OPEN', `mesa ${mesa.id}`, 'the election key is not posted yet');
  }
}

/** `acta poll checkin`: at the card's own mesa. */
export async function checkIn(
  dir: WorkDir,
  o: { card: string; quiet: boolean },
): Promise<CheckinReport> {
  const { value, board } = await withBoard(dir, { quiet: o.quiet }, async (s) => {
    const card = await readCardFile(o.card, s.state);
    const mesa = requireMesa(s.state, card.mesa, 'card.mesa');
    const device = await loadDevice(s, mesa);
    const pollBook = new PollBook(mesa.id, device.pollWorkerKey);
    const entry = pollBook.checkin(s.now(), s.election.id, card, pollBook.challenge(defaultRng));
    const receipt = await s.submit(entry);
    return {
      mesa: mesa.id,
      credentialKey: card.publicKey,
      serial: card.serial,
      nationalIdHint: card.nationalIdHint ?? '',
      index: receipt.index,
      checkedIn: mesa.checkedIn,
      cast: mesa.cast,
    };
  });
  return { ...value, board };
}

/** `acta vote cast` and `acta vote spoil`. */
export async function vote(
  dir: WorkDir,
  o: {
    mesa: string;
    choices: readonly string[];
    disposition: 'cast' | 'spoiled';
    /** Also write the receipt's QR code here (.svg or .png). */
    qr?: string;
    quiet: boolean;
  },
): Promise<VoteReport> {
  checkMesaIdShape(o.mesa);
  if (o.qr !== undefined) checkQrPath(o.qr);
  const choices = o.choices.map(parseChoiceOption);
  const { value, board } = await withBoard(dir, { quiet: o.quiet }, async (s) => {
    const mesa = requireMesa(s.state, o.mesa);
    const votes = buildVotes(mesa, choices);
    const device = await loadDevice(s, mesa);
    requireKey(s, mesa);
    const machine = VotingDevice.resume(mesa, device.deviceKey, s.election.id, device.file.counts);
    const ballot = machine.ballot(s.now(), s.state, votes, o.disposition, defaultRng);
    let index: number;
    try {
      index = (await s.submit(ballot.entry)).index;
    } catch (e) {
      machine.reject();
      throw e;
    }
    machine.accept();
    await writeSecretJson(device.path, { ...device.file, counts: machine.exportCounts() });
    // The receipt holds no secret: the tracking code is public on the board.
    if (o.qr !== undefined) await writeQrFile(o.qr, ballot.receipt.qr, 'the receipt', 0o644);
    return {
      receipt: ballot.receipt,
      paper: ballot.paper ?? null,
      paperText: ballot.paper === undefined ? null : formatPaperRecord(ballot.paper),
      index,
    };
  });
  return { ...value, board };
}

/** The witnesses of the directory, in index order. */
async function loadWitnesses(s: BoardSession): Promise<{ name: string; key: SigningSecretKey }[]> {
  const names = existsSync(s.dir.witnesses) ? await readdir(s.dir.witnesses) : [];
  const indices = names
    .map((n) => /^([0-9]{1,4})\.json$/.exec(n))
    .flatMap((m) => (m === null ? [] : [Number(m[1])]))
    .sort((a, b) => a - b);
  const out: { name: string; key: SigningSecretKey }[] = [];
  for (const j of indices) {
    const path = s.dir.witness(j);
    const file = await readJsonFile(path, witnessFileSchema, `the key of witness ${j}`);
    const key = decodeSecretKey(file.secretKey, path);
    if (!s.state.witnesses.has(key.publicKey().toHex())) {
      throw usage(`${path} is not a witness of this election`);
    }
    out.push({ name: file.name, key });
  }
  return out;
}

/** `acta mesa close`. */
export async function closeMesa(
  dir: WorkDir,
  o: { mesa: string; witnessSign: boolean; qr?: string; quiet: boolean },
): Promise<CloseReport> {
  checkMesaIdShape(o.mesa);
  if (o.qr !== undefined) checkQrPath(o.qr);
  const { value, board } = await withBoard(dir, { quiet: o.quiet }, async (s) => {
    const mesa = requireMesa(s.state, o.mesa);
    const device = await loadDevice(s, mesa);
    const witnesses = o.witnessSign ? await loadWitnesses(s) : [];
    if (o.witnessSign && witnesses.length === 0) {
      throw usage(`--witness-sign: ${s.dir.witnesses} holds no witness key`);
    }
    requireKey(s, mesa);
    const machine = VotingDevice.resume(mesa, device.deviceKey, s.election.id, device.file.counts);
    const acta = machine.close(s.now(), s.state, {
      registered: mesa.registered,
      checkedIn: mesa.checkedIn,
    });
    if (acta.type !== 'acta')
      throw new Error('VotingDevice.close built something else than an acta');
    const receipt = await s.submit(acta);
    await s.submitAll(
      witnesses.map((w) =>
        createSignedEntry(
          'acta-cosign',
          s.now(),
          { mesa: mesa.id, acta: receipt.leafHash, witnessKey: w.key.publicKey().toHex() },
          w.key,
        ),
      ),
    );
    let qrImage: string | null = null;
    if (o.qr !== undefined) {
      // The acta is public: an ordinary file.
      await writeQrFile(o.qr, acta.body.qr, 'the acta', 0o644);
      qrImage = o.qr;
    }
    return {
      mesa: mesa.id,
      index: receipt.index,
      leafHash: receipt.leafHash,
      counts: acta.body.counts,
      chainHead: acta.body.chainHead,
      results: acta.body.results.map((r, ci) => ({
        contest: r.contest,
        cards: r.counts.map((n, i) => ({ id: mesa.contests[ci]!.cardIds[i]!, votes: n })),
      })),
      qr: acta.body.qr,
      qrImage,
      cosignedBy: witnesses.map((w) => w.name),
    };
  });
  return { ...value, board };
}
