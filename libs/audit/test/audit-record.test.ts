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
    const m = s.position % 5;
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
  return must(startAuditRecord({ method, riskLimit: 10, contest, seed: { ceremony }, manifest }));
}

function audited(sizes: readonly number[], method: 'bravo' | 'minerva' = 'bravo'): AuditRecord {
  let record = started(method);
  for (const size of sizes) {
    record = must(drawAuditRound(record, manifest, size));
    record = must(recordAuditResults(record, readPaper(record)));
  }
  return record;
}

function codes(record: unknown, m: AuditManifest = manifest): string[] {
  return verifyAuditRecord(record, m).problems.map((p) => `${p.code} ${p.where}`);
}

describe('audit record', () => {
  for (const method of ['bravo', 'minerva'] as const) {
    it(`${method}: a record kept round by round verifies, with the seed from the ceremony`, () => {
      const record = audited([40, 60], method);
      const report = verifyAuditRecord(JSON.parse(JSON.stringify(record)), manifest);
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
    expect(verifyAuditRecord(record, manifest).status).toBe('confirmed');
    const more = drawAuditRound(record, manifest, 10);
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
    let record = must(drawAuditRound(started(), manifest, 10));
    const tooMany = recordAuditResults(record, { cand1: 8, cand2: 3 });
    expect(!tooMany.ok && tooMany.error.map((p) => p.code)).toEqual([
      'AUDIT_RECORD_RESULTS_EXCEED_SAMPLE',
    ]);
    const unknown = recordAuditResults(record, { cand3: 1 });
    expect(!unknown.ok && unknown.error.map((p) => p.where)).toEqual([
      'audit record: rounds[0].results: round1.cand3',
    ]);
    record = must(recordAuditResults(record, { cand1: 6, cand2: 3 }));
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
    const record = must(drawAuditRound(started(), manifest, 5));
    const again = drawAuditRound(record, manifest, 5);
    expect(!again.ok && again.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_ROUND_OPEN']);
    const none = recordAuditResults(started(), { cand1: 1 });
    expect(!none.ok && none.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_ROUND_NUMBER']);
    const wrong = drawAuditRound(started(), { ...manifest, sha256: '00'.repeat(32) }, 5);
    expect(!wrong.ok && wrong.error.map((p) => p.code)).toEqual(['AUDIT_RECORD_MANIFEST_MISMATCH']);
  });

  it('a tied contest cannot be confirmed by sampling: full hand count', () => {
    let record = must(
      startAuditRecord({
        method: 'bravo',
        riskLimit: 5,
        contest: { a: 500, b: 500, ballots: 1000, numWinners: 1, votesAllowed: 1 },
        seed: { value: '01234567890123456789' },
        manifest,
      }),
    );
    record = must(drawAuditRound(record, manifest, 30));
    record = must(recordAuditResults(record, { a: 15, b: 15 }));
    const report = verifyAuditRecord(record, manifest);
    expect(report.ok).toBe(true);
    expect(report.status).toBe('full-hand-count');
    expect(report.next?.['all-ballots']?.size).toBe(1000);
  });
});
