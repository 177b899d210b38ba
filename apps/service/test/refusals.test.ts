// Every refusal of the election service (issue #4, "Behaviour under bad
// input"; the rules are docs/spec.md §2.9 and the header of
// libs/protocol/src/state.ts). Each bad entry is built the way an attacker
// or a faulty party would — signed with the right keys so that it breaks
// exactly one rule — and submitted through `ElectionService.submit`. For each
// one the test checks the exact code and location, that nothing already on
// the board was lost or altered (sizes, every stored byte and leaf hash, the
// state machine's counters), that a refused check-in, ballot, acta or
// decryption left exactly one signed `refusal` entry naming it, and that the
// election still goes on afterwards.
//
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hashLeaf } from '@acta/board';
import {
  Scalar,
  createSeededRng,
  encodeHex,
  generateSigningKeyPair,
  utf8,
  type SigningSecretKey,
} from '@acta/crypto';
import {
  MAX_ENTRY_BYTES,
  buildDemoManifest,
  computeBaseHash,
  createSignedEntry,
  encodeEntry,
  hashManifest,
  issueCredential,
  parseEntryLine,
  serializeEntry,
  signCheckInChallenge,
  PollBook,
  type CredentialCard,
  type Entry,
} from '@acta/protocol';
import {
  buildBallot,
  buildCheckin,
  castBallot,
  cardsOf,
  checkIn,
  closeBoards,
  closeMesa,
  expectAccepted,
  expectRefused,
  firstCardVotes,
  freshKey,
  loadExample,
  mesaChoices,
  mesaIds,
  mesaState,
  openElection,
  openEmptyBoard,
  removeBoards,
  resign,
  takeSnapshot,
  tamperBallot,
  voteAt,
  type Election,
} from './refusal-helpers.js';
import { simulateElection } from '../src/index.js';

afterEach(closeBoards);
afterAll(removeBoards);

/** The JSON of one encrypted selection, as tests edit it. */
interface SelectionJson {
  ciphertext: { alpha: string; beta: string };
  proof: { commitments: unknown[]; challenges: string[]; responses: string[] };
}
interface ContestJson {
  selections: SelectionJson[];
  limitProof: { commitments: unknown[]; challenges: string[]; responses: string[] };
}

/** The encrypted JSON of contest `c` of a ballot body being edited. */
function contestOf(body: { contests: { encrypted: unknown }[] }, c = 0): ContestJson {
  return body.contests[c]!.encrypted as ContestJson;
}

/** A different valid scalar (hex): `hex` + 1 mod the group order. */
function bumpScalar(hex: string): string {
  const s = Scalar.decodeHex(hex);
  if (!s.ok) throw new Error('not a scalar');
  return s.value.add(Scalar.ONE).toHex();
}

/** A deterministic signing key for a label (tests that have no election's rng). */
function freshKeyFor(label: string): SigningSecretKey {
  return generateSigningKeyPair(createSeededRng(`refusals-key/${label}`)).secretKey;
}

/** The first mesa that has at least `count` registered cards not checked in. */
function mesaWithCards(e: Election, count: number, style?: string): string {
  for (const id of mesaIds(e)) {
    if (style !== undefined && mesaState(e, id).style !== style) continue;
    try {
      cardsOf(e, id, count);
      return id;
    } catch {
      continue;
    }
  }
  throw new Error(`no mesa with ${count} fresh cards`);
}

/** A credential card the registry of this election never registered. */
function unregisteredCard(e: Election, electionId: string, mesa: string): CredentialCard {
  const issued = issueCredential({
    electionId,
    manifestHash: hashManifest(e.manifest),
    mesa,
    nationalId: 'V-99999999',
    serial: 1,
    rng: e.rng,
  });
  if (!issued.ok) throw new Error(issued.error.message);
  return issued.value.card;
}

describe('1. check-in at an unknown mesa', () => {
  it('refuses a well-formed mesa id the manifest does not define (UNKNOWN_MESA)', async () => {
    const e = await openElection({ seed: 'unknown-mesa', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const card = cardsOf(e, mesa)[0]!;
    const pollBook = e.parties.pollBooks.get(mesa)!;
    const pollBookKey = pollBook.pollWorkerKey.publicKey().toHex();
    const ghost = '999999999.99';
    expect(e.service.state.mesas.has(ghost)).toBe(false);
    const nonce = pollBook.challenge(e.rng);
    const entry = createSignedEntry(
      'checkin',
      e.service.now(),
      {
        mesa: ghost,
        credentialKey: card.publicKey,
        nonce,
        voterSignature: signCheckInChallenge(card, {
          electionId: e.electionId,
          mesa: ghost,
          nonce,
          pollBookKey,
        }),
        pollWorkerKey: pollBookKey,
      },
      pollBook.pollWorkerKey,
    );
    await expectRefused(e, entry, {
      code: 'UNKNOWN_MESA',
      where: '.body.mesa',
      recorded: { operation: 'checkin', mesa: ghost, subject: card.publicKey },
    });
    // The same voter still checks in at their own mesa, and votes.
    await checkIn(e, card);
    await castBallot(e, mesa);
  });
});

describe('2. check-in with a revoked credential', () => {
  it('refuses a card the registry revoked (REVOKED_CREDENTIAL)', async () => {
    const e = await openElection({ seed: 'revoked', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    const [card, other] = cardsOf(e, mesa, 2) as [CredentialCard, CredentialCard];
    const registered = mesaState(e, mesa).registered;
    await expectAccepted(
      e,
      createSignedEntry(
        'revocation',
        e.service.now(),
        { credentialKey: card.publicKey, reason: 'card reported stolen' },
        e.parties.registryKey,
      ),
    );
    expect(mesaState(e, mesa).registered).toBe(registered - 1);
    await expectRefused(e, buildCheckin(e, card), {
      code: 'REVOKED_CREDENTIAL',
      where: '.body.credentialKey',
      recorded: { operation: 'checkin', mesa, subject: card.publicKey },
    });
    await checkIn(e, other);
    await castBallot(e, mesa);
  });
});

describe('3. check-in with a foreign credential', () => {
  it('refuses a card issued for another election (UNKNOWN_CREDENTIAL)', async () => {
    const e = await openElection({ seed: 'foreign', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const foreign = unregisteredCard(e, 'another-election-2030', mesa);
    await expectRefused(e, buildCheckin(e, foreign, mesa), {
      code: 'UNKNOWN_CREDENTIAL',
      where: '.body.credentialKey',
      recorded: { operation: 'checkin', mesa, subject: foreign.publicKey },
    });
    await voteAt(e, mesa);
  });

  it('refuses a card of this election the registry never registered (UNKNOWN_CREDENTIAL)', async () => {
    const e = await openElection({ seed: 'unregistered', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const ghost = unregisteredCard(e, e.electionId, mesa);
    expect(e.service.state.credentials.has(ghost.publicKey)).toBe(false);
    await expectRefused(e, buildCheckin(e, ghost, mesa), {
      code: 'UNKNOWN_CREDENTIAL',
      where: '.body.credentialKey',
      recorded: { operation: 'checkin', mesa, subject: ghost.publicKey },
    });
    await voteAt(e, mesa);
  });

  it('refuses a registered card at a mesa that is not its own (WRONG_MESA)', async () => {
    const e = await openElection({ seed: 'wrong-mesa', stopAfter: 'registry' });
    const home = mesaWithCards(e, 1);
    const away = mesaIds(e).find((id) => id !== home)!;
    const card = cardsOf(e, home)[0]!;
    await expectRefused(e, buildCheckin(e, card, away), {
      code: 'WRONG_MESA',
      where: '.body.mesa',
      recorded: { operation: 'checkin', mesa: away, subject: card.publicKey },
    });
    // The card was not used up: it checks in at home.
    await checkIn(e, card);
    await castBallot(e, home);
  });
});

describe('4. a second check-in of the same card', () => {
  it('refuses it at the same mesa (ALREADY_CHECKED_IN), and the store refuses it on its own (CLAIM_TAKEN)', async () => {
    const e = await openElection({ seed: 'twice', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    const [card, other] = cardsOf(e, mesa, 2) as [CredentialCard, CredentialCard];
    const first = await checkIn(e, card);
    const again = buildCheckin(e, card);
    await expectRefused(e, again, {
      code: 'ALREADY_CHECKED_IN',
      where: '.body.credentialKey',
      recorded: { operation: 'checkin', mesa, subject: card.publicKey },
    });

    // Bypassing the state machine: the store's unique claim (as service.ts
    // builds it) still allows one check-in per credential per election.
    const before = await takeSnapshot(e.store, e.service);
    const appended = await e.store.append([
      {
        kind: 'checkin',
        payload: utf8(serializeEntry(again)),
        leafHash: hashLeaf(encodeEntry(again)),
        keys: [
          { name: 'mesa', value: mesa },
          { name: 'credential', value: card.publicKey },
        ],
        claims: [{ scope: `checkin/${e.electionId}`, key: card.publicKey }],
      },
    ]);
    expect(appended.ok).toBe(false);
    if (appended.ok) throw new Error('unreachable');
    expect(appended.error.code).toBe('CLAIM_TAKEN');
    expect(appended.error.holder).toBe(first.index);
    expect(await takeSnapshot(e.store, e.service)).toEqual(before);
    expect(await e.store.findClaim(`checkin/${e.electionId}`, card.publicKey)).toBe(first.index);
    expect(await e.store.findByKey('credential', card.publicKey, 'checkin')).toHaveLength(1);

    // The voter who checked in votes; the next voter checks in and votes.
    await castBallot(e, mesa);
    await checkIn(e, other);
    await castBallot(e, mesa);
  });

  it('lets exactly one of two simultaneous check-ins of one card through', async () => {
    const e = await openElection({ seed: 'race', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const card = cardsOf(e, mesa)[0]!;
    const n = await e.store.size();
    const results = await Promise.all([
      e.service.submit(buildCheckin(e, card)),
      e.service.submit(buildCheckin(e, card)),
    ]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    const refused = results.find((r) => !r.ok);
    expect(refused !== undefined && !refused.ok && refused.error.code).toBe('ALREADY_CHECKED_IN');
    // One check-in and one refusal, nothing else.
    expect(await e.store.size()).toBe(n + 2);
    expect(await e.store.findByKey('credential', card.publicKey, 'checkin')).toHaveLength(1);
    expect(mesaState(e, mesa).checkedIn).toBe(1);
    await castBallot(e, mesa);
  });

  // ALREADY_CHECKED_IN is checked before the mesa: a double-vote attempt at
  // another mesa shows as what it is.
  it('refuses it at another mesa with ALREADY_CHECKED_IN', async () => {
    const e = await openElection({ seed: 'twice-away', stopAfter: 'registry' });
    const home = mesaWithCards(e, 1);
    const away = mesaIds(e).find((id) => id !== home)!;
    const card = cardsOf(e, home)[0]!;
    await checkIn(e, card);
    await expectRefused(e, buildCheckin(e, card, away), {
      code: 'ALREADY_CHECKED_IN',
      where: '.body.credentialKey',
      recorded: { operation: 'checkin', mesa: away, subject: card.publicKey },
    });
  });
});

describe('5. check-ins with the wrong signatures', () => {
  it('refuses a countersignature by a key that is not a poll worker of the mesa (UNKNOWN_POLL_WORKER)', async () => {
    const e = await openElection({ seed: 'poll-worker', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const other = mesaIds(e).find((id) => id !== mesa)!;
    const card = cardsOf(e, mesa)[0]!;
    // A stranger's poll book, then the poll worker of another mesa.
    const stranger = new PollBook(mesa, freshKey(e));
    const neighbour = new PollBook(mesa, e.parties.pollBooks.get(other)!.pollWorkerKey);
    for (const book of [stranger, neighbour]) {
      const entry = book.checkin(e.service.now(), e.electionId, card, book.challenge(e.rng));
      await expectRefused(e, entry, {
        code: 'UNKNOWN_POLL_WORKER',
        where: '.body.pollWorkerKey',
        recorded: { operation: 'checkin', mesa, subject: card.publicKey },
      });
    }
    await checkIn(e, card);
    await castBallot(e, mesa);
  });

  it('refuses a voter signature made by another card (SIGNATURE_INVALID)', async () => {
    const e = await openElection({ seed: 'voter-signature', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    const [victim, impostor] = cardsOf(e, mesa, 2) as [CredentialCard, CredentialCard];
    const pollBook = e.parties.pollBooks.get(mesa)!;
    const pollBookKey = pollBook.pollWorkerKey.publicKey().toHex();
    const nonce = pollBook.challenge(e.rng);
    // The impostor's card answers the challenge for the victim's credential;
    // the real poll worker countersigns.
    const entry = createSignedEntry(
      'checkin',
      e.service.now(),
      {
        mesa,
        credentialKey: victim.publicKey,
        nonce,
        voterSignature: signCheckInChallenge(impostor, {
          electionId: e.electionId,
          mesa,
          nonce,
          pollBookKey,
        }),
        pollWorkerKey: pollBookKey,
      },
      pollBook.pollWorkerKey,
    );
    await expectRefused(e, entry, {
      code: 'SIGNATURE_INVALID',
      where: '.body.voterSignature',
      recorded: { operation: 'checkin', mesa, subject: victim.publicKey },
    });
    // Neither card was used up.
    await checkIn(e, victim);
    await castBallot(e, mesa);
    await checkIn(e, impostor);
    await castBallot(e, mesa);
  });

  it("refuses a check-in naming the mesa's poll worker but signed by another key (SIGNATURE_INVALID)", async () => {
    const e = await openElection({ seed: 'poll-signature', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const card = cardsOf(e, mesa)[0]!;
    const forged = resign(buildCheckin(e, card), e.parties.devices.get(mesa)!.key);
    await expectRefused(e, forged, {
      code: 'SIGNATURE_INVALID',
      where: '.body.signature',
      recorded: { operation: 'checkin', mesa, subject: card.publicKey },
    });
    await checkIn(e, card);
    await castBallot(e, mesa);
  });
});

describe('6. a reissued card', () => {
  it('refuses the superseded card (REVOKED_CREDENTIAL) and accepts the new one', async () => {
    const e = await openElection({ seed: 'reissue', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const old = cardsOf(e, mesa)[0]!;
    const record = e.service.state.credentials.get(old.publicKey)!;
    const registered = mesaState(e, mesa).registered;
    const issued = issueCredential({
      electionId: e.electionId,
      manifestHash: hashManifest(e.manifest),
      mesa,
      nationalId: 'V-10000000',
      serial: record.serial + 1,
      rng: e.rng,
    });
    if (!issued.ok) throw new Error(issued.error.message);
    const renewed = issued.value.card;
    await expectAccepted(
      e,
      createSignedEntry(
        'registration',
        e.service.now(),
        {
          mesa,
          serial: record.serial + 1,
          credentialKey: renewed.publicKey,
          // The registry keeps the voter's identity commitment across cards.
          identityCommitment: record.identityCommitment,
          supersedes: old.publicKey,
        },
        e.parties.registryKey,
      ),
    );
    expect(e.service.state.credentials.get(old.publicKey)!.revoked).toBe(true);
    expect(mesaState(e, mesa).registered).toBe(registered);

    await expectRefused(e, buildCheckin(e, old), {
      code: 'REVOKED_CREDENTIAL',
      where: '.body.credentialKey',
      recorded: { operation: 'checkin', mesa, subject: old.publicKey },
    });
    await checkIn(e, renewed);
    await castBallot(e, mesa);
  });
});

describe('7. ballots for the wrong contests or style (municipal example, two styles)', () => {
  it('refuses a foreign contest (WRONG_CONTESTS) and a foreign style (WRONG_STYLE)', async () => {
    const municipal = loadExample('municipal');
    expect(municipal.ballotStyles.map((s) => s.id)).toEqual(['sucre', 'sucre-petare']);
    const e = await openElection({
      manifest: municipal,
      voters: 30,
      seed: 'styles',
      stopAfter: 'registry',
    });
    const mesa = mesaWithCards(e, 2, 'sucre');
    const petare = mesaIds(e).find((id) => mesaState(e, id).style === 'sucre-petare')!;
    const petareChoices = mesaChoices(mesaState(e, petare));
    const sucreChoices = mesaChoices(mesaState(e, mesa));
    expect(petareChoices.map((c) => c.contest)).toEqual([
      'mayor',
      'council',
      'referendum-parks',
      'petare-parish-board',
    ]);
    await checkIn(e, cardsOf(e, mesa)[0]!);
    const recorded = { operation: 'ballot', mesa } as const;

    // The other style's ballot, honestly labelled: the mesa votes 'sucre'.
    await expectRefused(
      e,
      buildBallot(e, { mesa, style: 'sucre-petare', choices: petareChoices }),
      { code: 'WRONG_STYLE', where: '.body.style', recorded },
    );
    // Labelled 'sucre' but carrying the petare parish board as a 4th contest.
    await expectRefused(e, buildBallot(e, { mesa, choices: petareChoices }), {
      code: 'WRONG_CONTESTS',
      where: '.body.contests',
      recorded,
    });
    // Three contests, the last one not the style's.
    await expectRefused(
      e,
      buildBallot(e, {
        mesa,
        choices: [sucreChoices[0]!, sucreChoices[1]!, petareChoices[3]!],
      }),
      { code: 'WRONG_CONTESTS', where: '.body.contests[2].contest', recorded },
    );
    // The style's contests in another order.
    await expectRefused(
      e,
      buildBallot(e, { mesa, choices: [sucreChoices[1]!, sucreChoices[0]!, sucreChoices[2]!] }),
      { code: 'WRONG_CONTESTS', where: '.body.contests[0].contest', recorded },
    );
    // The right contest with one selection more than it has cards.
    const mayor = sucreChoices[0]!;
    await expectRefused(
      e,
      buildBallot(e, {
        mesa,
        choices: [{ ...mayor, votes: [...mayor.votes, 0] }, sucreChoices[1]!, sucreChoices[2]!],
      }),
      { code: 'WRONG_CONTESTS', where: '.body.contests[0].encrypted.selections', recorded },
    );

    await castBallot(e, mesa);
    expect(mesaState(e, mesa).cast).toBe(1);
  });
});

describe('8. malformed and oversized ballots', () => {
  async function election(seed: string): Promise<{ e: Election; mesa: string; good: Entry }> {
    const e = await openElection({ seed, stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    await checkIn(e, cardsOf(e, mesa)[0]!);
    return { e, mesa, good: buildBallot(e, { mesa }) };
  }

  it('refuses encrypted contests that do not decode (MALFORMED_BALLOT)', async () => {
    const { e, mesa, good } = await election('malformed');
    const recorded = { operation: 'ballot', mesa } as const;
    const notAContest = tamperBallot(e, good, (b) => {
      b.contests[0]!.encrypted = { selections: 'none', limitProof: {} };
    });
    await expectRefused(e, notAContest, {
      code: 'MALFORMED_BALLOT',
      where: '.body.contests[0].encrypted',
      wherePrefix: true,
      recorded,
    });
    // 0xff…ff is not the encoding of a ristretto255 element (RFC 9496 §4.3.1).
    const badPoint = tamperBallot(e, good, (b) => {
      contestOf(b).selections[0]!.ciphertext.alpha = 'ff'.repeat(32);
    });
    await expectRefused(e, badPoint, {
      code: 'MALFORMED_BALLOT',
      where: '.body.contests[0].encrypted.selections[0].ciphertext',
      wherePrefix: true,
      recorded,
    });
    // The identity is a valid encoding, but no honest encryption has it.
    const identity = tamperBallot(e, good, (b) => {
      contestOf(b).selections[2]!.ciphertext.alpha = '00'.repeat(32);
    });
    await expectRefused(e, identity, {
      code: 'MALFORMED_BALLOT',
      where: '.body.contests[0].encrypted.selections[2].ciphertext',
      recorded,
    });
    await expectAccepted(e, good);
  });

  it('refuses too many contests or selections at the boundary (MALFORMED_ENTRY, MALFORMED_BALLOT)', async () => {
    const { e, mesa, good } = await election('too-many');
    if (good.type !== 'ballot') throw new Error('not a ballot');
    // 101 contests: over the schema's bound, refused by parseEntryLine before
    // anything is decoded (so never submitted).
    const crowded = resign(good, e.parties.devices.get(mesa)!.key, (b) => {
      const c = good.body.contests[0]!.encrypted as ContestJson;
      const small = { selections: c.selections.slice(0, 1), limitProof: c.limitProof };
      b['contests'] = Array.from({ length: 101 }, () => ({
        contest: 'president',
        encrypted: small,
      }));
    });
    expect(serializeEntry(crowded).length).toBeLessThan(MAX_ENTRY_BYTES);
    const parsed = parseEntryLine(serializeEntry(crowded), 'submission');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('MALFORMED_ENTRY');
      expect(parsed.error.where).toBe('submission.body.contests');
    }
    // 1,001 selections in one contest: within the entry schema (the contest is
    // opaque there), refused when the contest is decoded, before any proof.
    const wide = tamperBallot(e, good, (b) => {
      const c = contestOf(b);
      c.selections = Array.from({ length: 1001 }, (_, i) => c.selections[i % c.selections.length]!);
    });
    const line = serializeEntry(wide);
    expect(line.length).toBeLessThan(MAX_ENTRY_BYTES);
    const wideParsed = parseEntryLine(line, 'submission');
    if (!wideParsed.ok) throw new Error(wideParsed.error.message);
    await expectRefused(e, wideParsed.value, {
      code: 'MALFORMED_BALLOT',
      where: '.body.contests[0].encrypted.selections',
      recorded: { operation: 'ballot', mesa },
    });
    await expectAccepted(e, good);
  });

  it('refuses a ballot line over MAX_ENTRY_BYTES before parsing it (ENTRY_TOO_LARGE)', async () => {
    const { e, good } = await election('oversized');
    const huge = tamperBallot(e, good, (b) => {
      const c = contestOf(b);
      c.selections = Array.from({ length: 2000 }, (_, i) => c.selections[i % c.selections.length]!);
    });
    const line = serializeEntry(huge);
    expect(line.length).toBeGreaterThan(MAX_ENTRY_BYTES);
    const parsed = parseEntryLine(line, 'submission');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('ENTRY_TOO_LARGE');
      expect(parsed.error.where).toBe('submission');
    }
    // A line of exactly MAX_ENTRY_BYTES is read (and refused for what it is, not its size).
    const padded = `${' '.repeat(MAX_ENTRY_BYTES - 2)}{}`;
    expect(padded.length).toBe(MAX_ENTRY_BYTES);
    const underLimit = parseEntryLine(padded, 'submission');
    expect(!underLimit.ok && underLimit.error.code).toBe('MALFORMED_ENTRY');
    await expectAccepted(e, good);
  });

  // MAX_ENTRY_BYTES is a number of UTF-8 bytes, not of characters.
  it('measures a line in UTF-8 bytes, not in characters (ENTRY_TOO_LARGE)', () => {
    const line = JSON.stringify('é'.repeat(600_000));
    expect(line.length).toBeLessThan(MAX_ENTRY_BYTES);
    expect(Buffer.byteLength(line, 'utf8')).toBeGreaterThan(MAX_ENTRY_BYTES);
    const parsed = parseEntryLine(line, 'submission');
    expect(!parsed.ok && parsed.error.code).toBe('ENTRY_TOO_LARGE');
  });

  // The service parses what it is given as it would a line from a record:
  // an oversized entry is refused before the rules see it, nothing changes,
  // and the service goes on. The `election` entry alone may be larger (it
  // carries the whole manifest; a national geography of 30,026 mesas is 2.3 MB).
  it('refuses an oversized entry, keeps working, and takes an election entry over 1 MiB', async () => {
    const board = await openEmptyBoard();
    const registryKey = freshKeyFor('oversized-election');
    const trustees = [1, 2, 3].map((index) => ({
      index,
      name: `Trustee ${index}`,
      key: freshKeyFor(`trustee-${index}`).publicKey().toHex(),
    }));
    const electionEntry = (mesas: number): Entry => {
      const manifest = buildDemoManifest(loadExample('national-ve2024'), { mesas, seed: 'big' });
      const manifestHash = hashManifest(manifest);
      const common = {
        authorityKey: board.service.authorityKey,
        registryKey: registryKey.publicKey().toHex(),
        quorum: 2,
        trustees,
      };
      return board.service.authority.sign('election', board.service.now(), {
        manifest,
        manifestHash: encodeHex(manifestHash),
        ...common,
        baseHash: encodeHex(computeBaseHash({ manifestHash, ...common })),
      });
    };
    const large = electionEntry(14_000);
    expect(Buffer.byteLength(serializeEntry(large), 'utf8')).toBeGreaterThan(MAX_ENTRY_BYTES);
    await expectAccepted(board, large);
    const oversized = board.service.authority.sign('witness', board.service.now(), {
      name: 'w'.repeat(MAX_ENTRY_BYTES),
      key: freshKeyFor('witness').publicKey().toHex(),
    });
    await expectRefused(board, oversized, {
      code: 'ENTRY_TOO_LARGE',
      where: '',
      wherePrefix: true,
    });
    const witness = board.service.authority.sign('witness', board.service.now(), {
      name: 'Witness',
      key: freshKeyFor('witness').publicKey().toHex(),
    });
    await expectAccepted(board, witness);
  });
});

describe('9. ballots whose proofs fail', () => {
  it('refuses an altered ciphertext or response, re-signed by the device (BALLOT_PROOF)', async () => {
    const e = await openElection({ seed: 'proofs', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    await checkIn(e, cardsOf(e, mesa)[0]!);
    const good = buildBallot(e, { mesa });
    const recorded = { operation: 'ballot', mesa } as const;
    const where = '.body.contests[0].encrypted';

    // Selection 0 gets selection 1's ciphertext: a valid encryption of a 0 or
    // 1, but not the one its proof is about.
    const swapped = tamperBallot(e, good, (b) => {
      const s = contestOf(b).selections;
      s[0]!.ciphertext = { ...s[1]!.ciphertext };
    });
    // One response of a selection proof; one response of the limit proof.
    const response = tamperBallot(e, good, (b) => {
      const p = contestOf(b).selections[5]!.proof;
      p.responses[0] = bumpScalar(p.responses[0]!);
    });
    const limit = tamperBallot(e, good, (b) => {
      const p = contestOf(b).limitProof;
      p.responses[0] = bumpScalar(p.responses[0]!);
    });
    for (const [bad, field] of [
      [swapped, '.selections[0]'],
      [response, '.selections[5]'],
      [limit, '.limitProof'],
    ] as const) {
      await expectRefused(e, bad, {
        code: 'BALLOT_PROOF',
        where: `${where}${field}`,
        wherePrefix: true,
        recorded,
      });
    }
    await expectAccepted(e, good);
    expect(mesaState(e, mesa).cast).toBe(1);
  });
});

describe('10. ballots that break the chain, or come without a check-in', () => {
  it('refuses a wrong sequence, previous code or tracking code (CHAIN_BROKEN)', async () => {
    const e = await openElection({ seed: 'chain', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    const [first, second] = cardsOf(e, mesa, 2) as [CredentialCard, CredentialCard];
    await checkIn(e, first);
    await castBallot(e, mesa);
    await checkIn(e, second);
    const m = mesaState(e, mesa);
    const recorded = { operation: 'ballot', mesa } as const;
    await expectRefused(e, buildBallot(e, { mesa, sequence: m.sequence + 1 }), {
      code: 'CHAIN_BROKEN',
      where: '.body.sequence',
      recorded,
    });
    await expectRefused(e, buildBallot(e, { mesa, sequence: m.sequence - 1 }), {
      code: 'CHAIN_BROKEN',
      where: '.body.sequence',
      recorded,
    });
    await expectRefused(
      e,
      buildBallot(e, { mesa, previousCode: encodeHex(e.rng.randomBytes(32)) }),
      {
        code: 'CHAIN_BROKEN',
        where: '.body.previousCode',
        recorded,
      },
    );
    const good = buildBallot(e, { mesa });
    const wrongCode = resign(good, e.parties.devices.get(mesa)!.key, (b) => {
      b['trackingCode'] = encodeHex(e.rng.randomBytes(32));
    });
    await expectRefused(e, wrongCode, {
      code: 'CHAIN_BROKEN',
      where: '.body.trackingCode',
      recorded,
    });
    await expectAccepted(e, good);
  });

  it('refuses a cast ballot without a check-in (NO_CHECKIN)', async () => {
    const e = await openElection({ seed: 'no-checkin', mesas: 2, voters: 12, stopAfter: 'voting' });
    const mesa = mesaWithCards(e, 1);
    const m = mesaState(e, mesa);
    expect(m.cast).toBeGreaterThan(0);
    expect(m.cast).toBe(m.checkedIn);
    const device = e.parties.devices.get(mesa)!;
    const ballot = device.ballot(
      e.service.now(),
      e.service.state,
      firstCardVotes(m),
      'cast',
      e.rng,
    );
    await expectRefused(e, ballot.entry, {
      code: 'NO_CHECKIN',
      where: '.body',
      recorded: { operation: 'ballot', mesa },
    });
    device.reject();
    // A spoiled ballot needs no check-in; a cast one after a check-in goes in.
    await castBallot(e, mesa, 'spoiled');
    await checkIn(e, cardsOf(e, mesa)[0]!);
    await castBallot(e, mesa);
  });
});

describe('11. a cast after the mesa closed', () => {
  it('refuses ballots, check-ins and a second acta at a closed mesa (MESA_CLOSED)', async () => {
    const e = await openElection({ seed: 'closed', voters: 30, stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 3);
    const open = mesaIds(e).find((id) => id !== mesa && cardsOf(e, id).length > 0)!;
    const [voter, late, lateCard] = cardsOf(e, mesa, 3) as [
      CredentialCard,
      CredentialCard,
      CredentialCard,
    ];
    await checkIn(e, voter);
    await castBallot(e, mesa);
    await checkIn(e, late);
    const device = e.parties.devices.get(mesa)!;
    const m = mesaState(e, mesa);
    const acta = await closeMesa(e, mesa);
    const recorded = { operation: 'ballot', mesa } as const;

    // The voter who checked in before the close comes too late.
    const ballot = device.ballot(
      e.service.now(),
      e.service.state,
      firstCardVotes(m),
      'cast',
      e.rng,
    );
    await expectRefused(e, ballot.entry, { code: 'MESA_CLOSED', where: '.body.mesa', recorded });
    device.reject();
    await expectRefused(e, buildCheckin(e, lateCard), {
      code: 'MESA_CLOSED',
      where: '.body.mesa',
      recorded: { operation: 'checkin', mesa, subject: lateCard.publicKey },
    });
    const again = device.close(e.service.now(), e.service.state, {
      registered: m.registered,
      checkedIn: m.checkedIn,
    });
    await expectRefused(e, again, {
      code: 'MESA_CLOSED',
      where: '.body.mesa',
      recorded: { operation: 'acta', mesa },
    });
    // A registration at the closed mesa: refused, not recorded (not a voter's act).
    const newcomer = unregisteredCard(e, e.electionId, mesa);
    await expectRefused(
      e,
      createSignedEntry(
        'registration',
        e.service.now(),
        {
          mesa,
          serial: 1,
          credentialKey: newcomer.publicKey,
          identityCommitment: encodeHex(e.rng.randomBytes(32)),
        },
        e.parties.registryKey,
      ),
      { code: 'MESA_CLOSED', where: '.body.mesa' },
    );

    // The closed mesa's acta is co-signed; the other mesas vote on.
    const leaf = encodeHex(hashLeaf(encodeEntry(acta)));
    const witness = e.parties.witnesses[0]!;
    await expectAccepted(
      e,
      createSignedEntry(
        'acta-cosign',
        e.service.now(),
        { mesa, acta: leaf, witnessKey: witness.publicKey().toHex() },
        witness,
      ),
    );
    await voteAt(e, open);
  });

  // A closed mesa's acta fixed its registered count: nothing may change it.
  it('refuses a revocation that would change a closed mesa (MESA_CLOSED)', async () => {
    const e = await openElection({ seed: 'closed-revoke', voters: 30, stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    const [voter, absent] = cardsOf(e, mesa, 2) as [CredentialCard, CredentialCard];
    await checkIn(e, voter);
    await castBallot(e, mesa);
    await closeMesa(e, mesa);
    await expectRefused(
      e,
      createSignedEntry(
        'revocation',
        e.service.now(),
        { credentialKey: absent.publicKey, reason: 'revoked after the close' },
        e.parties.registryKey,
      ),
      { code: 'MESA_CLOSED', where: '.body.credentialKey' },
    );
  });
});

describe('12. a spoiled ballot whose opening is wrong', () => {
  it('refuses an opening that does not reproduce the ciphertexts (SPOIL_OPENING_MISMATCH)', async () => {
    const e = await openElection({ seed: 'spoil', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 1);
    const device = e.parties.devices.get(mesa)!;
    const m = mesaState(e, mesa);
    const spoiled = device.ballot(
      e.service.now(),
      e.service.state,
      firstCardVotes(m),
      'spoiled',
      e.rng,
    );
    const recorded = { operation: 'ballot', mesa } as const;
    // The device claims the voter marked card 1 instead of card 0...
    const lie = resign(spoiled.entry, device.key, (b) => {
      const o = (b['opening'] as { votes: number[] }[])[0]!;
      o.votes[0] = 0;
      o.votes[1] = 1;
    });
    await expectRefused(e, lie, {
      code: 'SPOIL_OPENING_MISMATCH',
      where: '.body.opening[0].votes[0]',
      recorded,
    });
    // ...or reveals another nonce for card 3.
    const wrongNonce = resign(spoiled.entry, device.key, (b) => {
      const o = (b['opening'] as { nonces: string[] }[])[0]!;
      o.nonces[3] = bumpScalar(o.nonces[3]!);
    });
    await expectRefused(e, wrongNonce, {
      code: 'SPOIL_OPENING_MISMATCH',
      where: '.body.opening[0].votes[3]',
      recorded,
    });
    await expectAccepted(e, spoiled.entry);
    device.accept();
    expect(mesaState(e, mesa).spoiled).toBe(1);
    await checkIn(e, cardsOf(e, mesa)[0]!);
    await castBallot(e, mesa);
  });
});

describe('13. a decryption share with a bad proof', () => {
  it('refuses an altered response, re-signed by the trustee (DECRYPTION_SHARE_INVALID)', async () => {
    const e = await openElection({ seed: 'decryption', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    await voteAt(e, mesa);
    await voteAt(e, mesa);
    await closeMesa(e, mesa);
    const m = mesaState(e, mesa);
    const [t1, t2] = e.parties.trustees as [
      (typeof e.parties.trustees)[number],
      (typeof e.parties.trustees)[number],
    ];
    const d1 = t1.decrypt(e.service.now(), e.service.state, m, e.rng);
    if (!d1.ok) throw new Error(d1.error.message);
    const recorded = { operation: 'decryption', mesa } as const;
    interface ShareJson {
      share: string;
      proof: { response: string };
    }
    const shareOf = (b: Record<string, unknown>, i: number): ShareJson =>
      (b['shares'] as { shares: ShareJson[] }[])[0]!.shares[i]!;

    const badResponse = resign(d1.value, t1.key, (b) => {
      const s = shareOf(b, 7);
      s.proof.response = bumpScalar(s.proof.response);
    });
    await expectRefused(e, badResponse, {
      code: 'DECRYPTION_SHARE_INVALID',
      where: '.body.shares[0].shares[7]',
      wherePrefix: true,
      recorded,
    });
    // A share moved to another card: a real share, with its real proof, of the wrong ciphertext.
    const moved = resign(d1.value, t1.key, (b) => {
      const s = (b['shares'] as { shares: unknown[] }[])[0]!.shares;
      [s[0], s[1]] = [s[1], s[0]];
    });
    await expectRefused(e, moved, {
      code: 'DECRYPTION_SHARE_INVALID',
      where: '.body.shares[0].shares[0]',
      wherePrefix: true,
      recorded,
    });

    await expectAccepted(e, d1.value);
    const d2 = t2.decrypt(e.service.now(), e.service.state, m, e.rng);
    if (!d2.ok) throw new Error(d2.error.message);
    await expectAccepted(e, d2.value);
    const result = e.service.authority.mesaResult(e.service.now(), e.service.state, m);
    if (!result.ok) throw new Error(result.error.message);
    await expectAccepted(e, result.value);
    expect(m.result?.counts[0]?.reduce((a, n) => a + n, 0)).toBe(m.cast);
  });
});

describe('14. actas with wrong counts or the wrong signer', () => {
  it('refuses wrong counts signed by the right device (ACTA_COUNT_MISMATCH) and a foreign signer (SIGNATURE_INVALID)', async () => {
    const e = await openElection({ seed: 'acta', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 3);
    const other = mesaIds(e).find((id) => id !== mesa)!;
    await voteAt(e, mesa);
    await voteAt(e, mesa);
    // A voter who checked in and walked away: checked in 3, cast 2.
    await checkIn(e, cardsOf(e, mesa)[0]!);
    const m = mesaState(e, mesa);
    const device = e.parties.devices.get(mesa)!;
    const honest = { registered: m.registered, checkedIn: m.checkedIn };
    const recorded = { operation: 'acta', mesa } as const;
    const close = (counts: typeof honest): Entry =>
      device.close(e.service.now(), e.service.state, counts);

    await expectRefused(e, close({ ...honest, registered: honest.registered + 1 }), {
      code: 'ACTA_COUNT_MISMATCH',
      where: '.body.counts.registered',
      recorded,
    });
    await expectRefused(e, close({ ...honest, checkedIn: honest.checkedIn - 1 }), {
      code: 'ACTA_COUNT_MISMATCH',
      where: '.body.counts.checkedIn',
      recorded,
    });
    const good = close(honest);
    // The honest acta, signed by a key not on the board, then by another mesa's device.
    for (const key of [freshKey(e), e.parties.devices.get(other)!.key]) {
      await expectRefused(e, resign(good, key), {
        code: 'SIGNATURE_INVALID',
        where: '.body.signature',
        recorded,
      });
    }
    await expectAccepted(e, good);
    expect(mesaState(e, mesa).acta).toBeDefined();
  });
});

describe('15. entries signed by the wrong key, or out of order', () => {
  it('refuses entries signed by a party other than the one their type requires (SIGNATURE_INVALID)', async () => {
    const e = await openElection({ seed: 'wrong-signer', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    const [card, voter] = cardsOf(e, mesa, 2) as [CredentialCard, CredentialCard];
    const authority = e.service.authority.key;
    const newcomer = unregisteredCard(e, e.electionId, mesa);
    // Registry entries signed by the authority: refused, not recorded.
    await expectRefused(
      e,
      createSignedEntry(
        'registration',
        e.service.now(),
        {
          mesa,
          serial: 1,
          credentialKey: newcomer.publicKey,
          identityCommitment: encodeHex(e.rng.randomBytes(32)),
        },
        authority,
      ),
      { code: 'SIGNATURE_INVALID', where: '.body.signature' },
    );
    await expectRefused(
      e,
      createSignedEntry(
        'revocation',
        e.service.now(),
        { credentialKey: card.publicKey, reason: 'the authority is not the registry' },
        authority,
      ),
      { code: 'SIGNATURE_INVALID', where: '.body.signature' },
    );
    // An authority entry signed by the registry.
    await expectRefused(
      e,
      createSignedEntry(
        'witness',
        e.service.now(),
        { name: 'Witness 3', key: freshKey(e).publicKey().toHex() },
        e.parties.registryKey,
      ),
      { code: 'SIGNATURE_INVALID', where: '.body.signature' },
    );
    // A ballot signed by the mesa's poll worker instead of its device: recorded.
    await checkIn(e, voter);
    await expectRefused(
      e,
      buildBallot(e, { mesa, key: e.parties.pollBooks.get(mesa)!.pollWorkerKey }),
      {
        code: 'SIGNATURE_INVALID',
        where: '.body.signature',
        recorded: { operation: 'ballot', mesa },
      },
    );
    await castBallot(e, mesa);
    await checkIn(e, card);
  });

  it('refuses anything before the election entry on an empty board (OUT_OF_ORDER), then takes the election', async () => {
    const board = await openEmptyBoard();
    const registry = freshKeyFor('registry-before-election');
    const registration = createSignedEntry(
      'registration',
      1_790_000_000_000,
      {
        mesa: '010101001.01',
        serial: 1,
        credentialKey: freshKeyFor('early-voter').publicKey().toHex(),
        identityCommitment: encodeHex(new Uint8Array(32).fill(7)),
      },
      registry,
    );
    // Not even a voter's check-in is recorded as a refusal: there is no
    // election (and no authority key) to record it under.
    const checkin = createSignedEntry(
      'checkin',
      1_790_000_000_000,
      {
        mesa: '010101001.01',
        credentialKey: freshKeyFor('early-voter').publicKey().toHex(),
        nonce: encodeHex(new Uint8Array(32).fill(1)),
        voterSignature: '00'.repeat(64),
        pollWorkerKey: freshKeyFor('early-worker').publicKey().toHex(),
      },
      freshKeyFor('early-worker'),
    );
    for (const early of [registration, checkin]) {
      await expectRefused(board, early, { code: 'OUT_OF_ORDER', where: '.type' });
      expect(await board.store.size()).toBe(0);
    }

    // The board is still empty and usable: a whole setup goes in, and a
    // second election entry is refused.
    await simulateElection(board.service, {
      manifest: buildDemoManifest(loadExample('national-ve2024'), { mesas: 2, seed: 'late' }),
      voters: 10,
      trustees: 3,
      quorum: 2,
      seed: 'late',
      deterministicCrypto: true,
      stopAfter: 'setup',
    });
    const first = await board.store.get(0);
    const parsed = parseEntryLine(new TextDecoder().decode(first!.payload));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.type).toBe('election');
    await expectRefused(board, parsed.value, { code: 'OUT_OF_ORDER', where: '.body' });
  });
});

describe('the checks themselves can fail', () => {
  it('catches a refusal recorded when none was expected, a wrong code, and an acceptance', async () => {
    const e = await openElection({ seed: 'meta', stopAfter: 'registry' });
    const mesa = mesaWithCards(e, 2);
    const [card, other] = cardsOf(e, mesa, 2) as [CredentialCard, CredentialCard];
    const away = mesaIds(e).find((id) => id !== mesa)!;
    // Refused and recorded: expecting no record must fail (the board grew).
    await expect(
      expectRefused(e, buildCheckin(e, card, away), { code: 'WRONG_MESA', where: '.body.mesa' }),
    ).rejects.toThrow();
    // The wrong code must fail.
    await expect(
      expectRefused(e, buildCheckin(e, card, away), {
        code: 'UNKNOWN_MESA',
        where: '.body.mesa',
        recorded: { operation: 'checkin', mesa: away, subject: card.publicKey },
      }),
    ).rejects.toThrow();
    // A good check-in is accepted, so expecting a refusal must fail; and the
    // board's digests move with it.
    const before = await takeSnapshot(e.store, e.service);
    await expect(
      expectRefused(e, buildCheckin(e, other), { code: 'WRONG_MESA', where: '.body.mesa' }),
    ).rejects.toThrow('must be refused');
    const after = await takeSnapshot(e.store, e.service);
    expect(after.leafDigest).not.toBe(before.leafDigest);
    expect(after.payloadDigest).not.toBe(before.payloadDigest);
    expect(after.state).not.toBe(before.state);
  });
});
