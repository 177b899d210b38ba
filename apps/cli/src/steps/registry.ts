/**
 * The registry's steps (issue #4 item 9; docs/spec.md §2.9 rule 4 and chapter
 * 2 "Credentials"; product brief components 1–2): issuing a voter's card,
 * revoking one, reissuing one.
 *
 *  - `issue` makes a credential (`issueCredential`: a fresh Ed25519 key pair
 *    and identity salt), writes the card file (and, with `--qr`, its QR code
 *    as SVG or PNG: both SECRET, mode 0600) and posts the pseudonymous
 *    `registration` (mesa, serial, credential key, identity commitment). The
 *    registry's private table in `registry.json` remembers national id →
 *    (mesa, serial, key, salt), so that one person never gets two first
 *    cards: the commitments are salted, the board cannot see that;
 *  - `revoke` posts a `revocation` of the card's key;
 *  - `reissue` makes a new card for the same person (same identity salt, so
 *    the same identity commitment; serial + 1) and posts a `registration`
 *    that supersedes the old key, which the rules revoke with it. The
 *    national id given must open the old card's commitment — the registry's
 *    check that the person asking is the card's holder.
 *
 * Files are written before the entry is submitted and put back if the board
 * refuses it: a registration on the board whose card was never written would
 * leave a voter without a card and the registry without a record of it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  bytesEqual,
  decodeHex,
  encodeHex,
  generateSigningKeyPair,
  type SigningSecretKey,
} from '@acta/crypto';
import {
  CredentialCard,
  computeIdentityCommitment,
  createSignedEntry,
  encodeCredentialCard,
  encodeCredentialQr,
  issueCredential,
  parseCredentialCard,
  type ElectionState,
} from '@acta/protocol';
import { checkMesaIdShape, requireMesa } from './choices.js';
import { checkQrExtension, writeQrFile } from './qr-file.js';
import { refusal, usage } from './errors.js';
import {
  checkedKey,
  readJsonFile,
  registryFileSchema,
  removeFile,
  withBoard,
  writeSecretJson,
  type BoardSession,
  type BoardSummary,
  type RegistryFile,
  type WorkDir,
} from './workdir.js';

/** What `acta registry issue` and `reissue` report (no secret: paths, public key, hint). */
export interface CardReport {
  readonly mesa: string;
  readonly serial: number;
  readonly credentialKey: string;
  readonly identityCommitment: string;
  readonly nationalIdHint: string;
  /** The card file written (SECRET: it holds the credential's secret key). */
  readonly card: string;
  /** The card's QR image written, if asked (SECRET as well). */
  readonly qr: string | null;
  /** For a reissue: the key it supersedes (now revoked). */
  readonly supersedes: string | null;
  readonly index: number;
  readonly board: BoardSummary;
}

/** What `acta registry revoke` reports. */
export interface RevokeReport {
  readonly mesa: string;
  readonly serial: number;
  readonly credentialKey: string;
  readonly index: number;
  readonly board: BoardSummary;
}

const reasonSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => s === s.trim() && s.isWellFormed() && !/\p{Cc}/u.test(s));

/** The registry's key file, its key checked against the election's registry key. */
async function loadRegistry(
  s: BoardSession,
): Promise<{ file: RegistryFile; key: SigningSecretKey }> {
  const file = await readJsonFile(s.dir.registry, registryFileSchema, 'the registry file');
  const key = checkedKey(
    file.secretKey,
    file.publicKey,
    s.election.registryKey,
    s.dir.registry,
    'registry',
  );
  return { file, key };
}

/** Reads a card file given on the command line and checks it is for this election. */
export async function readCardFile(path: string, state: ElectionState): Promise<CredentialCard> {
  const json = await readJsonFile(path, z.unknown(), 'a card file');
  const card = parseCredentialCard(json);
  if (!card.ok) throw usage(`${path}: ${card.error.toString()}`);
  const e = state.election!;
  if (card.value.electionId !== e.id || card.value.manifestHash !== encodeHex(e.manifestHash)) {
    throw usage(`${path} is a card of another election`);
  }
  return card.value;
}

/** Checks `--out` and `--qr` before anything is made. */
function checkOutputs(out: string | undefined, qr: string | undefined): void {
  if (qr !== undefined) checkQrExtension(qr);
  for (const path of [out, qr]) {
    if (path === undefined) continue;
    if (existsSync(path)) throw usage(`${path} already exists: a card is never overwritten`);
    if (!existsSync(dirname(path))) throw usage(`the directory of ${path} does not exist`);
  }
}

/** Writes the card file and, if asked, its QR image (both SECRET, mode 0600). */
async function writeCard(card: CredentialCard, out: string, qr: string | undefined): Promise<void> {
  await writeSecretJson(out, encodeCredentialCard(card));
  if (qr === undefined) return;
  await writeQrFile(qr, encodeCredentialQr(card), 'a card');
}

/** The default card path: under D/cards, named by mesa, serial and the key's first digits. */
function defaultCardPath(dir: WorkDir, card: CredentialCard): string {
  return join(dir.cards, `${card.mesa}-${card.serial}-${card.publicKey.slice(0, 16)}.json`);
}

/** The last three characters of a national id: the card's hint (credential.ts). */
function hintOf(nationalId: string): string {
  return [...nationalId].slice(-3).join('');
}

/** `acta registry issue`. */
export async function issueCard(
  dir: WorkDir,
  o: { mesa: string; nationalId: string; out?: string; qr?: string; quiet: boolean },
): Promise<CardReport> {
  checkMesaIdShape(o.mesa);
  checkOutputs(o.out, o.qr);
  const { value, board } = await withBoard(dir, { quiet: o.quiet }, async (s) => {
    const mesa = requireMesa(s.state, o.mesa);
    const registry = await loadRegistry(s);
    const issued = issueCredential({
      electionId: s.election.id,
      manifestHash: s.election.manifestHash,
      mesa: mesa.id,
      nationalId: o.nationalId,
      serial: 1,
    });
    // The only failure left is the national id's form (the message never quotes it).
    if (!issued.ok) throw usage(`--national-id: ${issued.error.message}`);
    const known = registry.file.voters[o.nationalId];
    if (known !== undefined) {
      throw usage(
        `the registry already issued a card to this national id (mesa ${known.mesa}, serial ${known.serial}): use acta registry reissue`,
      );
    }
    const { card, publicRecord } = issued.value;
    const out = o.out ?? defaultCardPath(dir, card);
    const entry = createSignedEntry(
      'registration',
      s.now(),
      {
        mesa: mesa.id,
        serial: 1,
        credentialKey: publicRecord.credentialPublicKey,
        identityCommitment: publicRecord.identityCommitment,
      },
      registry.key,
    );
    const table: RegistryFile = {
      ...registry.file,
      voters: {
        ...registry.file.voters,
        [o.nationalId]: {
          mesa: mesa.id,
          serial: 1,
          credentialKey: card.publicKey,
          identitySalt: encodeHex(issued.value.identitySalt),
        },
      },
    };
    const receipt = await submitWithFiles(s, entry, registry.file, table, card, out, o.qr);
    return {
      mesa: mesa.id,
      serial: 1,
      credentialKey: card.publicKey,
      identityCommitment: publicRecord.identityCommitment,
      nationalIdHint: card.nationalIdHint ?? '',
      card: out,
      qr: o.qr ?? null,
      supersedes: null,
      index: receipt.index,
    };
  });
  return { ...value, board };
}

/** Writes the card and the registry table, submits; on a refusal, puts everything back. */
async function submitWithFiles(
  s: BoardSession,
  entry: Parameters<BoardSession['submit']>[0],
  before: RegistryFile,
  after: RegistryFile,
  card: CredentialCard,
  out: string,
  qr: string | undefined,
): Promise<{ index: number }> {
  await writeSecretJson(s.dir.registry, after);
  try {
    await writeCard(card, out, qr);
    return await s.submit(entry);
  } catch (e) {
    await removeFile(out);
    if (qr !== undefined) await removeFile(qr);
    await writeSecretJson(s.dir.registry, before);
    throw e;
  }
}

/** `acta registry revoke`. */
export async function revokeCard(
  dir: WorkDir,
  o: { card: string; reason: string; quiet: boolean },
): Promise<RevokeReport> {
  const reason = reasonSchema.safeParse(o.reason);
  if (!reason.success) {
    throw usage('--reason must be 1–200 characters of text, trimmed, without control characters');
  }
  const { value, board } = await withBoard(dir, { quiet: o.quiet }, async (s) => {
    const card = await readCardFile(o.card, s.state);
    const registry = await loadRegistry(s);
    const registered = s.state.credentials.get(card.publicKey);
    // The rules would take this revocation and take the voter off the mesa's
    // register, leaving more check-ins than registrations: an acta that can
    // never be signed. A voter who checked in keeps their registration.
    if (registered?.checkedIn !== undefined && !registered.revoked) {
      throw refusal(
        'ALREADY_CHECKED_IN',
        'card.publicKey',
        `the holder of this card already checked in (entry ${registered.checkedIn.index}): it can no longer be revoked`,
      );
    }
    const entry = createSignedEntry(
      'revocation',
      s.now(),
      { credentialKey: card.publicKey, reason: reason.data },
      registry.key,
    );
    const receipt = await s.submit(entry);
    return {
      mesa: card.mesa,
      serial: card.serial,
      credentialKey: card.publicKey,
      index: receipt.index,
    };
  });
  return { ...value, board };
}

/** `acta registry reissue`. */
export async function reissueCard(
  dir: WorkDir,
  o: { card: string; nationalId: string; out?: string; quiet: boolean },
): Promise<CardReport> {
  checkOutputs(o.out, undefined);
  const { value, board } = await withBoard(dir, { quiet: o.quiet }, async (s) => {
    const old = await readCardFile(o.card, s.state);
    const registry = await loadRegistry(s);
    const registered = s.state.credentials.get(old.publicKey);
    if (registered === undefined) {
      throw refusal('UNKNOWN_CREDENTIAL', 'card.publicKey', 'the board never registered this card');
    }
    // The national id must open the card's identity commitment.
    const commitment = computeIdentityCommitment({
      electionId: s.election.id,
      nationalId: o.nationalId,
      salt: old.identitySalt(),
    });
    if (!commitment.ok) throw usage(`--national-id: ${commitment.error.message}`);
    const expected = decodeHex(registered.identityCommitment, 'identityCommitment', 32);
    if (!expected.ok || !bytesEqual(commitment.value, expected.value)) {
      throw usage('--national-id does not match the identity this card was registered for');
    }
    // One live credential per person: the rules check the serial against the
    // superseded key only, so a second reissue of the same old card is refused here.
    for (const c of s.state.credentials.values()) {
      if (c.identityCommitment === registered.identityCommitment && c.serial > old.serial) {
        throw refusal(
          'BAD_REISSUE',
          'card.serial',
          `this card was already reissued (serial ${c.serial} exists): reissue the newest card`,
        );
      }
    }
    const card = new CredentialCard({
      electionId: s.election.id,
      manifestHash: encodeHex(s.election.manifestHash),
      mesa: registered.mesa,
      serial: old.serial + 1,
      secretKey: generateSigningKeyPair().secretKey,
      identitySalt: old.identitySalt(),
      nationalIdHint: hintOf(o.nationalId),
    });
    const out = o.out ?? defaultCardPath(dir, card);
    const entry = createSignedEntry(
      'registration',
      s.now(),
      {
        mesa: card.mesa,
        serial: card.serial,
        credentialKey: card.publicKey,
        identityCommitment: registered.identityCommitment,
        supersedes: old.publicKey,
      },
      registry.key,
    );
    const table: RegistryFile = {
      ...registry.file,
      voters: {
        ...registry.file.voters,
        [o.nationalId]: {
          mesa: card.mesa,
          serial: card.serial,
          credentialKey: card.publicKey,
          identitySalt: encodeHex(old.identitySalt()),
        },
      },
    };
    const receipt = await submitWithFiles(s, entry, registry.file, table, card, out, undefined);
    return {
      mesa: card.mesa,
      serial: card.serial,
      credentialKey: card.publicKey,
      identityCommitment: registered.identityCommitment,
      nationalIdHint: card.nationalIdHint ?? '',
      card: out,
      qr: null,
      supersedes: old.publicKey,
      index: receipt.index,
    };
  });
  return { ...value, board };
}
