// The record's small files against what they describe or copy
// (docs/spec-verifier.md V1, V4): exact renderings pass; any difference —
// a changed value, a re-indented but equal copy, a missing or unlisted file,
// a wrong entry count — is reported with its code and file.
import { describe, expect, it } from 'vitest';
import type { VerificationCode } from '../src/codes.js';
import { checkCopies, RECORD_FILES, type RecordFacts } from '../src/record-files.js';

const head = JSON.stringify({
  logId: 'e1',
  treeSize: 3,
  rootHash: 'ab'.repeat(32),
  timestamp: 5,
  signature: 'cd'.repeat(64),
});
const manifest = { format: 'acta-manifest-v1', electionId: 'e1', contests: [{ id: 'c', n: 1 }] };
const totals = { mesas: 1, results: [{ contest: 'c', cards: [1, 2] }], signature: 'ee' };
const facts: RecordFacts = {
  entries: 3,
  entriesPresent: true,
  electionId: 'e1',
  manifest,
  totals,
  latestHeadLine: head,
};
const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
const honest = {
  'record.json': pretty({
    format: 'acta-record-v1',
    electionId: 'e1',
    entries: 3,
    treeHead: JSON.parse(head) as unknown,
    files: [...RECORD_FILES],
  }),
  'tree-head.json': `${head}\n`,
  'tree-heads.ndjson': `${head}\n`,
  'manifest.json': pretty(manifest),
  'totals.json': pretty(totals),
};

function check(files: Partial<Record<string, string>>, f: RecordFacts = facts) {
  const out: [VerificationCode, string][] = [];
  checkCopies(files, f, (code, where) => out.push([code, where]));
  return out;
}

describe('checkCopies', () => {
  it('accepts the exact renderings', () => {
    expect(check(honest)).toEqual([]);
  });

  it('refuses a copy that parses to the same value but is written differently', () => {
    expect(
      check({ ...honest, 'manifest.json': `${JSON.stringify(manifest, null, '\t')}\n` }),
    ).toEqual([['COPY_MISMATCH', 'manifest.json']]);
    expect(check({ ...honest, 'totals.json': JSON.stringify(totals, null, 2) })).toEqual([
      ['COPY_MISMATCH', 'totals.json'],
    ]);
    expect(check({ ...honest, 'tree-head.json': head })).toEqual([
      ['COPY_MISMATCH', 'tree-head.json'],
    ]);
  });

  it('reports a missing copy and a copy of nothing', () => {
    const { 'totals.json': _t, ...noTotals } = honest;
    expect(check(noTotals)).toContainEqual(['RECORD_FILE_MISSING', 'totals.json']);
    expect(check(honest, { ...facts, totals: undefined })).toContainEqual([
      'COPY_MISMATCH',
      'totals.json',
    ]);
  });

  it('checks record.json field by field against the record', () => {
    expect(check(honest, { ...facts, entries: 4 })).toEqual([
      ['RECORD_JSON_MISMATCH', 'record.json'],
    ]);
    expect(check({ ...honest, 'record.json': honest['record.json'].replace('e1', 'e2') })).toEqual([
      ['RECORD_JSON_MISMATCH', 'record.json'],
    ]);
    expect(check({ ...honest, 'record.json': '{' })).toEqual([
      ['RECORD_JSON_INVALID', 'record.json'],
    ]);
    expect(
      check({ ...honest, 'record.json': honest['record.json'].replace('acta-record-v1', 'v2') }),
    ).toEqual([['RECORD_JSON_INVALID', 'record.json format']]);
    // A listed file that is absent.
    const { 'manifest.json': _m, ...noManifest } = honest;
    expect(check(noManifest)).toContainEqual(['RECORD_FILE_MISSING', 'manifest.json']);
    // A name that is no file of a record.
    const odd = honest['record.json'].replace('"totals.json"', '"secret.txt"');
    expect(check({ ...honest, 'record.json': odd })).toContainEqual([
      'RECORD_JSON_INVALID',
      'record.json files',
    ]);
  });
});
