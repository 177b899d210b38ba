/**
 * The 95,415 polling stations of the 2012 Russian presidential election
 * (`ru2012-president-stations.csv.zip`, the CEC's station protocols;
 * shared/BRIEF.md) as `MesaResult`s: the classic case of the forensics
 * literature — Kobak, Shpilkin & Pshenichnikov (AOAS 2016) on integer
 * percentages, Klimek, Yegorov, Hanel & Thurner (PNAS 2012) on the
 * fingerprint.
 *
 * The zip holds one CSV (`2012.csv`, UTF-8, Russian headers): region, tik
 * (territorial commission), uik (station number), the 18 lines of the
 * station protocol, the five candidates, url. The mapping:
 *
 * - id = `"<region>.<uik>"`: station numbers repeat across regions (90,558
 *   of them do) but not within one;
 * - region = [region, tik];
 * - registered = "Число избирателей, включенных в список избирателей";
 * - voters = ballots issued, the sum of the three "issued" lines: in
 *   advance (досрочно), in the station on the day (в помещении), outside
 *   the station on the day (вне помещения) — the turnout numerator of
 *   BRIEF.md and of Kobak et al.;
 * - invalid = "Число недействительных избирательных бюллетеней", valid =
 *   "Число действительных избирательных бюллетеней", blank = null (a
 *   Russian ballot has no blank vote apart from the invalid ones);
 * - votes = the five candidates in the file's order, keyed by Latin
 *   surname (`RU2012_CANDIDATES` gives the header names). The leader
 *   (`RU2012_LEADER`) is Putin; his share is Putin / (valid + invalid).
 *
 * The other protocol lines (ballots received, cancelled, in the boxes,
 * absentee certificates, lost) are known columns, not read.
 */
import { unzipSync } from 'fflate';
import { readCsvTable, type CsvTableSpec } from './import-generic-csv.js';
import type { ImportProblem, ImportResult } from './mesa-result.js';

/** A candidate of 2012: the key in `MesaResult.votes` and the file's column. */
export interface RuCandidate {
  readonly key: string;
  /** The column header: the full name in Russian. */
  readonly column: string;
}

/** The five candidates in the file's order. */
export const RU2012_CANDIDATES: readonly RuCandidate[] = [
  { key: 'Zhirinovsky', column: 'Жириновский Владимир Вольфович' },
  { key: 'Zyuganov', column: 'Зюганов Геннадий Андреевич' },
  { key: 'Mironov', column: 'Миронов Сергей Михайлович' },
  { key: 'Prokhorov', column: 'Прохоров Михаил Дмитриевич' },
  { key: 'Putin', column: 'Путин Владимир Владимирович' },
];

/** The winner of 2012, whose share the forensic tests examine. */
export const RU2012_LEADER = 'Putin';

/** The columns read, in the order of the spec below. */
export const RU2012_REQUIRED_COLUMNS: readonly string[] = [
  'region',
  'tik',
  'uik',
  'Число избирателей, включенных в список избирателей',
  'Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно',
  'Число избирательных бюллетеней, выданных в помещении для голосования в день голосования',
  'Число избирательных бюллетеней, выданных вне помещения для голосования в день голосования',
  'Число недействительных избирательных бюллетеней',
  'Число действительных избирательных бюллетеней',
  ...RU2012_CANDIDATES.map((c) => c.column),
];

/** Protocol lines the file has and the import does not need. */
const RU2012_OTHER_COLUMNS: readonly string[] = [
  'Число избирательных бюллетеней, полученных участковой избирательной комиссией',
  'Число погашенных избирательных бюллетеней',
  'Число избирательных бюллетеней в переносных ящиках для голосования',
  'Число бюллетеней в стационарных ящиках для голосования',
  // The file's header has two spaces in this one.
  'Число полученных открепительных  удостоверений',
  'Число открепительных удостоверений, выданных избирателям на избирательном участке',
  'Число избирателей, проголосовавших по открепительным удостоверениям',
  'Число неиспользованных открепительных удостоверений',
  'Число открепительных удостоверений, выданных избирателям ТИК',
  'Число утраченных открепительных удостоверений',
  'Число утраченных избирательных бюллетеней',
  'Число избирательных бюллетеней, не учтенных при получении',
  'url',
];

const REGION = 0;
const TIK = 1;
const UIK = 2;
const REGISTERED = 3;
const ISSUED_EARLY = 4;
const ISSUED_INSIDE = 5;
const ISSUED_OUTSIDE = 6;
const INVALID = 7;
const VALID = 8;
const FIRST_CANDIDATE = 9;

const SPEC: CsvTableSpec = {
  required: RU2012_REQUIRED_COLUMNS,
  optional: RU2012_OTHER_COLUMNS,
  readRow: (row) => {
    const region = row.text(REGION);
    const uik = row.text(UIK);
    if (region === '' || !/^[0-9]{1,9}$/.test(uik)) {
      row.fail(
        'IMPORT_BAD_ID',
        region === ''
          ? 'the region is empty'
          : `uik ${JSON.stringify(uik.slice(0, 20))} is not a station number`,
      );
      return null;
    }
    const registered = row.count(REGISTERED);
    const issued = row.count(ISSUED_EARLY) + row.count(ISSUED_INSIDE) + row.count(ISSUED_OUTSIDE);
    const invalid = row.count(INVALID);
    const valid = row.count(VALID);
    const votes = new Map<string, number>();
    for (let c = 0; c < RU2012_CANDIDATES.length; c++) {
      votes.set(RU2012_CANDIDATES[c]?.key ?? '', row.count(FIRST_CANDIDATE + c));
    }
    if (row.failed) return null;
    return {
      id: `${region}.${uik}`,
      region: [region, row.text(TIK)],
      registered,
      voters: issued,
      valid,
      invalid,
      blank: null,
      votes,
    };
  },
};

/** Imports the station CSV itself (its text); `where` names the file. */
export function importRu2012Csv(text: string, where: string): ImportResult {
  return readCsvTable(text, SPEC, where);
}

/** Options of `importRu2012Zip`. */
export interface Ru2012ZipOptions {
  /**
   * The most bytes the CSV may claim to inflate to (default 256 MiB; the real
   * file is 31.5 MB): a hostile zip cannot make the import allocate more.
   */
  readonly maxUncompressedBytes?: number;
}

const DEFAULT_MAX_UNCOMPRESSED = 256 * 1024 * 1024;

/**
 * Imports `ru2012-president-stations.csv.zip` (its bytes): the one `.csv`
 * entry is inflated (fflate) and read by `importRu2012Csv`, with sources
 * `"<where>:<entry> row N"`. A zip that is not readable, holds no CSV, more
 * than one, or one larger than the limit fails with one problem.
 */
export function importRu2012Zip(
  bytes: Uint8Array,
  where: string,
  options: Ru2012ZipOptions = {},
): ImportResult {
  const limit = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED;
  const fail = (problem: ImportProblem): ImportResult => ({
    results: [],
    problems: [problem],
    rows: 0,
    skipped: 0,
  });
  if (bytes.length === 0) {
    return fail({ code: 'IMPORT_EMPTY', where, message: `${where} is empty` });
  }
  const csvNames: string[] = [];
  let tooLarge: string | null = null;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (!/\.csv$/i.test(file.name)) return false;
        csvNames.push(file.name);
        if (file.originalSize > limit) {
          tooLarge = file.name;
          return false;
        }
        return csvNames.length === 1;
      },
    });
  } catch (error: unknown) {
    // fflate throws on bytes that are not a zip it can read: hostile input, not a bug.
    return fail({
      code: 'IMPORT_MALFORMED',
      where,
      message: `${where} is not a readable zip file (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  if (tooLarge !== null) {
    return fail({
      code: 'IMPORT_MALFORMED',
      where,
      message: `${where}: entry ${JSON.stringify(tooLarge)} claims more than ${limit} bytes; not inflated`,
    });
  }
  if (csvNames.length !== 1) {
    return fail({
      code: csvNames.length === 0 ? 'IMPORT_EMPTY' : 'IMPORT_MALFORMED',
      where,
      message:
        csvNames.length === 0
          ? `${where} holds no .csv file`
          : `${where} holds ${csvNames.length} .csv files (${csvNames.join(', ')}); expected one`,
    });
  }
  const name = csvNames[0] ?? '';
  const data = files[name];
  if (data === undefined || data.length > limit) {
    return fail({
      code: 'IMPORT_MALFORMED',
      where,
      message: `${where}: entry ${JSON.stringify(name)} could not be inflated within ${limit} bytes`,
    });
  }
  // Not fatal on bad UTF-8: a mangled name still leaves the counts readable.
  const text = new TextDecoder('utf-8').decode(data);
  return importRu2012Csv(text, `${where}:${name}`);
}
