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
