// Format detection from a file's first line or bytes: the committed extracts,
// hand-written first lines, and the real files' first bytes when present.
import { existsSync, openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../src/detect-format.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

const VE = fixture('ve2024-extract.csv');
const RU = fixture('ru2012-extract.csv');
const AL = fixture('al2013-extract.csv');
const firstLine = (text: string): string => text.split('\n')[0] ?? '';

describe('detectFormat', () => {
  it('the three real formats from their header line or whole text', () => {
    expect(detectFormat(VE)).toBe('ve2024');
    expect(detectFormat(firstLine(VE))).toBe('ve2024');
    expect(detectFormat(RU)).toBe('ru2012');
    expect(detectFormat(AL)).toBe('al2013');
    expect(detectFormat(firstLine(AL))).toBe('al2013');
  });

  it('bytes: a BOM, a zip holding a CSV', () => {
    expect(detectFormat(strToU8(VE))).toBe('ve2024');
    expect(detectFormat(zipSync({ '2012.csv': strToU8(RU) }))).toBe('ru2012');
    expect(detectFormat(zipSync({ 'photo.jpg': strToU8('x') }))).toBeNull();
    // The zip magic with too few bytes to name the entry.
    expect(detectFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBeNull();
  });

  it('a header with extra columns still fits its format', () => {
    expect(detectFormat(`${firstLine(VE).replace(/^\uFEFF/, '')},NOTES`)).toBe('ve2024');
  });

  it('Venezuelan QR payloads and Acta records', () => {
    expect(detectFormat('201301006.01.1.0001!140,7,10!0!0\n')).toBe('ve-qr');
    expect(detectFormat('\n\nACTA1!0011223344556677!010101001.01!1,1,1,0!1!ab!cd')).toBe('acta');
    expect(detectFormat('{"type":"witness","time":1,"body":{}}\n')).toBe('acta');
    expect(detectFormat('{\n  "format": "acta-record-v1",\n  "electionId": null\n}\n')).toBe(
      'acta',
    );
    expect(detectFormat('{"format": "something-else"}')).toBeNull();
  });

  it('any other header is generic CSV; data, one column or repeated names are not', () => {
    expect(detectFormat('mesa,registered,A,B\n1,2,3,4\n')).toBe('csv');
    expect(detectFormat('"mesa id";x')).toBeNull(); // one field (not comma-separated)
    expect(detectFormat('1,2,3,4\n')).toBeNull();
    expect(detectFormat('a,b,a\n')).toBeNull();
    expect(detectFormat('')).toBeNull();
    expect(detectFormat('\n \n')).toBeNull();
    expect(detectFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
  });

  it('a header that fits two known formats is ambiguous (null)', () => {
    const both = `${firstLine(VE).replace(/^\uFEFF/, '')},${firstLine(AL)
      .split(',')
      .filter((c) => c !== '')
      .join(',')},`;
    expect(detectFormat(both)).toBeNull();
  });
});

const DATA = new URL('../../../../shared/data/', import.meta.url);
const REAL = [
  've2024-actas-v1.csv',
  'ru2012-president-stations.csv.zip',
  'al2013-parliament-precincts.csv',
].map((name) => fileURLToPath(new URL(name, DATA)));

describe.skipIf(!REAL.every((p) => existsSync(p)))(
  'detectFormat on the real files’ first 4 KiB (skipped when ../shared/data lacks them)',
  () => {
    it('ve2024, ru2012, al2013', () => {
      const head = (path: string): Uint8Array => {
        const fd = openSync(path, 'r');
        const buf = new Uint8Array(4096);
        const n = readSync(fd, buf, 0, buf.length, 0);
        closeSync(fd);
        return buf.subarray(0, n);
      };
      expect(REAL.map((p) => detectFormat(head(p)))).toEqual(['ve2024', 'ru2012', 'al2013']);
    });
  },
);
