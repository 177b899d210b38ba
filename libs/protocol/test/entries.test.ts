// Entries from untrusted text (docs/spec-record.md §3, §5): the size limits
// in UTF-8 bytes, one canonical JSON text per value, the entry language (no
// booleans, nulls, fractions, negative numbers or lone surrogates), and the
// canonical parts that leaves and signatures cover.
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '@acta/crypto';
import {
  MAX_ELECTION_ENTRY_BYTES,
  MAX_ENTRY_BYTES,
  createSignedEntry,
  encodeEntry,
  parseEntryLine,
  serializeEntry,
  toCanonicalParts,
  utf8Length,
  verifyEntryBody,
} from '../src/index.js';

const key = generateSigningKeyPair().secretKey;
const witness = createSignedEntry(
  'witness',
  1_790_000_000_000,
  { name: 'Observadora', key: key.publicKey().toHex() },
  key,
);
const line = serializeEntry(witness);

function codeOf(text: string): string | undefined {
  const r = parseEntryLine(text, 'line');
  return r.ok ? undefined : r.error.code;
}

describe('parseEntryLine', () => {
  it('reads back what serializeEntry writes, signature intact', () => {
    const r = parseEntryLine(line);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(serializeEntry(r.value)).toBe(line);
    expect(verifyEntryBody('witness', r.value.body as never, key.publicKey().toHex(), 'w').ok).toBe(
      true,
    );
  });

  it('refuses any other text of the same value: whitespace, duplicate keys, -0, escapes', () => {
    expect(codeOf(` ${line}`)).toBe('MALFORMED_ENTRY');
    expect(codeOf(line.replace('{"type"', '{"type":"witness","type"'))).toBe('MALFORMED_ENTRY');
    expect(codeOf(line.replace('"time":1790000000000', '"time":1790000000000.0'))).toBe(
      'MALFORMED_ENTRY',
    );
    expect(codeOf(line.replace('Observadora', 'Observ\\u0061dora'))).toBe('MALFORMED_ENTRY');
    expect(codeOf(line.replace('"time":1790000000000', '"time":-0'))).toBe('MALFORMED_ENTRY');
    expect(codeOf('not json')).toBe('MALFORMED_JSON');
  });

  it('refuses values outside the entry language, lone surrogates included', () => {
    const body = witness.body as Record<string, unknown>;
    const withName = (name: unknown): string =>
      JSON.stringify({ type: 'witness', time: 1, body: { ...body, name } });
    expect(codeOf(withName('\ud800'))).toBe('MALFORMED_ENTRY');
    expect(codeOf(withName(true))).toBe('MALFORMED_ENTRY');
    expect(codeOf(JSON.stringify({ type: 'witness', time: 1.5, body }))).toBe('MALFORMED_ENTRY');
    expect(codeOf(JSON.stringify({ type: 'witness', time: -1, body }))).toBe('MALFORMED_ENTRY');
    expect(codeOf(JSON.stringify({ type: 'ghost', time: 1, body }))).toBe('UNKNOWN_ENTRY_TYPE');
  });

  it('measures size in UTF-8 bytes; only the election entry may exceed MAX_ENTRY_BYTES', () => {
    expect(utf8Length('aé€𝄞')).toBe(new TextEncoder().encode('aé€𝄞').length);
    const big = JSON.stringify({ type: 'witness', time: 1, body: { name: 'é'.repeat(600_000) } });
    expect(big.length).toBeLessThan(MAX_ENTRY_BYTES);
    expect(codeOf(big)).toBe('ENTRY_TOO_LARGE');
    const huge = JSON.stringify({
      type: 'election',
      time: 1,
      body: 'x'.repeat(MAX_ELECTION_ENTRY_BYTES),
    });
    expect(codeOf(huge)).toBe('ENTRY_TOO_LARGE');
    // An election entry over 1 MiB is judged by its schema, not its size.
    const large = JSON.stringify({
      type: 'election',
      time: 1,
      body: { manifest: 'x'.repeat(MAX_ENTRY_BYTES) },
    });
    expect(codeOf(large)).toBe('MALFORMED_ENTRY');
  });
});

describe('canonical parts', () => {
  it('do not depend on key order, and separate arrays, objects, strings and numbers', () => {
    expect(toCanonicalParts({ b: 1, a: 'x' })).toEqual(toCanonicalParts({ a: 'x', b: 1 }));
    expect(toCanonicalParts(['1'])).not.toEqual(toCanonicalParts([1]));
    expect(toCanonicalParts([])).not.toEqual(toCanonicalParts({}));
    const swapped = { ...witness, body: { ...witness.body, name: 'Observador' } } as typeof witness;
    expect(encodeEntry(swapped)).not.toEqual(encodeEntry(witness));
  });
});
