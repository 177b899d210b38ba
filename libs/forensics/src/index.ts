/**
 * @acta/forensics — acta cross-checking and election forensics over per-mesa
 * results (issue #7): pure functions, no I/O.
 */
export type { ImportCode, ImportProblem, ImportResult, MesaResult } from './mesa-result.js';
