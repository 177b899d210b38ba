/** @acta/cli — the `acta` command; exported for in-process tests. */
export { runCli, buildProgram, UsageError } from './main.js';
export {
  DEMO_EXAMPLES,
  runElectionDemo,
  checkElectionDemoOptions,
  DemoCheckFailed,
  type ElectionDemoOptions,
  type ElectionDemoReport,
  type ContestReport,
} from './election-demo.js';
