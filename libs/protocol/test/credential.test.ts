// Voter credentials (src/credential.ts): identity commitments, issuance, the
// card file (every error code, key mismatch), the card QR code (round trips
// as a property, every malformation of the byte layout), the check-in
// possession proof (tampering of every signed part), and secrets never
// reaching an error, toString, JSON.stringify or util.inspect.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Signature,
  SigningPublicKey,
  SigningSecretKey,
  concat,
  decodeHex,
  createSeededRng,
  encodeHashInput,
  encodeHex,
  generateSigningKeyPair,
  hashToBytes,
  sha256,
  verifySignature,
  type Rng,
} from '@acta/crypto';
import {
  CREDENTIAL_QR_PREFIX,
  CredentialCard,
  MAX_CREDENTIAL_QR_LENGTH,
  computeIdentityCommitment,
  encodeCredentialCard,
  encodeCredentialQr,
  issueCredential,
  parseCheckInChallenge,
  parseCredentialCard,
  parseCredentialQr,
  signCheckInChallenge,
  verifyCheckInSignature,
  type CredentialCardJson,
  type CredentialError,
  type IssuedCredential,
} from '../src/credential.js';
import { decodeBase64Url, encodeBase64Url } from '../src/encoding.js';

const ELECTION = 've-2024-presidential';
const MESA = '201301006.01';
const MANIFEST_HASH = hashToBytes('ACTA_V1_TEST_MANIFEST', ['credential tests']);
const NATIONAL_ID = 'V-12345678';

type Outcome = { ok: true } | { ok: false; error: CredentialError };

function codeOf(r: Outcome): string {
  return r.ok ? 'ok' : r.error.code;
}

function whereOf(r: Outcome): string {
  return r.ok ? 'ok' : r.error.where;
}

function issue(seed = 'credential-test', serial = 1): IssuedCredential {
  const r = issueCredential({
    electionId: ELECTION,
    manifestHash: MANIFEST_HASH,
    mesa: MESA,
    nationalId: NATIONAL_ID,
    serial,
    rng: createSeededRng(seed),
  });
  if (!r.ok) throw r.error;
  return r.value;
}

/** Every hex spelling of the card's secrets: none may appear in any error or string form. */
function secretsOf(card: CredentialCard): string[] {
  const sk = card.secretKey.toHex();
  const salt = encodeHex(card.identitySalt());
  return [
    sk,
    sk.toUpperCase(),
    salt,
    salt.toUpperCase(),
    encodeBase64Url(card.secretKey.toBytes()),
  ];
}

function expectNoSecrets(text: string, card: CredentialCard): void {
  for (const secret of secretsOf(card)) expect(text).not.toContain(secret);
  expect(text).not.toContain(NATIONAL_ID);
}

function expectErrorClean(r: Outcome, card: CredentialCard): void {
  if (r.ok) return;
  expectNoSecrets(`${r.error.message} ${r.error.where} ${r.error.toString()}`, card);
  expectNoSecrets(String(r.error.stack), card);
}

/** The QR byte layout of the module header, built independently of the encoder. */
function layout(args: {
  version?: number;
  serial?: number;
  secretKey?: Uint8Array;
  salt?: Uint8Array;
  electionId?: Uint8Array;
  electionIdLength?: number;
  mesa?: Uint8Array;
  mesaLength?: number;
}): Uint8Array {
  const electionId = args.electionId ?? new TextEncoder().encode(ELECTION);
  const mesa = args.mesa ?? new TextEncoder().encode(MESA);
  const fixed = new Uint8Array(69);
  fixed[0] = args.version ?? 1;
  new DataView(fixed.buffer).setUint32(1, args.serial ?? 1);
  fixed.set(args.secretKey ?? new Uint8Array(32).fill(7), 5);
  fixed.set(args.salt ?? new Uint8Array(32).fill(9), 37);
  return concat(
    fixed,
    Uint8Array.of(args.electionIdLength ?? electionId.length),
    electionId,
    Uint8Array.of(args.mesaLength ?? mesa.length),
    mesa,
  );
}

function unwrapHex(hex: string): Uint8Array {
  const b = decodeHex(hex, 'test');
  if (!b.ok) throw b.error;
  return b.value;
}

function qrOf(bytes: Uint8Array): string {
  return CREDENTIAL_QR_PREFIX + encodeBase64Url(bytes);
}

describe('identity commitment', () => {
  const salt = new Uint8Array(32).fill(1);

  it('is SHA-256 of the canonical encoding of [electionId, nationalId, salt]', () => {
    const r = computeIdentityCommitment({ electionId: ELECTION, nationalId: NATIONAL_ID, salt });
    expect(r.ok && encodeHex(r.value)).toBe(
      encodeHex(
        sha256(encodeHashInput('ACTA_V1_IDENTITY_COMMITMENT', [ELECTION, NATIONAL_ID, salt])),
      ),
    );
  });

  it('depends on every input', () => {
    const base = computeIdentityCommitment({ electionId: ELECTION, nationalId: NATIONAL_ID, salt });
    const variants = [
      { electionId: 've-2024-municipal', nationalId: NATIONAL_ID, salt },
      { electionId: ELECTION, nationalId: 'V-12345679', salt },
      { electionId: ELECTION, nationalId: NATIONAL_ID, salt: new Uint8Array(32).fill(2) },
    ];
    for (const v of variants) {
      const r = computeIdentityCommitment(v);
      expect(r.ok && base.ok && encodeHex(r.value) !== encodeHex(base.value)).toBe(true);
    }
  });

  it('refuses malformed inputs with their codes, never quoting the national id', () => {
    const cases: [Parameters<typeof computeIdentityCommitment>[0], string][] = [
      [{ electionId: 'VE 2024', nationalId: NATIONAL_ID, salt }, 'CREDENTIAL_BAD_ELECTION_ID'],
      [{ electionId: ELECTION, nationalId: '', salt }, 'CREDENTIAL_BAD_NATIONAL_ID'],
      [{ electionId: ELECTION, nationalId: ' V-1', salt }, 'CREDENTIAL_BAD_NATIONAL_ID'],
      [{ electionId: ELECTION, nationalId: 'V-1\n', salt }, 'CREDENTIAL_BAD_NATIONAL_ID'],
      [{ electionId: ELECTION, nationalId: 'V-1\u0000', salt }, 'CREDENTIAL_BAD_NATIONAL_ID'],
      [{ electionId: ELECTION, nationalId: 'Jose\u0301', salt }, 'CREDENTIAL_BAD_NATIONAL_ID'],
      [{ electionId: ELECTION, nationalId: 'V-\ud800', salt }, 'CREDENTIAL_BAD_NATIONAL_ID'],
      [{ electionId: ELECTION, nationalId: 'V'.repeat(65), salt }, 'CREDENTIAL_BAD_NATIONAL_ID'],
      [
        { electionId: ELECTION, nationalId: NATIONAL_ID, salt: salt.subarray(1) },
        'CREDENTIAL_BAD_SALT',
      ],
    ];
    for (const [args, code] of cases) {
      const r = computeIdentityCommitment(args);
      expect(codeOf(r)).toBe(code);
      if (!r.ok) expect(r.error.message).not.toContain(args.nationalId || '\u0000never');
    }
    expect(computeIdentityCommitment({ electionId: ELECTION, nationalId: 'José', salt }).ok).toBe(
      true,
    );
  });
});

describe('issueCredential', () => {
  it('produces a card and a public record that agree', () => {
    const { card, publicRecord, identitySalt } = issue();
    expect(card.electionId).toBe(ELECTION);
    expect(card.mesa).toBe(MESA);
    expect(card.serial).toBe(1);
    expect(card.manifestHash).toBe(encodeHex(MANIFEST_HASH));
    expect(card.nationalIdHint).toBe('678');
    expect(card.publicKey).toBe(card.secretKey.publicKey().toHex());
    expect(publicRecord).toEqual({
      electionId: ELECTION,
      mesa: MESA,
      serial: 1,
      credentialPublicKey: card.publicKey,
      identityCommitment: encodeHex(
        hashToBytes('ACTA_V1_IDENTITY_COMMITMENT', [ELECTION, NATIONAL_ID, identitySalt]),
      ),
    });
    expect(encodeHex(card.identitySalt())).toBe(encodeHex(identitySalt));
  });

  it('draws the key seed first, then the salt, from the rng', () => {
    const rng = createSeededRng('credential-test');
    const seed = rng.randomBytes(32);
    const salt = rng.randomBytes(32);
    const { card } = issue('credential-test');
    expect(card.secretKey.toHex()).toBe(encodeHex(seed));
    expect(encodeHex(card.identitySalt())).toBe(encodeHex(salt));
  });

  it('gives every issuance a fresh key and salt', () => {
    const a = issue('a');
    const b = issue('b');
    expect(a.card.publicKey).not.toBe(b.card.publicKey);
    expect(a.publicRecord.identityCommitment).not.toBe(b.publicRecord.identityCommitment);
  });

  it('lets the voter find their own entry by recomputing the commitment', () => {
    const { card, publicRecord } = issue();
    const mine = computeIdentityCommitment({
      electionId: card.electionId,
      nationalId: NATIONAL_ID,
      salt: card.identitySalt(),
    });
    expect(mine.ok && encodeHex(mine.value)).toBe(publicRecord.identityCommitment);
  });

  it('accepts serials 1 … 1,000,000 (a reissue is serial + 1) and refuses others', () => {
    expect(issue('x', 2).card.serial).toBe(2);
    expect(issue('x', 1_000_000).card.serial).toBe(1_000_000);
    const base = {
      electionId: ELECTION,
      manifestHash: MANIFEST_HASH,
      mesa: MESA,
      nationalId: NATIONAL_ID,
      rng: createSeededRng('x'),
    };
    for (const serial of [0, -1, 1.5, 1_000_001, Number.NaN]) {
      expect(codeOf(issueCredential({ ...base, serial }))).toBe('CREDENTIAL_BAD_SERIAL');
    }
    expect(codeOf(issueCredential({ ...base, serial: 1, electionId: 'x' }))).toBe(
      'CREDENTIAL_BAD_ELECTION_ID',
    );
    expect(codeOf(issueCredential({ ...base, serial: 1, mesa: '201301006.1' }))).toBe(
      'CREDENTIAL_BAD_MESA_ID',
    );
    expect(
      codeOf(issueCredential({ ...base, serial: 1, manifestHash: MANIFEST_HASH.subarray(1) })),
    ).toBe('CREDENTIAL_BAD_MANIFEST_HASH');
    expect(codeOf(issueCredential({ ...base, serial: 1, nationalId: '' }))).toBe(
      'CREDENTIAL_BAD_NATIONAL_ID',
    );
  });

  it('keeps the hint to the last three characters (code points)', () => {
    const r = issueCredential({
      electionId: ELECTION,
      manifestHash: MANIFEST_HASH,
      mesa: MESA,
      nationalId: 'E-99😀ñ',
      serial: 1,
      rng: createSeededRng('hint'),
    });
    expect(r.ok && r.value.card.nationalIdHint).toBe('9😀ñ');
  });
});

describe('CredentialCard', () => {
  it('never shows its secrets in toString, JSON.stringify or util.inspect', () => {
    const { card } = issue();
    expectNoSecrets(String(card), card);
    expectNoSecrets(`${card.toString()}`, card);
    expectNoSecrets(JSON.stringify(card), card);
    expectNoSecrets(JSON.stringify({ wrapped: [card] }), card);
    expectNoSecrets(inspect(card, { depth: 10, showHidden: true }), card);
    expect(JSON.parse(JSON.stringify(card))).toEqual({
      electionId: ELECTION,
      mesa: MESA,
      serial: 1,
      publicKey: card.publicKey,
      secret: '<secret>',
    });
  });

  it('derives its public key and copies its salt', () => {
    const salt = new Uint8Array(32).fill(3);
    const { secretKey } = generateSigningKeyPair(createSeededRng('ctor'));
    const card = new CredentialCard({
      electionId: ELECTION,
      mesa: MESA,
      serial: 1,
      secretKey,
      identitySalt: salt,
    });
    salt.fill(0);
    expect(card.identitySalt()).toEqual(new Uint8Array(32).fill(3));
    card.identitySalt().fill(0);
    expect(card.identitySalt()).toEqual(new Uint8Array(32).fill(3));
    expect(card.publicKey).toBe(secretKey.publicKey().toHex());
    expect(card.manifestHash).toBeUndefined();
  });

  it('throws for invalid fields (a caller bug)', () => {
    const { secretKey } = generateSigningKeyPair(createSeededRng('ctor'));
    const ok = {
      electionId: ELECTION,
      mesa: MESA,
      serial: 1,
      secretKey,
      identitySalt: new Uint8Array(32),
    };
    expect(() => new CredentialCard({ ...ok, electionId: 'A' })).toThrow(RangeError);
    expect(() => new CredentialCard({ ...ok, mesa: '1.1' })).toThrow(RangeError);
    expect(() => new CredentialCard({ ...ok, serial: 0 })).toThrow(RangeError);
    expect(() => new CredentialCard({ ...ok, identitySalt: new Uint8Array(31) })).toThrow(
      RangeError,
    );
    expect(() => new CredentialCard({ ...ok, manifestHash: 'AB'.repeat(32) })).toThrow(RangeError);
    expect(() => new CredentialCard({ ...ok, nationalIdHint: '1234' })).toThrow(RangeError);
    expect(() => new CredentialCard({ ...ok, nationalIdHint: '' })).toThrow(RangeError);
  });
});

describe('card file', () => {
  const { card } = issue();
  const json = encodeCredentialCard(card);

  function withField(field: string, value: unknown): Record<string, unknown> {
    return { ...json, [field]: value };
  }

  function without(field: keyof CredentialCardJson): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...json };
    delete copy[field];
    return copy;
  }

  it('has exactly the fields of the format, in hex', () => {
    expect(json).toEqual({
      format: 'acta-credential-v1',
      electionId: ELECTION,
      manifestHash: encodeHex(MANIFEST_HASH),
      mesa: MESA,
      serial: 1,
      publicKey: card.publicKey,
      secretKey: card.secretKey.toHex(),
      identitySalt: encodeHex(card.identitySalt()),
      nationalIdHint: '678',
    });
  });

  it('round-trips through JSON text', () => {
    const parsed = parseCredentialCard(JSON.parse(JSON.stringify(json)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(encodeCredentialCard(parsed.value)).toEqual(json);
    expect(parsed.value.secretKey.toHex()).toBe(card.secretKey.toHex());
  });

  it('round-trips any card (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.stringMatching(/^[a-z0-9-]{3,64}$/),
        fc.stringMatching(/^[0-9]{9}\.[0-9]{2}$/),
        (seed, salt, serial, electionId, mesa) => {
          const sk = SigningSecretKey.decode(seed);
          if (!sk.ok) throw sk.error;
          const c = new CredentialCard({
            electionId,
            mesa,
            serial,
            secretKey: sk.value,
            identitySalt: salt,
            manifestHash: encodeHex(salt),
            nationalIdHint: 'x1',
          });
          const back = parseCredentialCard(JSON.parse(JSON.stringify(encodeCredentialCard(c))));
          expect(back.ok && encodeCredentialCard(back.value)).toEqual(encodeCredentialCard(c));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses every malformation with its code and field', () => {
    const other = generateSigningKeyPair(createSeededRng('other')).publicKey.toHex();
    const cases: [unknown, string, string][] = [
      [null, 'CARD_MALFORMED', 'card'],
      [[json], 'CARD_MALFORMED', 'card'],
      ['text', 'CARD_MALFORMED', 'card'],
      [without('format'), 'CARD_MALFORMED', 'card.format'],
      [withField('format', 'acta-credential-v2'), 'CARD_UNSUPPORTED_FORMAT', 'card.format'],
      [{ format: 'acta-credential-v2', other: 1 }, 'CARD_UNSUPPORTED_FORMAT', 'card.format'],
      [withField('extra', 1), 'CARD_UNKNOWN_FIELD', 'card.extra'],
      [without('secretKey'), 'CARD_MALFORMED', 'card.secretKey'],
      [withField('serial', '1'), 'CARD_MALFORMED', 'card.serial'],
      [withField('electionId', 7), 'CARD_MALFORMED', 'card.electionId'],
      [withField('electionId', 'VE'), 'CREDENTIAL_BAD_ELECTION_ID', 'card.electionId'],
      [withField('mesa', '201301006-01'), 'CREDENTIAL_BAD_MESA_ID', 'card.mesa'],
      [withField('serial', 0), 'CREDENTIAL_BAD_SERIAL', 'card.serial'],
      [withField('serial', 2.5), 'CARD_MALFORMED', 'card.serial'],
      [withField('serial', 1_000_001), 'CREDENTIAL_BAD_SERIAL', 'card.serial'],
      [withField('nationalIdHint', '5678'), 'CREDENTIAL_BAD_HINT', 'card.nationalIdHint'],
      [withField('nationalIdHint', ''), 'CREDENTIAL_BAD_HINT', 'card.nationalIdHint'],
      [withField('nationalIdHint', ' 78'), 'CREDENTIAL_BAD_HINT', 'card.nationalIdHint'],
      [withField('manifestHash', 'ab'), 'CARD_BAD_HEX', 'card.manifestHash'],
      [withField('publicKey', card.publicKey.toUpperCase()), 'CARD_BAD_HEX', 'card.publicKey'],
      [withField('secretKey', `${card.secretKey.toHex()}00`), 'CARD_BAD_HEX', 'card.secretKey'],
      [
        withField('secretKey', card.secretKey.toHex().toUpperCase()),
        'CARD_BAD_HEX',
        'card.secretKey',
      ],
      [withField('identitySalt', 'zz'.repeat(32)), 'CARD_BAD_HEX', 'card.identitySalt'],
      [withField('publicKey', other), 'CARD_KEY_MISMATCH', 'card.publicKey'],
    ];
    for (const [input, code, where] of cases) {
      const r = parseCredentialCard(input);
      expect([codeOf(r), whereOf(r)], JSON.stringify(input)?.slice(0, 60)).toEqual([code, where]);
      expectErrorClean(r, card);
    }
  });

  it('detects a secret key that was altered (the public key no longer matches)', () => {
    const sk = card.secretKey.toHex();
    const altered = (sk[0] === '0' ? '1' : '0') + sk.slice(1);
    const r = parseCredentialCard(withField('secretKey', altered));
    expect(codeOf(r)).toBe('CARD_KEY_MISMATCH');
    expectErrorClean(r, card);
    expect(r.ok ? '' : r.error.message).not.toContain(altered);
  });

  it('cannot export a card that lacks the manifest hash or hint', () => {
    const fromQr = parseCredentialQr(encodeCredentialQr(card));
    expect(fromQr.ok).toBe(true);
    if (fromQr.ok) expect(() => encodeCredentialCard(fromQr.value)).toThrow(RangeError);
  });
});

describe('card QR code', () => {
  const { card } = issue();

  it('encodes the layout of the module header', () => {
    const text = encodeCredentialQr(card);
    expect(text.startsWith('ACTA1C:')).toBe(true);
    const bytes = decodeBase64Url(text.slice(7));
    expect(bytes.ok).toBe(true);
    if (!bytes.ok) return;
    expect(encodeHex(bytes.value)).toBe(
      encodeHex(
        layout({
          secretKey: card.secretKey.toBytes(),
          salt: card.identitySalt(),
        }),
      ),
    );
    expect(bytes.value.length).toBe(1 + 4 + 32 + 32 + 1 + ELECTION.length + 1 + 12);
  });

  it('round-trips, taking manifest hash and hint from the context', () => {
    const r = parseCredentialQr(encodeCredentialQr(card), {
      electionId: ELECTION,
      mesa: MESA,
      manifestHash: card.manifestHash!,
      nationalIdHint: '678',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(encodeCredentialCard(r.value)).toEqual(encodeCredentialCard(card));
    const bare = parseCredentialQr(encodeCredentialQr(card));
    expect(bare.ok && [bare.value.manifestHash, bare.value.nationalIdHint]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('round-trips any card (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.stringMatching(/^[a-z0-9-]{3,64}$/),
        fc.stringMatching(/^[0-9]{9}\.[0-9]{2}$/),
        (seed, salt, serial, electionId, mesa) => {
          const sk = SigningSecretKey.decode(seed);
          if (!sk.ok) throw sk.error;
          const c = new CredentialCard({
            electionId,
            mesa,
            serial,
            secretKey: sk.value,
            identitySalt: salt,
          });
          const text = encodeCredentialQr(c);
          expect(text.length).toBeLessThanOrEqual(MAX_CREDENTIAL_QR_LENGTH);
          const back = parseCredentialQr(text);
          expect(back.ok).toBe(true);
          if (!back.ok) return;
          expect([
            back.value.electionId,
            back.value.mesa,
            back.value.serial,
            back.value.publicKey,
            back.value.secretKey.toHex(),
            encodeHex(back.value.identitySalt()),
          ]).toEqual([electionId, mesa, serial, c.publicKey, encodeHex(seed), encodeHex(salt)]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses every malformation with its code', () => {
    const good = layout({});
    expect([good.length, qrOf(good).slice(-1)]).toEqual([103, 'Q']);
    const e = new TextEncoder();
    const cases: [string, string, string][] = [
      ['ACTA1c:' + encodeBase64Url(good), 'CREDENTIAL_QR_PREFIX', 'credentialQr'],
      [encodeBase64Url(good), 'CREDENTIAL_QR_PREFIX', 'credentialQr'],
      ['', 'CREDENTIAL_QR_PREFIX', 'credentialQr'],
      ['ACTA1C:' + 'A'.repeat(MAX_CREDENTIAL_QR_LENGTH), 'CREDENTIAL_QR_TOO_LONG', 'credentialQr'],
      [qrOf(good) + '=', 'CREDENTIAL_QR_BASE64', 'credentialQr'],
      [qrOf(good).replace(/.$/, '+'), 'CREDENTIAL_QR_BASE64', 'credentialQr'],
      [qrOf(good) + 'AAA', 'CREDENTIAL_QR_BASE64', 'credentialQr'],
      // 103 bytes → 138 characters; the last, 'Q' = 0b010000, carries 4 pad bits: set one.
      [qrOf(good).slice(0, -1) + 'R', 'CREDENTIAL_QR_BASE64', 'credentialQr'],
      ['ACTA1C:', 'CREDENTIAL_QR_TRUNCATED', 'credentialQr.version'],
      [qrOf(layout({ version: 2 })), 'CREDENTIAL_QR_VERSION', 'credentialQr.version'],
      [qrOf(layout({ version: 0 })), 'CREDENTIAL_QR_VERSION', 'credentialQr.version'],
      [qrOf(good.subarray(0, 68)), 'CREDENTIAL_QR_TRUNCATED', 'credentialQr'],
      [qrOf(good.subarray(0, 69)), 'CREDENTIAL_QR_TRUNCATED', 'credentialQr.electionId'],
      [qrOf(good.subarray(0, 75)), 'CREDENTIAL_QR_TRUNCATED', 'credentialQr.electionId'],
      [qrOf(good.subarray(0, 90)), 'CREDENTIAL_QR_TRUNCATED', 'credentialQr.mesa'],
      [qrOf(good.subarray(0, good.length - 1)), 'CREDENTIAL_QR_TRUNCATED', 'credentialQr.mesa'],
      [qrOf(concat(good, Uint8Array.of(0))), 'CREDENTIAL_QR_TRAILING_BYTES', 'credentialQr'],
      [qrOf(layout({ serial: 0 })), 'CREDENTIAL_BAD_SERIAL', 'credentialQr.serial'],
      [qrOf(layout({ serial: 1_000_001 })), 'CREDENTIAL_BAD_SERIAL', 'credentialQr.serial'],
      [qrOf(layout({ serial: 0xffffffff })), 'CREDENTIAL_BAD_SERIAL', 'credentialQr.serial'],
      [
        qrOf(layout({ electionId: e.encode('a'.repeat(65)), mesa: new Uint8Array(0) })),
        'CREDENTIAL_QR_OVERLONG_STRING',
        'credentialQr.electionId',
      ],
      [
        qrOf(layout({ electionIdLength: 200 })),
        'CREDENTIAL_QR_OVERLONG_STRING',
        'credentialQr.electionId',
      ],
      [
        qrOf(layout({ mesa: e.encode('201301006.011') })),
        'CREDENTIAL_QR_OVERLONG_STRING',
        'credentialQr.mesa',
      ],
      [
        qrOf(layout({ electionId: Uint8Array.of(0x61, 0x62, 0xff) })),
        'CREDENTIAL_QR_BAD_UTF8',
        'credentialQr.electionId',
      ],
      [
        qrOf(layout({ mesa: concat(Uint8Array.of(0xc3), e.encode('01301006.01')) })),
        'CREDENTIAL_QR_BAD_UTF8',
        'credentialQr.mesa',
      ],
      [
        qrOf(layout({ electionId: e.encode('VE-2024') })),
        'CREDENTIAL_BAD_ELECTION_ID',
        'credentialQr.electionId',
      ],
      [
        qrOf(layout({ electionId: e.encode('ab') })),
        'CREDENTIAL_BAD_ELECTION_ID',
        'credentialQr.electionId',
      ],
      [
        qrOf(layout({ mesa: e.encode('201301006') })),
        'CREDENTIAL_BAD_MESA_ID',
        'credentialQr.mesa',
      ],
    ];
    for (const [text, code, where] of cases) {
      const r = parseCredentialQr(text);
      expect([codeOf(r), whereOf(r)], text.slice(0, 40)).toEqual([code, where]);
    }
  });

  it('checks the reader context', () => {
    const text = encodeCredentialQr(card);
    expect(codeOf(parseCredentialQr(text, { electionId: 've-2025-municipal' }))).toBe(
      'CREDENTIAL_ELECTION_MISMATCH',
    );
    expect(codeOf(parseCredentialQr(text, { mesa: '201301006.02' }))).toBe(
      'CREDENTIAL_MESA_MISMATCH',
    );
    expect(parseCredentialQr(text, { electionId: ELECTION, mesa: MESA }).ok).toBe(true);
  });

  it('never quotes the secret key or salt in an error', () => {
    const text = encodeCredentialQr(card);
    const bytes = decodeBase64Url(text.slice(7));
    if (!bytes.ok) throw new Error('bad test encoding');
    const variants = [
      text + 'A',
      text + '!',
      text.slice(0, 100),
      qrOf(concat(bytes.value, Uint8Array.of(1))),
      qrOf(concat(Uint8Array.of(9), bytes.value.subarray(1))),
      text.replace('ACTA1C:', 'ACTA1X:'),
    ];
    for (const v of variants) {
      const r = parseCredentialQr(v, { electionId: 'another-election' });
      expect(r.ok).toBe(false);
      expectErrorClean(r, card);
      if (!r.ok) expect(r.error.message).not.toContain(v.slice(7, 40));
    }
    const mismatch = parseCredentialQr(text, { electionId: 'another-election' });
    expect(codeOf(mismatch)).toBe('CREDENTIAL_ELECTION_MISMATCH');
    expectErrorClean(mismatch, card);
  });
});

describe('check-in possession proof', () => {
  const { card } = issue();
  const pollBook = generateSigningKeyPair(createSeededRng('poll-book')).publicKey.toHex();
  const nonce = encodeHex(createSeededRng('nonce').randomBytes(32));
  const challenge = { electionId: ELECTION, mesa: MESA, nonce, pollBookKey: pollBook };

  function verifyWith(overrides: Partial<Parameters<typeof verifyCheckInSignature>[0]>) {
    return verifyCheckInSignature({
      ...challenge,
      credentialKey: card.publicKey,
      signature: signCheckInChallenge(card, challenge),
      ...overrides,
    });
  }

  it('signs [electionId, mesa, nonce, pollBookKey, credentialKey] under ACTA_V1_CHECKIN', () => {
    const signature = signCheckInChallenge(card, challenge);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyWith({ signature }).ok).toBe(true);
  });

  it('accepts the nonce as bytes or hex, with the same signature', () => {
    const bytes = createSeededRng('nonce').randomBytes(32);
    const a = signCheckInChallenge(card, { ...challenge, nonce: bytes });
    expect(a).toBe(signCheckInChallenge(card, challenge));
    expect(verifyWith({ nonce: bytes, signature: a }).ok).toBe(true);
  });

  it('fails when any signed part changes', () => {
    const other = generateSigningKeyPair(createSeededRng('other')).publicKey.toHex();
    const otherNonce = encodeHex(createSeededRng('nonce-2').randomBytes(32));
    const otherCard = issue('other-card').card;
    const cases = [
      { electionId: 've-2025-municipal' },
      { mesa: '201301006.02' },
      { nonce: otherNonce },
      { pollBookKey: other },
      { credentialKey: otherCard.publicKey },
      { signature: signCheckInChallenge(otherCard, challenge) },
    ];
    for (const c of cases)
      expect(codeOf(verifyWith(c)), JSON.stringify(c)).toBe('CHECKIN_SIGNATURE_INVALID');
  });

  it('signs exactly those parts, and only under ACTA_V1_CHECKIN', () => {
    const sig = Signature.decodeHex(signCheckInChallenge(card, challenge));
    const pk = SigningPublicKey.decodeHex(card.publicKey);
    if (!sig.ok || !pk.ok) throw new Error('bad test data');
    const parts = [
      ELECTION,
      MESA,
      createSeededRng('nonce').randomBytes(32),
      unwrapHex(pollBook),
      unwrapHex(card.publicKey),
    ];
    expect(verifySignature(pk.value, 'ACTA_V1_CHECKIN', parts, sig.value).ok).toBe(true);
    // Framing binds the tag: the same parts under another purpose do not verify.
    expect(verifySignature(pk.value, 'ACTA_V1_ACTA_QR', parts, sig.value).ok).toBe(false);
    // Hex strings instead of bytes are a different message.
    const asText = [ELECTION, MESA, nonce, pollBook, card.publicKey];
    expect(verifySignature(pk.value, 'ACTA_V1_CHECKIN', asText, sig.value).ok).toBe(false);
  });

  it('refuses malformed input with its code', () => {
    const sig = signCheckInChallenge(card, challenge);
    const cases: [Partial<Parameters<typeof verifyCheckInSignature>[0]>, string][] = [
      [{ electionId: 'X' }, 'CHECKIN_MALFORMED'],
      [{ mesa: '1' }, 'CHECKIN_MALFORMED'],
      [{ nonce: 'ab' }, 'CHECKIN_MALFORMED'],
      [{ nonce: nonce.toUpperCase() }, 'CHECKIN_MALFORMED'],
      [{ nonce: new Uint8Array(31) }, 'CHECKIN_MALFORMED'],
      [{ pollBookKey: 'zz'.repeat(32) }, 'CHECKIN_MALFORMED'],
      [{ credentialKey: '00'.repeat(32) }, 'CHECKIN_BAD_KEY'],
      [{ credentialKey: card.publicKey.toUpperCase() }, 'CHECKIN_BAD_KEY'],
      [{ credentialKey: 'ab' }, 'CHECKIN_BAD_KEY'],
      [{ signature: sig.slice(2) }, 'CHECKIN_BAD_SIGNATURE_ENCODING'],
      [{ signature: sig.toUpperCase() }, 'CHECKIN_BAD_SIGNATURE_ENCODING'],
      [{ signature: sig.slice(0, 64) + 'ff'.repeat(32) }, 'CHECKIN_BAD_SIGNATURE_ENCODING'],
    ];
    for (const [o, code] of cases) {
      const r = verifyWith({ signature: sig, ...o });
      expect(codeOf(r), JSON.stringify(o)).toBe(code);
      expectErrorClean(r, card);
    }
  });

  it('throws when asked to sign a malformed challenge', () => {
    expect(() => signCheckInChallenge(card, { ...challenge, nonce: 'ab' })).toThrow(RangeError);
    expect(() => signCheckInChallenge(card, { ...challenge, pollBookKey: 'x' })).toThrow(
      RangeError,
    );
    expect(() => signCheckInChallenge(card, { ...challenge, mesa: 'x' })).toThrow(RangeError);
  });

  it('parses a received challenge strictly', () => {
    const r = parseCheckInChallenge(JSON.parse(JSON.stringify(challenge)));
    expect(r.ok && r.value).toEqual(challenge);
    const bad: [unknown, string][] = [
      [null, 'challenge'],
      [{ ...challenge, extra: 1 }, 'challenge'],
      [{ ...challenge, nonce: 'ab' }, 'challenge.nonce'],
      [{ ...challenge, pollBookKey: 5 }, 'challenge.pollBookKey'],
      [{ ...challenge, mesa: 'x' }, 'challenge.mesa'],
    ];
    for (const [input, where] of bad) {
      const p = parseCheckInChallenge(input);
      expect([codeOf(p), whereOf(p)]).toEqual(['CHECKIN_MALFORMED', where]);
    }
  });

  it('round-trips sign → verify for any card and challenge (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.stringMatching(/^[0-9]{9}\.[0-9]{2}$/),
        (seed, n, mesa) => {
          const rng: Rng = createSeededRng(seed);
          const c = new CredentialCard({
            electionId: ELECTION,
            mesa,
            serial: 1,
            secretKey: generateSigningKeyPair(rng).secretKey,
            identitySalt: rng.randomBytes(32),
          });
          const ch = { electionId: ELECTION, mesa, nonce: n, pollBookKey: pollBook };
          const signature = signCheckInChallenge(c, ch);
          expect(verifyCheckInSignature({ ...ch, credentialKey: c.publicKey, signature }).ok).toBe(
            true,
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});
