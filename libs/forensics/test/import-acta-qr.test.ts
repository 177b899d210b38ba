// Acta's signed acta QR payloads: payloads signed here with device keys drawn
// from a seeded generator (the protocol's own encoder, as a device prints
// them), verified against the keys the caller supplies. Expected figures are
// the counts written into the payloads; statuses follow from which key signed.
import { describe, expect, it } from 'vitest';
import { createSeededRng, encodeHex, generateSigningKeyPair } from '@acta/crypto';
import { encodeActaQr } from '@acta/protocol';
import {
  decodeActaQrPayload,
  importActaQrPayloads,
  parseDeviceKeyLines,
} from '../src/import-acta-qr.js';

const rng = createSeededRng('forensics/import-acta-qr');
const electionHash = rng.randomBytes(32);
const keyA = generateSigningKeyPair(rng).secretKey;
const keyB = generateSigningKeyPair(rng).secretKey;
const stranger = generateSigningKeyPair(rng).secretKey;
const chainHead = encodeHex(rng.randomBytes(32));
const MESA_A = '010101001.01';
const MESA_B = '010101001.02';
const MESA_C = '020304005.07';

function payload(
  mesa: string,
  counts: readonly number[],
  signer = keyA,
  counters = { registered: 40, checkedIn: 30, cast: 29, spoiled: 1 },
  hash = electionHash,
): string {
  return encodeActaQr(
    { electionHash: hash, mesa, ...counters, counts: [counts], chainHead },
    signer,
  );
}

const deviceKeys = new Map([
  [MESA_A, keyA.publicKey().toHex()],
  [MESA_B, keyB.publicKey().toHex()],
]);
const context = { deviceKeys, electionHash: encodeHex(electionHash) };

describe('decodeActaQrPayload', () => {
  it('a payload signed by its mesa device is verified, its counts per card', () => {
    const r = decodeActaQrPayload(`  ${payload(MESA_A, [12, 9, 7])}\r`, 'scan line 1', context);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.acta.signature).toBe('verified');
    expect(r.value.finding).toBeUndefined();
    expect(r.value.inconsistent).toBe(false);
    const m = r.value.acta.result;
    expect(m.id).toBe(MESA_A);
    expect(Object.fromEntries(m.votes)).toEqual({ 'card 1': 12, 'card 2': 9, 'card 3': 7 });
    expect([m.registered, m.voters, m.valid, m.invalid, m.blank]).toEqual([40, 30, 28, 0, null]);
    expect(m.region).toEqual(['01', '0101', '010101', '010101001']);
    expect(m.source).toBe('scan line 1');
  });

  it("another device's signature is forged; another election's payload is forged", () => {
    const byStranger = decodeActaQrPayload(payload(MESA_A, [1, 2, 3], stranger), 'x', context);
    if (!byStranger.ok) throw new Error(byStranger.error.message);
    expect(byStranger.value.acta.signature).toBe('forged');
    expect(byStranger.value.finding?.code).toBe('ACTA_QR_SIGNATURE_INVALID');
    // Mesa B's device signing an acta of mesa A is a forgery of A's acta.
    const byOther = decodeActaQrPayload(payload(MESA_A, [1, 2, 3], keyB), 'x', context);
    expect(byOther.ok && byOther.value.acta.signature).toBe('forged');
    const elsewhere = decodeActaQrPayload(
      payload(MESA_A, [1, 2, 3], keyA, undefined, new Uint8Array(32)),
      'x',
      context,
    );
    if (!elsewhere.ok) throw new Error(elsewhere.error.message);
    expect(elsewhere.value.acta.signature).toBe('forged');
    expect(elsewhere.value.finding?.code).toBe('ACTA_QR_ELECTION_MISMATCH');
  });

  it('no key for the mesa: unsigned, and said so', () => {
    const r = decodeActaQrPayload(payload(MESA_C, [1, 2, 3], stranger), 'x', context);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.acta.signature).toBe('unsigned');
    expect(r.value.finding?.code).toBe('NO_DEVICE_KEY');
    expect(r.value.finding?.reason).toMatch(/no device key is known for mesa 020304005\.07/);
  });

  it('a signed payload whose arithmetic fails: verified signature, inconsistent', () => {
    // 31 marks on one card with 29 ballots cast.
    const r = decodeActaQrPayload(payload(MESA_A, [31, 0, 0]), 'x', context);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.acta.signature).toBe('verified');
    expect(r.value.inconsistent).toBe(true);
    expect(r.value.finding?.code).toBe('ACTA_QR_MARKS_EXCEED_LIMIT');
    // Checked in above registered, unsigned: still found inconsistent.
    const u = decodeActaQrPayload(
      payload(MESA_C, [1], stranger, { registered: 5, checkedIn: 6, cast: 6, spoiled: 0 }),
      'x',
      context,
    );
    expect(u.ok && u.value.inconsistent).toBe(true);
  });

  it('unparseable payloads are problems with the protocol code', () => {
    const good = payload(MESA_A, [1, 2, 3]);
    const cases: readonly (readonly [string, string, string])[] = [
      ['not an acta', 'hello', 'ACTA_QR_PREFIX'],
      ['a count with a sign', good.replace('!1,2,3!', '!1,-2,3!'), 'ACTA_QR_BAD_INTEGER'],
      ['a bad mesa id', good.replace(MESA_A, '0101.01'), 'ACTA_QR_BAD_MESA_ID'],
      ['a truncated signature', good.slice(0, -3), 'ACTA_QR_BAD_SIGNATURE_ENCODING'],
      ['a section missing', good.replace(`!${chainHead}`, ''), 'ACTA_QR_SECTIONS'],
    ];
    for (const [, text, code] of cases) {
      const r = decodeActaQrPayload(text, 'f line 2', context);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.where).toBe('f line 2');
      expect(r.error.message.startsWith(code)).toBe(true);
    }
  });
});

describe('importActaQrPayloads', () => {
  it('sorts a file into verified, forged, unsigned, inconsistent and problems, by line', () => {
    const lines = [
      payload(MESA_A, [5, 5, 5]), // 1 verified
      '', // 2 not a payload
      payload(MESA_B, [1, 1, 1], stranger), // 3 forged
      payload(MESA_C, [2, 2, 2], stranger), // 4 unsigned
      'ACTA1!garbage', // 5 problem
      payload(MESA_B, [40, 0, 0], keyB), // 6 inconsistent (40 > 29 cast)
      payload(MESA_A, [5, 5, 6]), // 7 a second verified copy of A (kept: the reconciliation compares)
    ];
    const r = importActaQrPayloads(lines, 'qr.txt', context);
    expect(r.actas.map((a) => [a.result.source, a.signature])).toEqual([
      ['qr.txt line 1', 'verified'],
      ['qr.txt line 3', 'forged'],
      ['qr.txt line 4', 'unsigned'],
      ['qr.txt line 6', 'verified'],
      ['qr.txt line 7', 'verified'],
    ]);
    expect(r.forged.map((f) => f.source)).toEqual(['qr.txt line 3']);
    expect(r.unsigned.map((f) => f.source)).toEqual(['qr.txt line 4']);
    expect(r.inconsistent.map((f) => [f.source, f.code])).toEqual([
      ['qr.txt line 6', 'ACTA_QR_MARKS_EXCEED_LIMIT'],
    ]);
    expect(r.problems.map((p) => [p.code, p.where])).toEqual([
      ['IMPORT_MALFORMED', 'qr.txt line 5'],
    ]);
    expect(r.rows).toBe(6);
    expect(r.skipped).toBe(1);
  });

  it('IMPORT_EMPTY for a file without payloads', () => {
    const r = importActaQrPayloads([' ', ''], 'e.txt', context);
    expect(r.problems.map((p) => p.code)).toEqual(['IMPORT_EMPTY']);
  });
});

describe('parseDeviceKeyLines', () => {
  it('reads mesa/key lines, reports bad and conflicting ones', () => {
    const a = keyA.publicKey().toHex();
    const b = keyB.publicKey().toHex();
    const r = parseDeviceKeyLines(
      [
        '# mesa key',
        `${MESA_A} ${a}`,
        `${MESA_B},${b}`,
        `${MESA_A}\t${b}`,
        'nonsense',
        `${MESA_C} ${'00'.repeat(31)}0`,
        `${MESA_A} ${a}`,
      ],
      'keys.txt',
    );
    expect([...r.keys]).toEqual([
      [MESA_A, a],
      [MESA_B, b],
    ]);
    expect(r.problems.map((p) => [p.code, p.where])).toEqual([
      ['IMPORT_DUPLICATE_MESA', 'keys.txt line 4'],
      ['IMPORT_MALFORMED', 'keys.txt line 5'],
      ['IMPORT_MALFORMED', 'keys.txt line 6'],
    ]);
  });
});
