// The audit record (issue #6, item 5): an audit kept round by round can be
// recomputed by anyone from its seed and the manifest; each kind of
// tampering — a ballot swapped in the sample, votes changed after the risk
// was computed, a reveal changed, another manifest, impossible results,
// rounds out of order — is found with its code and place; and an audit that
// cannot meet the risk limit ends in a full hand count.
import { describe, expect, it } from 'vitest';
import type { ManifestBatch } from '../src/arlo-sample.js';
import {
  drawAuditRound,
  recordAuditResults,
  startAuditRecord,
  verifyAuditRecord,
  type AuditManifest,
  type AuditRecord,
} from '../src/audit-record.js';
import { commitSeedContribution } from '../src/seed-ceremony.js';

const batches: ManifestBatch[] = Array.from({ length: 20 }, (_, i) => ({
  batch: `mesa ${i + 1}`,
  ballots: 50,
}));
const manifest: AuditManifest = { batches, sha256: 'ab'.repeat(32) };
const contest = { cand1: 600, cand2: 380, ballots: 1000, numWinners: 1, votesAllowed: 1 };
const nonce = '5a'.repeat(32);
const ceremony = {
  commitments: [
    { observer: 'A', commitment: commitSeedContribution('A', '1234567890', nonce) },
    { observer: 'B', commitment: commitSeedContribution('B', '0987654321', nonce) },
  ],
  reveals: [
    { observer: 'A', digits: '1234567890', nonce },
    { observer: 'B', digits: '0987654321', nonce },
  ],
};

/** The paper: ballot (batch, position) is for cand1 when its position mod 5 is 0–2, cand2 at 3, blank at 4. */
function readPaper(record: AuditRecord): Record<string, number> {
  const round = record.rounds.at(-1)!;
  const tally = { cand1: 0, cand2: 0 };
  for (const s of round.sample) {
    const m = (s.position ?? 0) % 5;
    if (m <= 2) tally.cand1 += 1;
    else if (m === 3) tally.cand2 += 1;
  }
  return tally;
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function started(method: 'bravo' | 'minerva' = 'bravo'): AuditRecord {
  return must(
    startAuditRecord({ method, riskLimit: 10, contest, seed: { ceremony }, inputs: { manifest } }),
  );
}

function audited(sizes: readonly number[], method: 'bravo' | 'minerva' = 'bravo'): AuditRecord {
  let record = started(method);
  for (const size of sizes) {
    record = must(drawAuditRound(record, { manifest }, size));
    record = must(recordAuditResults(record, { manifest }, readPaper(record)));
  }
  return record;
}

function codes(record: unknown, m: AuditManifest = manifest): string[] {
  return verifyAuditRecord(record, { manifest: m }).problems.map((p) => `${p.code} ${p.where}`);
}

describe('audit record', () => {
  for (const method of ['bravo', 'minerva'] as const) {
    it(`${method}: a record kept round by round verifies, with the seed from the ceremony`, () => {
      const record = audited([40, 60], method);
      const report = verifyAuditRecord(JSON.parse(JSON.stringify(record)), { manifest });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.seed).toBe('12345678900987654321');
      expect(report.rounds.map((r) => r.sampleSize)).toEqual([40, 60]);
      expect(report.status === 'confirmed' || report.status === 'in-progress').toBe(true);
      // The second round continues the first: no ticket repeats.
      const tickets = record.rounds.flatMap((r) => r.sample.map((s) => s.ticket));
      expect(new Set(tickets).size).toBe(tickets.length);
    });
  }

  it('a large enough sample of a wide margin confirms, and no round follows', () => {
    const record = audited([200]);
    expect(record.rounds[0]!.risk!.confirmed).toBe(true);
    expect(verifyAuditRecord(record, { manifest }).status).toBe('confirmed');
    const more = drawAuditRound(record, { manifest }, 10);
    expect(!more.ok && more.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_FINISHED']);
  });

  it('finds a ballot swapped in a sample', () => {
    const record = audited([40, 60]);
    const s = record.rounds[1]!.sample[7]!;
    const forged = structuredClone(record);
    forged.rounds[1]!.sample[7] = { ...s, position: s.position === 1 ? 2 : 1 };
    expect(codes(forged)).toEqual([
      'AUDIT_RECORD_SAMPLE_MISMATCH audit record: rounds[1].sample[7]',
    ]);
    const shorter = structuredClone(record);
    shorter.rounds[0]!.sample.pop();
    expect(codes(shorter)).toEqual([
      'AUDIT_RECORD_SAMPLE_MISMATCH audit record: rounds[0].sample[39]',
    ]);
  });

  it('finds votes changed after the risk was computed, and a changed risk', () => {
    const record = audited([40, 60]);
    const forged = structuredClone(record);
    forged.rounds[0]!.results = {
      ...forged.rounds[0]!.results,
      cand1: Number(forged.rounds[0]!.results!.cand1) + 1,
    };
    expect(codes(forged)).toEqual([
      'AUDIT_RECORD_RISK_MISMATCH audit record: rounds[0].risk',
      'AUDIT_RECORD_RISK_MISMATCH audit record: rounds[1].risk',
    ]);
    const claimed = structuredClone(record);
    claimed.rounds[1]!.risk = {
      ...claimed.rounds[1]!.risk!,
      confirmed: !claimed.rounds[1]!.risk!.confirmed,
    };
    expect(codes(claimed)).toEqual(['AUDIT_RECORD_RISK_MISMATCH audit record: rounds[1].risk']);
  });

  it('finds impossible results: more votes than sampled ballots, unknown candidates', () => {
    let record = must(drawAuditRound(started(), { manifest }, 10));
    const tooMany = recordAuditResults(record, { manifest }, { cand1: 8, cand2: 3 });
    expect(!tooMany.ok && tooMany.error.map((p) => p.code)).toEqual([
      'AUDIT_RECORD_RESULTS_EXCEED_SAMPLE',
    ]);
    const unknown = recordAuditResults(record, { manifest }, { cand3: 1 });
    expect(!unknown.ok && unknown.error.map((p) => p.where)).toEqual([
      'audit record: rounds[0].results: round1.cand3',
    ]);
    record = must(recordAuditResults(record, { manifest }, { cand1: 6, cand2: 3 }));
    const forged = structuredClone(record);
    forged.rounds[0]!.results = { cand1: 9, cand2: 3 };
    expect(codes(forged)).toContain(
      'AUDIT_RECORD_RESULTS_EXCEED_SAMPLE audit record: rounds[0].results',
    );
  });

  it('finds a changed reveal, another manifest, and rounds out of order', () => {
    const record = audited([40]);
    const reveal = structuredClone(record);
    if ('ceremony' in reveal.seed) reveal.seed.ceremony.reveals[1]!.digits = '0987654322';
    expect(codes(reveal)).toEqual(['AUDIT_RECORD_SEED audit record: seed.ceremony: reveals[1]']);
    const other: AuditManifest = {
      batches: [...batches, { batch: 'mesa 21', ballots: 1 }],
      sha256: 'cd'.repeat(32),
    };
    expect(codes(record, other)).toEqual(['AUDIT_RECORD_MANIFEST_MISMATCH audit record: manifest']);
    const renumbered = structuredClone(audited([20, 20]));
    renumbered.rounds[1]!.round = 3;
    expect(codes(renumbered)).toEqual(['AUDIT_RECORD_ROUND_NUMBER audit record: rounds[1]']);
    const malformed = { ...record, format: 'acta-audit-record/9' };
    expect(codes(malformed)).toEqual(['AUDIT_RECORD_MALFORMED audit record: format']);
  });

  it('refuses a draw while a round waits for its results, and results with no round', () => {
    const record = must(drawAuditRound(started(), { manifest }, 5));
    const again = drawAuditRound(record, { manifest }, 5);
    expect(!again.ok && again.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_ROUND_OPEN']);
    const none = recordAuditResults(started(), { manifest }, { cand1: 1 });
    expect(!none.ok && none.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_ROUND_NUMBER']);
    const wrong = drawAuditRound(
      started(),
      { manifest: { ...manifest, sha256: '00'.repeat(32) } },
      5,
    );
    expect(!wrong.ok && wrong.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_MANIFEST_MISMATCH']);
  });

  it('a tied contest cannot be confirmed by sampling: full hand count', () => {
    let record = must(
      startAuditRecord({
        method: 'bravo',
        riskLimit: 5,
        contest: { a: 500, b: 500, ballots: 1000, numWinners: 1, votesAllowed: 1 },
        seed: { value: '01234567890123456789' },
        inputs: { manifest },
      }),
    );
    record = must(drawAuditRound(record, { manifest }, 30));
    record = must(recordAuditResults(record, { manifest }, { a: 15, b: 15 }));
    const report = verifyAuditRecord(record, { manifest });
    expect(report.ok).toBe(true);
    expect(report.status).toBe('full-hand-count');
    expect(report.next?.['all-ballots']?.size).toBe(1000);
  });
});

describe('audit record: batch comparison (MACRO)', () => {
  // 20 mesas of 50 ballots; the actas report 30 for cand1, 18 for cand2 in each.
  const mesas: ManifestBatch[] = Array.from({ length: 20 }, (_, i) => ({
    batch: `mesa ${i + 1}`,
    ballots: 50,
  }));
  const mesaManifest: AuditManifest = { batches: mesas, sha256: '12'.repeat(32) };
  const actas = mesas.map((m) => ({
    batch: m.batch,
    votes: new Map([
      ['cand1', 30],
      ['cand2', 18],
    ]),
  }));
  const inputs = { manifest: mesaManifest, tallies: { batches: actas, sha256: '34'.repeat(32) } };
  const batchContest = { cand1: 600, cand2: 360, ballots: 1000, numWinners: 1, votesAllowed: 1 };

  function startMacro(): AuditRecord {
    return must(
      startAuditRecord({
        method: 'macro',
        riskLimit: 10,
        contest: batchContest,
        seed: { value: '11112222333344445555' },
        inputs,
      }),
    );
  }

  /** The hand counts of the mesas first drawn in the last round: `count(mesa)`. */
  function handCounts(
    record: AuditRecord,
    count: (mesa: string) => Record<string, number>,
  ): Record<string, unknown> {
    const before = new Set(record.rounds.slice(0, -1).flatMap((r) => r.sample.map((s) => s.batch)));
    const out: Record<string, unknown> = {};
    for (const s of record.rounds.at(-1)!.sample)
      if (!before.has(s.batch)) out[s.batch] = count(s.batch);
    return out;
  }

  it('hand counts that match the actas confirm; the record verifies', () => {
    let record = must(drawAuditRound(startMacro(), inputs, 12));
    expect(record.rounds[0]!.sample[0]).not.toHaveProperty('position');
    record = must(
      recordAuditResults(
        record,
        inputs,
        handCounts(record, () => ({ cand1: 30, cand2: 18 })),
      ),
    );
    const report = verifyAuditRecord(JSON.parse(JSON.stringify(record)), inputs);
    expect(report.problems).toEqual([]);
    expect(report.rounds[0]!.risk).toMatchObject({ confirmed: true });
    expect(report.status).toBe('confirmed');
  });

  it('an acta altered in favour of the winner is caught by its mesa’s hand count', () => {
    let record = must(drawAuditRound(startMacro(), inputs, 12));
    const altered = record.rounds[0]!.sample[0]!.batch;
    record = must(
      recordAuditResults(
        record,
        inputs,
        handCounts(record, (m) =>
          m === altered ? { cand1: 10, cand2: 38 } : { cand1: 30, cand2: 18 },
        ),
      ),
    );
    expect(record.rounds[0]!.risk!.confirmed).toBe(false);
    expect(verifyAuditRecord(record, inputs).status).not.toBe('confirmed');
  });

  it('refuses hand counts of mesas not drawn, and missing ones; finds other actas', () => {
    const record = must(drawAuditRound(startMacro(), inputs, 5));
    const counts = handCounts(record, () => ({ cand1: 30, cand2: 18 }));
    const drawn = Object.keys(counts);
    const notDrawn = mesas.map((m) => m.batch).find((b) => !drawn.includes(b))!;
    const stray = recordAuditResults(record, inputs, {
      ...counts,
      [notDrawn]: { cand1: 1, cand2: 1 },
    });
    expect(!stray.ok && stray.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_RESULTS_NOT_DRAWN']);
    const { [drawn[0]!]: _dropped, ...fewer } = counts;
    const missing = recordAuditResults(record, inputs, fewer);
    expect(!missing.ok && missing.error.map((p) => p.code)).toEqual([
      'AUDIT_RECORD_RESULTS_MISSING',
    ]);
    const other = { ...inputs, tallies: { ...inputs.tallies, sha256: '56'.repeat(32) } };
    expect(verifyAuditRecord(record, other).problems.map((p) => p.code)).toEqual([
      'AUDIT_RECORD_TALLIES_MISMATCH',
    ]);
    expect(
      verifyAuditRecord(record, { manifest: mesaManifest }).problems.map((p) => p.code),
    ).toEqual(['AUDIT_RECORD_INPUT_MISSING']);
  });
});

describe('audit record: ballot comparison (super-simple)', () => {
  const cvrBallots = new Map(
    batches.flatMap((b) =>
      Array.from({ length: b.ballots }, (_, i) => {
        const id = `${b.batch}:${i + 1}`;
        const m = (i + 1) % 5;
        const votes = new Map<string, 0 | 1>([
          ['cand1', m <= 2 ? 1 : 0],
          ['cand2', m === 3 ? 1 : 0],
        ]);
        return [id, { id, votes }] as const;
      }),
    ),
  );
  const inputs = { manifest, cvrs: { ballots: cvrBallots, sha256: '78'.repeat(32) } };
  const ssContest = { cand1: 600, cand2: 200, ballots: 1000, numWinners: 1, votesAllowed: 1 };

  function paperOf(record: AuditRecord, read: (id: string) => unknown): Record<string, unknown> {
    const before = new Set(
      record.rounds.slice(0, -1).flatMap((r) => r.sample.map((s) => `${s.batch}:${s.position}`)),
    );
    const out: Record<string, unknown> = {};
    for (const s of record.rounds.at(-1)!.sample) {
      const id = `${s.batch}:${s.position}`;
      if (!before.has(id)) out[id] = read(id);
    }
    return out;
  }
  const asCvr = (id: string): unknown => Object.fromEntries(cvrBallots.get(id)!.votes);

  it('paper that matches the CVRs confirms at the planned size; the record verifies', () => {
    let record = must(
      startAuditRecord({
        method: 'supersimple',
        riskLimit: 10,
        contest: ssContest,
        seed: { value: '98989898989898989898' },
        inputs,
      }),
    );
    record = must(drawAuditRound(record, inputs, 20));
    record = must(recordAuditResults(record, inputs, paperOf(record, asCvr)));
    const report = verifyAuditRecord(record, inputs);
    expect(report.problems).toEqual([]);
    expect(report.rounds[0]!.risk).toMatchObject({ confirmed: true });
  });

  it('a ballot not found raises the risk; marks other than 0/1 and ballots not drawn are refused', () => {
    let record = must(
      startAuditRecord({
        method: 'supersimple',
        riskLimit: 10,
        contest: ssContest,
        seed: { value: '98989898989898989898' },
        inputs,
      }),
    );
    record = must(drawAuditRound(record, inputs, 20));
    const paper = paperOf(record, asCvr);
    const first = Object.keys(paper)[0]!;
    const lost = must(recordAuditResults(record, inputs, { ...paper, [first]: 'not-found' }));
    const clean = must(recordAuditResults(record, inputs, paper));
    expect(lost.rounds[0]!.risk!.p_value!).toBeGreaterThan(clean.rounds[0]!.risk!.p_value!);
    const bad = recordAuditResults(record, inputs, { ...paper, [first]: { cand1: 2 } });
    expect(!bad.ok && bad.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_RESULTS']);
    const stray = recordAuditResults(record, inputs, { ...paper, 'mesa 99:1': { cand1: 1 } });
    expect(!stray.ok && stray.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_RESULTS_NOT_DRAWN']);
    const forged = structuredClone(clean);
    forged.rounds[0]!.results = { ...paper, [first]: { cand1: 0, cand2: 1 } };
    expect(verifyAuditRecord(forged, inputs).problems.map((p) => p.code)).toEqual([
      'AUDIT_RECORD_RISK_MISMATCH',
    ]);
    const otherCvrs = { ...inputs, cvrs: { ...inputs.cvrs, sha256: '90'.repeat(32) } };
    expect(verifyAuditRecord(clean, otherCvrs).problems.map((p) => p.code)).toEqual([
      'AUDIT_RECORD_CVRS_MISMATCH',
    ]);
  });
});
