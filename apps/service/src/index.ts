/**
 * @acta/service — the election service (issue #4): the lifecycle of an
 * election on a bulletin board store, its simulation, and the record export.
 */
export { ElectionService, type ServiceOptions, type Receipt } from './service.js';
export {
  simulateElection,
  type SimulationOptions,
  type SimulationPhase,
  type SimulationResult,
} from './simulate.js';
export { exportRecord, type ExportSummary } from './export.js';
export {
  proveInclusion,
  proveConsistency,
  type BoardInclusion,
  type BoardConsistency,
} from './proofs.js';
