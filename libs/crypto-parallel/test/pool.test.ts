// The verification pool (issue #3), with 2 worker threads and with none: honest
// contests verify; tampered ones are reported with their global index, code
// and path exactly as batchVerifyContests reports them in this thread; an
// async source is read lazily with bounded jobs in flight; tally sums equal
// @acta/crypto's; and worker crashes, exits, backend disagreements and
// malformed-chunk replies reject with clear errors.
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  ZERO_CIPHERTEXT,
  batchVerifyContests,
  ciphertextsEqual,
  createSeededRng,
  encodeEncryptedContest,
  getCryptoBackend,
  sumCiphertexts,
  type Ciphertext,
  type ContestItem,
} from '@acta/crypto';
import {
  createVerificationPool,
  type ParallelBatchFailure,
  type EncodedContestJob,
  type VerificationPool,
} from '../src/index.js';
import { createVerificationPoolWithWorker } from '../src/pool.js';
import {
  ELECTION_HASH,
  HONEST,
  changeCiphertext,
  changeResponse,
  fromOtherElection,
  identityCommitment,
  swapProofs,
} from './helpers.js';

const CHUNK = 4;

function replaceAt(
  jobs: readonly ContestItem[],
  changes: Record<number, ContestItem>,
): ContestItem[] {
  return jobs.map((job, i) => changes[i] ?? job);
}

/** A selection proof with a third branch: the wrong shape for a 0/1 proof. */
function extraBranch(job: ContestItem): ContestItem {
  const selections = job.contest.selections.slice();
  const s = selections[0]!;
  selections[0] = {
    ...s,
    proof: {
      commitments: [...s.proof.commitments, s.proof.commitments[0]!],
      challenges: [...s.proof.challenges, Scalar.ONE],
      responses: [...s.proof.responses, Scalar.ONE],
    },
  };
  return { ...job, contest: { ...job.contest, selections } };
}

/** Tampered contests in several chunks, with the failure each must produce. */
const TAMPERED: Record<number, { job: ContestItem; code: string; where: string }> = {
  1: {
    job: { ...HONEST[1]!, limit: 0 },
    code: 'PROOF_SHAPE_MISMATCH',
    where: 'contest[1].limitProof.bound',
  },
  3: {
    job: changeCiphertext(HONEST[3]!),
    code: 'PROOF_CHALLENGE_MISMATCH',
    where: 'contest[3].selections[1].challenges',
  },
  9: {
    job: swapProofs(HONEST[9]!),
    code: 'PROOF_CHALLENGE_MISMATCH',
    where: 'contest[9].selections[0].challenges',
  },
  14: {
    job: fromOtherElection(14),
    code: 'PROOF_CHALLENGE_MISMATCH',
    where: 'contest[14].selections[0].challenges',
  },
  15: {
    job: { ...HONEST[15]!, contest: { ...HONEST[15]!.contest, selections: [] } },
    code: 'PROOF_SHAPE_MISMATCH',
    where: 'contest[15].selections',
  },
  21: {
    job: extraBranch(HONEST[21]!),
    code: 'PROOF_SHAPE_MISMATCH',
    where: 'contest[21].selections[0]',
  },
  22: {
    job: changeResponse(HONEST[22]!),
    code: 'PROOF_EQUATION_FAILED',
    where: 'contest[22].selections[2].branch[0][G]',
  },
  26: {
    job: { ...HONEST[26]!, publicKey: GroupElement.IDENTITY },
    code: 'IDENTITY_ELEMENT',
    where: 'contest[26].selections[0].publicKey',
  },
  29: {
    job: { ...HONEST[29]!, context: { electionHash: ELECTION_HASH.subarray(1) } },
    code: 'INVALID_LENGTH',
    where: 'contest[29].selections[0].electionHash',
  },
};

const MIXED = replaceAt(
  HONEST,
  Object.fromEntries(Object.entries(TAMPERED).map(([i, t]) => [i, t.job])),
);

/** batchVerifyContests' failures, in this thread, in the pool's form. */
function inThreadFailures(jobs: readonly ContestItem[]): ParallelBatchFailure[] {
  return batchVerifyContests(jobs).failures.map((f) => ({
    index: f.index,
    code: f.error.code,
    where: f.error.where,
    message: f.error.message,
    stage: 'verify',
  }));
}

/** n distinct ciphertexts, made by a walk of additions (cheap on every backend). */
function walkCiphertexts(n: number, seed: string): Ciphertext[] {
  const rng = createSeededRng(seed);
  const step = GroupElement.fromUniformBytes(rng.randomBytes(64));
  let alpha = GroupElement.fromUniformBytes(rng.randomBytes(64));
  let beta = GroupElement.fromUniformBytes(rng.randomBytes(64));
  return Array.from({ length: n }, () => {
    alpha = alpha.add(step);
    beta = beta.add(alpha);
    return { alpha, beta };
  });
}

describe.each([2, 0])('a verification pool with %i workers', (workers) => {
  let pool: VerificationPool;
  beforeAll(() => {
    pool = createVerificationPool({ workers, chunkSize: CHUNK });
  });
  afterAll(() => pool.close());

  it('runs on the backend of this thread', async () => {
    expect(pool.workers).toBe(workers);
    await expect(pool.ready()).resolves.toBe(getCryptoBackend().name);
    expect(pool.backend).toBe(getCryptoBackend().name);
  });

  it('verifies honest contests under several keys and contexts', async () => {
    const progress: number[] = [];
    const outcome = await pool.verifyContests(HONEST, { onProgress: (d) => progress.push(d) });
    expect(outcome).toEqual({
      ok: true,
      checked: HONEST.length,
      failures: [],
      chunks: Math.ceil(HONEST.length / CHUNK),
      fellBack: 0,
      workers,
    });
    // Progress grows by whole chunks (they may finish in any order) up to the total.
    expect(progress).toHaveLength(outcome.chunks);
    expect(progress.every((d, i) => i === 0 || d > progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(HONEST.length);
    expect(batchVerifyContests(HONEST).ok).toBe(true);
  });

  it('verifies an empty source', async () => {
    await expect(pool.verifyContests([])).resolves.toEqual({
      ok: true,
      checked: 0,
      failures: [],
      chunks: 0,
      fellBack: 0,
      workers,
    });
  });

  it('reports tampered contests by global index, code and path, as batchVerifyContests does', async () => {
    const outcome = await pool.verifyContests(MIXED);
    expect(outcome.ok).toBe(false);
    expect(outcome.checked).toBe(MIXED.length);
    expect(outcome.failures.map((f) => [f.index, f.code, f.where])).toEqual(
      Object.entries(TAMPERED).map(([i, t]) => [Number(i), t.code, t.where]),
    );
    expect(outcome.failures).toEqual(inThreadFailures(MIXED));
    // Only the chunk holding the equation failure (22) needed the one-by-one fallback.
    expect(outcome.fellBack).toBe(1);
  });

  it('verifies contests in JSON form as it verifies decoded ones, decoding where it verifies', async () => {
    const encode = (jobs: readonly ContestItem[]): EncodedContestJob[] =>
      jobs.map((job) => ({
        ...job,
        contest: JSON.parse(JSON.stringify(encodeEncryptedContest(job.contest))) as unknown,
      }));
    const honest = await pool.verifyEncodedContests(encode(HONEST));
    expect(honest).toMatchObject({ ok: true, checked: HONEST.length, failures: [], workers });
    const decoded = await pool.verifyContests(MIXED);
    const encoded = await pool.verifyEncodedContests(encode(MIXED));
    expect(encoded.checked).toBe(MIXED.length);
    expect(encoded.failures.map((f) => [f.index, f.code])).toEqual(
      decoded.failures.map((f) => [f.index, f.code]),
    );
    // Same places, except where the JSON decoder finds the fault first (a third branch);
    // what does not decode (no selections, a third branch) fails at the decode stage.
    for (const [i, f] of encoded.failures.entries()) {
      const want = decoded.failures[i]!.where;
      expect(f.where).toBe(f.index === 21 ? `${want}.proof` : want);
      expect(f.stage).toBe(f.index === 15 || f.index === 21 ? 'decode' : 'verify');
    }
    // A contest that does not decode fails with the decoder's code and place.
    const broken = encode(HONEST.slice(0, 5));
    broken[3] = { ...broken[3]!, contest: { selections: 'none', limitProof: {} } };
    const outcome = await pool.verifyEncodedContests(broken);
    expect(outcome.failures.map((f) => [f.index, f.code, f.where, f.stage])).toEqual([
      [3, 'MALFORMED', 'contest[3]', 'decode'],
    ]);
  });

  it('rejects identity proof commitments, as the JSON decoder does', async () => {
    const jobs = replaceAt(HONEST.slice(0, 8), { 5: identityCommitment(HONEST[5]!) });
    const outcome = await pool.verifyContests(jobs);
    expect(outcome.failures).toEqual([
      {
        index: 5,
        code: 'IDENTITY_ELEMENT',
        where: 'contest[5].limitProof.commitments[0].b',
        message:
          'IDENTITY_ELEMENT at contest[5].limitProof.commitments[0].b: the identity element is not allowed here',
        stage: 'decode',
      },
    ]);
  });

  it('reads an async source lazily, with at most maxQueuedChunks × chunkSize jobs in flight', async () => {
    const maxQueuedChunks = 2;
    const bounded = createVerificationPool({ workers, chunkSize: CHUNK, maxQueuedChunks });
    const total = 3 * maxQueuedChunks * CHUNK + 3;
    let produced = 0;
    let done = 0;
    let mostInFlight = 0;
    async function* source(): AsyncGenerator<ContestItem> {
      for (let i = 0; i < total; i++) {
        await Promise.resolve();
        produced++;
        mostInFlight = Math.max(mostInFlight, produced - done);
        yield HONEST[i % HONEST.length]!;
      }
    }
    try {
      const outcome = await bounded.verifyContests(source(), {
        onProgress: (d) => {
          done = d;
        },
      });
      expect(outcome.ok).toBe(true);
      expect(outcome.checked).toBe(total);
      // Workers get maxQueuedChunks chunks ahead; the calling thread works one chunk at a time.
      expect(mostInFlight).toBe(workers === 0 ? CHUNK : maxQueuedChunks * CHUNK);
    } finally {
      await bounded.close();
    }
  });

  it('refuses a context it cannot send with a RangeError, and closes the source', async () => {
    let closed = false;
    function* source(): Generator<ContestItem> {
      try {
        yield* HONEST.slice(0, 5);
        yield { ...HONEST[5]!, context: { electionHash: ELECTION_HASH, label: [-1] } };
        yield* HONEST.slice(6);
      } finally {
        closed = true;
      }
    }
    await expect(pool.verifyContests(source())).rejects.toThrow(
      /job 5: a label number must be a non-negative safe integer/,
    );
    expect(closed).toBe(true);
    const element = {
      ...HONEST[0]!,
      context: { ...HONEST[0]!.context, label: [GroupElement.GENERATOR] },
    };
    await expect(pool.verifyContests([element])).rejects.toThrow(RangeError);
    // The pool is still usable.
    await expect(pool.verifyContests(HONEST.slice(0, 3))).resolves.toMatchObject({ ok: true });
  });

  it('sums ciphertext groups as sumCiphertexts does, large groups split across tasks', async () => {
    const cts = walkCiphertexts(320, `sums-${workers}`);
    const groups: Ciphertext[][] = [
      [],
      cts.slice(0, 5),
      [ZERO_CIPHERTEXT, cts[5]!],
      cts.slice(6, 306),
      [cts[306]!],
      cts.slice(307),
    ];
    const sums = await pool.sumCiphertexts(groups);
    expect(sums).toHaveLength(groups.length);
    groups.forEach((g, i) => {
      expect(ciphertextsEqual(sums[i]!, sumCiphertexts(g)), `group ${i}`).toBe(true);
    });
    expect(sums[0]!.alpha.isIdentity() && sums[0]!.beta.isIdentity()).toBe(true);
    await expect(pool.sumCiphertexts([])).resolves.toEqual([]);
  });

  it('closes idempotently, and refuses work once closed', async () => {
    const p = createVerificationPool({ workers });
    await p.close();
    await p.close();
    await expect(p.verifyContests(HONEST.slice(0, 1))).rejects.toThrow(/closed/);
    await expect(p.sumCiphertexts([[]])).rejects.toThrow(/closed/);
  });
});

describe('createVerificationPool', () => {
  it('defaults to one worker per available core', async () => {
    const pool = createVerificationPool();
    try {
      expect(pool.workers).toBe(availableParallelism());
      expect(pool.maxQueuedChunks).toBe(Math.max(2, 2 * availableParallelism()));
    } finally {
      await pool.close();
    }
  });

  it('refuses bad options with a RangeError', () => {
    expect(() => createVerificationPool({ workers: -1 })).toThrow(RangeError);
    expect(() => createVerificationPool({ workers: 1.5 })).toThrow(RangeError);
    expect(() => createVerificationPool({ workers: 0, chunkSize: 0 })).toThrow(RangeError);
    expect(() => createVerificationPool({ workers: 0, maxQueuedChunks: 0 })).toThrow(RangeError);
  });
});

describe('worker failures', () => {
  const FAKE_WORKER = new URL('./fixtures/fake-worker.mjs', import.meta.url);
  /** A pool of fake workers (fixtures/fake-worker.mjs), which read their mode from the environment. */
  function fakePool(mode: string, workers: number): VerificationPool {
    process.env.ACTA_FAKE_WORKER_MODE = mode;
    try {
      return createVerificationPoolWithWorker(FAKE_WORKER, { workers });
    } finally {
      delete process.env.ACTA_FAKE_WORKER_MODE;
    }
  }

  it('rejects with a clear Error when a worker crashes, and stays out of service', async () => {
    const pool = fakePool('crash', 2);
    await expect(pool.verifyContests(HONEST.slice(0, 2))).rejects.toThrow(
      /worker \d crashed: simulated worker bug/,
    );
    await expect(pool.sumCiphertexts([[]])).rejects.toThrow(/crashed/);
    await pool.close();
  });

  it('rejects when a worker exits', async () => {
    const pool = fakePool('exit', 1);
    await expect(pool.verifyContests(HONEST.slice(0, 2))).rejects.toThrow(
      /worker 0 exited unexpectedly \(code 3\)/,
    );
    await pool.close();
  });

  it('rejects the operation when a worker refuses a chunk', async () => {
    const pool = fakePool('reject', 1);
    await expect(pool.verifyContests(HONEST.slice(0, 2))).rejects.toThrow(
      /rejected a chunk \(an internal error\): RangeError: malformed/,
    );
    await pool.close();
  });

  it('refuses workers that disagree on the backend', async () => {
    const pool = fakePool('disagree', 2);
    await expect(pool.ready()).rejects.toThrow(/disagree on the crypto backend/);
    expect(() => pool.backend).toThrow(/disagree/);
    await pool.close();
  });

  it('refuses a worker whose backend failed to load', async () => {
    const pool = fakePool('badbackend', 1);
    await expect(pool.ready()).rejects.toThrow(/worker 0: the native kernel is broken/);
    await pool.close();
  });

  it('says how to build a missing worker script', () => {
    const missing = new URL('./fixtures/no-such-worker.js', import.meta.url);
    expect(() => createVerificationPoolWithWorker(missing, { workers: 1 })).toThrow(
      /compiled worker .* is missing; build first/,
    );
  });
});
