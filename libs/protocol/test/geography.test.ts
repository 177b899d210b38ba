// Geography lookups: mesas in manifest order with their place, O(1) lookup by
// mesa id, contests of a style, cards → candidates (the 2024 Venezuelan QR
// example of BRIEF.md), mesa ids; and the national example checked against
// the real 2024 actas (../shared/data) when they are present.
import { describe, expect, it } from 'vitest';
import { unwrap } from '@acta/crypto';
import {
  candidateTotals,
  cardCandidate,
  contestsOfStyle,
  findMesa,
  indexManifest,
  listMesas,
  parseMesaId,
} from '../src/geography.js';
import { formatMesaId, parseManifest } from '../src/manifest.js';
import { loadExample, readVe2024Rows, smallManifestJson } from './helpers-manifest.js';

const small = unwrap(parseManifest(smallManifestJson()));

/** The 38 counts of the acta 201301006.01.1.0001 QR payload quoted in BRIEF.md. */
const QR_COUNTS = [
  140, 7, 10, 8, 1, 7, 1, 0, 2, 3, 0, 1, 8, 1, 0, 1, 0, 3, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0,
  0, 5, 7, 155, 1, 1,
];

describe('listMesas / findMesa / indexManifest', () => {
  it('lists every mesa in manifest order with its place and style', () => {
    const mesas = listMesas(small);
    expect(mesas.map((m) => m.id)).toEqual([
      '010113009.01',
      '010113009.02',
      '010113042.01',
      '201301006.01',
      '201301006.12',
    ]);
    expect(mesas[3]).toEqual({
      id: '201301006.01',
      number: 1,
      index: 3,
      ballotStyle: 'full',
      stateCode: '20',
      stateName: 'Yaracuy',
      municipalityCode: '13',
      municipalityName: 'Manuel Monge',
      parishCode: '01',
      parishName: 'Yumare',
      centreCode: '201301006',
      centreName: 'Centro C',
    });
    expect(mesas.map((m) => m.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('finds a mesa by id, and nothing for ids that are not in the manifest', () => {
    expect(findMesa(small, '010113009.02')?.ballotStyle).toBe('full');
    expect(findMesa(small, '201301006.12')?.centreName).toBe('Centro C');
    for (const id of ['201301006.02', '010113009.1', '', '010113009.01 ', 'toString']) {
      expect(findMesa(small, id)).toBeUndefined();
    }
  });

  it('builds the index once per manifest object', () => {
    const index = indexManifest(small);
    expect(indexManifest(small)).toBe(index);
    expect(listMesas(small)).toBe(index.mesas);
    const other = unwrap(parseManifest(smallManifestJson()));
    expect(indexManifest(other)).not.toBe(index);
    expect(index.mesaById.size).toBe(5);
    expect([...index.contestById.keys()]).toEqual(['president', 'council']);
    expect([...index.styleById.keys()]).toEqual(['basic', 'full']);
  });

  it('finds every mesa of the national example, each under its own id', () => {
    const m = loadExample('national-ve2024');
    const mesas = listMesas(m);
    expect(mesas.length).toBeGreaterThan(100);
    for (const mesa of mesas) {
      expect(findMesa(m, mesa.id)).toBe(mesa);
      expect(mesa.id).toBe(formatMesaId(mesa.centreCode, mesa.number));
      expect(
        mesa.centreCode.startsWith(mesa.stateCode + mesa.municipalityCode + mesa.parishCode),
      ).toBe(true);
    }
    expect(new Set(mesas.map((x) => x.stateCode)).size).toBe(24);
    // The acta of BRIEF.md's QR example is in the example.
    expect(findMesa(m, '201301006.01')?.stateName).toBe('Yaracuy');
  });
});

describe('contestsOfStyle', () => {
  it('returns the contests of a style in ballot order', () => {
    expect(contestsOfStyle(small, 'full')?.map((c) => c.id)).toEqual(['president', 'council']);
    expect(contestsOfStyle(small, 'basic')?.map((c) => c.selectionLimit)).toEqual([1]);
    expect(contestsOfStyle(small, 'nope')).toBeUndefined();
    const municipal = loadExample('municipal');
    expect(contestsOfStyle(municipal, 'sucre-petare')?.map((c) => c.id)).toEqual([
      'mayor',
      'council',
      'referendum-parks',
      'petare-parish-board',
    ]);
  });
});

describe('cardCandidate / candidateTotals', () => {
  const president = loadExample('national-ve2024').contests[0]!;

  it('maps each of the 38 cards to its candidate', () => {
    expect(cardCandidate(president, 0)?.id).toBe('maduro'); // PSUV
    expect(cardCandidate(president, 12)?.id).toBe('maduro'); // PFV
    expect(cardCandidate(president, 13)?.id).toBe('martinez'); // AD
    expect(cardCandidate(president, 33)?.id).toBe('gonzalez'); // UNTC
    expect(cardCandidate(president, 35)?.name).toBe('Edmundo González Urrutia'); // MUD
    expect(cardCandidate(president, 37)?.id).toBe('rausseo'); // CONDE
    expect(cardCandidate(president, 38)).toBeUndefined();
    expect(cardCandidate(president, -1)).toBeUndefined();
  });

  it("sums BRIEF.md's QR counts per candidate (38 cards → 10 candidates)", () => {
    const totals = candidateTotals(president, QR_COUNTS);
    // Card positions (1-based): Maduro 1–13, Martínez 14–19, Bertucci 20, Brito 21–24,
    // Ecarri 25–30, Fermín 31, Ceballos 32–33, González 34–36, Márquez 37, Rausseo 38.
    expect(totals).toEqual({
      maduro: 140 + 7 + 10 + 8 + 1 + 7 + 1 + 0 + 2 + 3 + 0 + 1 + 8, // 188
      martinez: 1 + 0 + 1 + 0 + 3 + 1, // 6
      bertucci: 1,
      brito: 0 + 1 + 0 + 0, // 1
      ecarri: 0 + 0 + 0 + 0 + 1 + 2, // 3
      fermin: 0,
      ceballos: 0 + 0,
      gonzalez: 5 + 7 + 155, // 167
      marquez: 1,
      rausseo: 1,
    });
    expect(totals.maduro).toBe(188);
    expect(totals.gonzalez).toBe(167);
    expect(Object.keys(totals)).toEqual(president.candidates.map((c) => c.id));
    const sum = Object.values(totals).reduce((a, b) => a + b, 0);
    expect(sum).toBe(QR_COUNTS.reduce((a, b) => a + b, 0));
  });

  it('lists every candidate, zeros included', () => {
    expect(
      candidateTotals(
        president,
        QR_COUNTS.map(() => 0),
      ),
    ).toEqual(Object.fromEntries(president.candidates.map((c) => [c.id, 0])));
  });

  it('refuses counts that do not fit the contest (a programmer error)', () => {
    expect(() => candidateTotals(president, QR_COUNTS.slice(1))).toThrow(RangeError);
    expect(() => candidateTotals(president, [...QR_COUNTS, 0])).toThrow(RangeError);
    expect(() =>
      candidateTotals(
        president,
        QR_COUNTS.map((n, i) => (i === 5 ? -1 : n)),
      ),
    ).toThrow(RangeError);
    expect(() =>
      candidateTotals(
        president,
        QR_COUNTS.map((n, i) => (i === 5 ? 0.5 : n)),
      ),
    ).toThrow(RangeError);
    const huge = QR_COUNTS.map((n, i) => (i < 2 ? Number.MAX_SAFE_INTEGER : n));
    expect(() => candidateTotals(president, huge)).toThrow(RangeError);
  });
});

describe('parseMesaId', () => {
  it('takes a mesa id apart', () => {
    expect(unwrap(parseMesaId('010113042.01'))).toEqual({ centreCode: '010113042', mesaNumber: 1 });
    expect(unwrap(parseMesaId('201301006.12'))).toEqual({
      centreCode: '201301006',
      mesaNumber: 12,
    });
    expect(unwrap(parseMesaId('999999999.99'))).toEqual({
      centreCode: '999999999',
      mesaNumber: 99,
    });
  });

  it('round-trips with formatMesaId', () => {
    for (const mesa of listMesas(loadExample('national-ve2024'))) {
      const parts = unwrap(parseMesaId(mesa.id));
      expect(formatMesaId(parts.centreCode, parts.mesaNumber)).toBe(mesa.id);
    }
  });

  it('refuses what is not a mesa id, with BAD_MESA_ID at `where`', () => {
    for (const text of [
      '',
      '010113042',
      '010113042.1',
      '010113042.001',
      '10113042.01', // the CSV's unpadded centre
      '010113042.00', // mesa 00
      '010113000.01', // centre number 000
      '000113042.01', // state 00
      '010013042.01', // municipality 00
      '010100042.01', // parish 00
      '201301006.01.1.0001', // a whole CNE acta id
      ' 010113042.01',
      '010113042,01',
      '０10113042.01', // a full-width digit
    ]) {
      const r = parseMesaId(text, 'payload.mesa');
      expect(r.ok, text).toBe(false);
      if (r.ok) continue;
      expect([r.error.code, r.error.where]).toEqual(['BAD_MESA_ID', 'payload.mesa']);
    }
    const r = parseMesaId('x'.repeat(10_000));
    expect(!r.ok && r.error.message.length < 150).toBe(true);
    expect(!r.ok && r.error.where).toBe('mesa');
  });
});

describe('the national example against the real 2024 actas (../shared/data)', () => {
  const rows = readVe2024Rows();
  if (rows === undefined) {
    console.warn('ve2024-actas-v1.csv not found in ../shared/data: real-data checks skipped');
  }

  it.skipIf(rows === undefined)(
    'every mesa exists in the CSV, under the same state, municipality and parish',
    () => {
      const byMesa = new Map(
        rows!.map((r) => [`${r.CENTRO!.padStart(9, '0')}.${r.MESA!.padStart(2, '0')}`, r]),
      );
      for (const mesa of listMesas(loadExample('national-ve2024'))) {
        const row = byMesa.get(mesa.id);
        expect(row, mesa.id).toBeDefined();
        expect(Number(row!.COD_EDO)).toBe(Number(mesa.stateCode));
        expect(Number(row!.COD_MUN)).toBe(Number(mesa.municipalityCode));
        expect(row!.MUN).toBe(mesa.municipalityName);
        expect(row!.PAR).toBe(mesa.parishName);
      }
    },
  );

  it.skipIf(rows === undefined)(
    "the QR example's card totals agree with the CSV's transcription of the same acta",
    () => {
      const row = rows!.find((r) => r.CENTRO === '201301006' && r.MESA === '1')!;
      const t = candidateTotals(loadExample('national-ve2024').contests[0]!, QR_COUNTS);
      // CSV columns: EG González, NM Maduro, LM Martínez, JABE Bertucci, JOBR Brito,
      // AE Ecarri, CF Fermín, DC Ceballos, EM Márquez, BERA Rausseo.
      expect([
        t.gonzalez,
        t.maduro,
        t.martinez,
        t.bertucci,
        t.brito,
        t.ecarri,
        t.fermin,
        t.ceballos,
        t.marquez,
        t.rausseo,
      ]).toEqual(
        ['EG', 'NM', 'LM', 'JABE', 'JOBR', 'AE', 'CF', 'DC', 'EM', 'BERA'].map((k) =>
          Number(row[k]),
        ),
      );
    },
  );
});
