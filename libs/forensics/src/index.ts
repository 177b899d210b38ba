/**
 * @acta/forensics — acta cross-checking and election forensics over per-mesa
 * results (issue #7): pure functions, no I/O.
 */
export type { ImportCode, ImportProblem, ImportResult, MesaResult } from './mesa-result.js';
export * from './random.js';
export * from './distributions.js';
export * from './integer-peaks.js';
export * from './digit-tests.js';
export * from './correlation.js';
export * from './reconcile-types.js';
export { reconcileActas } from './reconcile.js';
export {
  importGenericCsv,
  type CsvColumnMapping,
  type CsvDelimiter,
} from './import-generic-csv.js';
export * from './import-ve2024.js';
export * from './import-ve-qr.js';
export * from './import-ru2012.js';
export * from './import-al2013.js';
export * from './detect-format.js';
export * from './fingerprint.js';
export * from './klimek-model.js';
export * from './simulate-election.js';
export * from './inject-fraud.js';
export * from './detection-power.js';
export * from './import-acta-record.js';
export * from './import-acta-qr.js';
export * from './import-acta-photo.js';
export { computeQuantileSorted } from './quantile.js';
