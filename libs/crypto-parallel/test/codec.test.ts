// The pool's binary chunk form: contests, contexts and ciphertext sums survive
// the trip exactly (odd shapes and limits included, keys shared by value), a
// chunk's elements are decoded with one decodeMany call, contexts that cannot
// be sent are RangeErrors, and malformed chunks are RangeErrors (pool bugs).
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  GroupElement,
  Scalar,
  ZERO_CIPHERTEXT,
  getCryptoBackend,
  type Ciphertext,
  type ContestItem,
  type HashPart,
  type ProofContext,
  type RangeProof,
} from '@acta/crypto';
import {
  decodeCiphertexts,
  decodeContestChunk,
  decodeProofContext,
  decodeSumChunk,
  encodeCiphertexts,
  encodeContestChunk,
  encodeProofContext,
  encodeSumChunk,
} from '../src/codec.js';
import { ELECTION_HASH, HONEST, KEYS, identityCommitment } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const hex = (x: GroupElement | Scalar): string => x.toHex();

function proofForm(p: RangeProof): unknown {
  return {
    commitments: p.commitments.map((c) => [hex(c.a), hex(c.b)]),
    challenges: p.challenges.map(hex),
    responses: p.responses.map(hex),
  };
}

/** Everything a contest job carries, as comparable plain data. */
function jobForm(job: ContestItem): unknown {
  return {
    context: job.context,
    publicKey: hex(job.publicKey),
    limit: job.limit,
    selections: job.contest.selections.map((s) => ({
      alpha: hex(s.ciphertext.alpha),
      beta: hex(s.ciphertext.beta),
      proof: proofForm(s.proof),
    })),
    limitProof: proofForm(job.contest.limitProof),
  };
}

describe('contest chunks', () => {
  it('round-trip every field, odd shapes and limits included', () => {
    const h = HONEST[1]!;
    const s0 = h.contest.selections[0]!;
    const odd: ContestItem[] = [
      { ...HONEST[0]!, limit: 2.5 },
      { ...h, contest: { ...h.contest, selections: [] }, limit: -1 },
      {
        ...h,
        limit: Number.NaN,
        contest: {
          ...h.contest,
          selections: [
            {
              ...s0,
              proof: {
                commitments: [...s0.proof.commitments, s0.proof.commitments[0]!],
                challenges: [s0.proof.challenges[0]!],
                responses: [],
              },
            },
          ],
        },
      },
      { ...HONEST[2]!, context: { electionHash: new Uint8Array(5) } },
      identityCommitment(HONEST[3]!),
    ];
    const jobs = [...HONEST, ...odd];
    const decoded = decodeContestChunk(encodeContestChunk(jobs));
    expect(decoded.map(jobForm)).toEqual(jobs.map(jobForm));
  });

  it('reads all elements in one transfer-form call and sends each key once, shared by value', () => {
    // Two distinct objects for the same key value, and the two other keys.
    const copy = GroupElement.decode(KEYS[1]!.toBytes());
    if (!copy.ok) throw copy.error;
    const jobs = [HONEST[1]!, { ...HONEST[4]!, publicKey: copy.value }, HONEST[0]!, HONEST[2]!];
    const decodeMany = vi.spyOn(GroupElement, 'decodeMany');
    const readTransfer = vi.spyOn(GroupElement, 'readTransfer');
    const resolved: string[] = [];
    const items = decodeContestChunk(encodeContestChunk(jobs), (k) => {
      resolved.push(k.toHex());
      return k;
    });
    expect(readTransfer).toHaveBeenCalledTimes(1);
    // Native: the flat points travel as they are, nothing is decoded again;
    // noble: one batch decode of every element.
    expect(decodeMany).toHaveBeenCalledTimes(getCryptoBackend().name === 'native' ? 0 : 1);
    expect(resolved.sort()).toEqual(KEYS.map((k) => k.toHex()).sort());
    expect(items[0]!.publicKey).toBe(items[1]!.publicKey);
    expect(items[0]!.publicKey).not.toBe(items[2]!.publicKey);
  });

  it('sends a shared context once and decodes it as one object', () => {
    const context: ProofContext = { electionHash: ELECTION_HASH, label: ['shared'] };
    const jobs = HONEST.slice(0, 3).map((j) => ({ ...j, context }));
    const items = decodeContestChunk(encodeContestChunk(jobs));
    expect(items[0]!.context).toBe(items[2]!.context);
    expect(items[0]!.context).toEqual(context);
  });

  it('refuses contexts it cannot send, naming the job', () => {
    const withLabel = (label: unknown): ContestItem[] => [
      HONEST[0]!,
      { ...HONEST[1]!, context: { electionHash: ELECTION_HASH, label: label as HashPart[] } },
    ];
    const cyclic: unknown[] = ['a'];
    cyclic.push(cyclic);
    for (const label of [
      [GroupElement.GENERATOR],
      [Scalar.ONE],
      [-1],
      [1.5],
      [2 ** 53],
      ['\ud800'],
      [{ a: 1 }],
      [true],
      [null],
      cyclic,
      'not a list',
    ]) {
      expect(() => encodeContestChunk(withLabel(label), 40)).toThrow(/^job 41: /);
      expect(() => encodeContestChunk(withLabel(label))).toThrow(RangeError);
    }
    const noHash = { electionHash: 'ab' } as unknown as ProofContext;
    expect(() => encodeContestChunk([{ ...HONEST[0]!, context: noHash }])).toThrow(
      /election hash must be a Uint8Array/,
    );
  });

  it('refuses malformed chunks with a RangeError', () => {
    const good = encodeContestChunk(HONEST.slice(0, 3));
    const corrupt = (change: (bytes: Uint8Array, view: DataView) => void): ArrayBuffer => {
      const copy = good.slice(0);
      change(new Uint8Array(copy), new DataView(copy));
      return copy;
    };
    expect(() => decodeContestChunk(good.slice(0, good.byteLength - 1))).toThrow(/malformed/);
    expect(() => decodeContestChunk(new ArrayBuffer(8))).toThrow(/malformed/);
    expect(() => decodeContestChunk(corrupt((b) => (b[0] = 0)))).toThrow(/not a contest chunk/);
    // One contest fewer, one more, or a shape word off by one.
    expect(() => decodeContestChunk(corrupt((_, v) => v.setUint32(4, 2, true)))).toThrow(
      /malformed/,
    );
    expect(() => decodeContestChunk(corrupt((_, v) => v.setUint32(4, 4, true)))).toThrow(
      /malformed/,
    );
    const stride = GroupElement.TRANSFER_LENGTH;
    const shapeAt = (view: DataView): number =>
      36 + stride * view.getUint32(16, true) + 32 * view.getUint32(20, true);
    expect(() =>
      decodeContestChunk(corrupt((_, v) => v.setUint32(shapeAt(v) + 8, 1000, true))),
    ).toThrow(/malformed/);
    // Written by a thread whose backend has another element form.
    expect(() => decodeContestChunk(corrupt((_, v) => v.setUint32(32, stride + 1, true)))).toThrow(
      /malformed chunk: written by a thread on another backend/,
    );
    if (getCryptoBackend().name === 'noble') {
      // Noble's transfer form is the encoding alone, decoded in the worker:
      // a non-canonical one (2^255 − 1 is not a field element) is refused.
      expect(() => decodeContestChunk(corrupt((b) => b.fill(0xff, 36, 68)))).toThrow(
        /malformed chunk: an element does not decode/,
      );
    }
    const sumChunk = encodeSumChunk([HONEST[0]!.contest.selections.map((s) => s.ciphertext)]);
    expect(() => decodeContestChunk(sumChunk)).toThrow(/not a contest chunk/);
  });
});

describe('proof contexts', () => {
  const arbPart: fc.Arbitrary<HashPart> = fc.letrec<{ part: HashPart }>((tie) => ({
    part: fc.oneof(
      { depthSize: 'small' },
      fc.string({ unit: 'grapheme' }),
      fc.nat(),
      fc.maxSafeNat(),
      fc.uint8Array({ maxLength: 40 }),
      fc.array(tie('part'), { maxLength: 4 }),
    ),
  })).part;

  it('round-trip exactly', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        fc.option(fc.array(arbPart, { maxLength: 5 }), { nil: undefined }),
        (electionHash, label) => {
          const context: ProofContext =
            label === undefined ? { electionHash } : { electionHash, label };
          const decoded = decodeProofContext(encodeProofContext(context));
          expect(decoded).toEqual(context);
          expect('label' in decoded).toBe(label !== undefined);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sum chunks', () => {
  const cts: Ciphertext[] = HONEST.slice(0, 3).flatMap((j) =>
    j.contest.selections.map((s) => s.ciphertext),
  );

  it('round-trip pieces (empty ones and the identity included) in one transfer-form call', () => {
    const pieces = [cts.slice(0, 4), [], [ZERO_CIPHERTEXT], cts.slice(4)];
    const readTransfer = vi.spyOn(GroupElement, 'readTransfer');
    const decoded = decodeSumChunk(encodeSumChunk(pieces));
    expect(readTransfer).toHaveBeenCalledTimes(1);
    expect(decoded[2]![0]!.alpha.isIdentity()).toBe(true);
    const form = (ps: readonly (readonly Ciphertext[])[]): string[][] =>
      ps.map((p) => p.map((c) => c.alpha.toHex() + c.beta.toHex()));
    expect(form(decoded)).toEqual(form(pieces));
  });

  it('round-trip sums, and refuse malformed buffers', () => {
    const back = decodeCiphertexts(encodeCiphertexts(cts));
    expect(back.map((c) => c.alpha.toHex() + c.beta.toHex())).toEqual(
      cts.map((c) => c.alpha.toHex() + c.beta.toHex()),
    );
    expect(() => decodeCiphertexts(new ArrayBuffer(65))).toThrow(/malformed/);
    const chunk = encodeSumChunk([cts]);
    expect(() => decodeSumChunk(chunk.slice(0, chunk.byteLength - 32))).toThrow(/malformed/);
    const otherBackend = chunk.slice(0);
    new DataView(otherBackend).setUint32(12, 1, true);
    expect(() => decodeSumChunk(otherBackend)).toThrow(/another backend/);
    const view = new DataView(chunk);
    view.setUint32(16, cts.length - 1, true);
    expect(() => decodeSumChunk(chunk)).toThrow(/piece counts do not add up/);
  });
});
