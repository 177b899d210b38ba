/** @acta/cli — the `acta` command; exported for in-process tests. */
export { runCli, buildProgram, UsageError } from './main.js';
export {
  runDemoElection,
  checkDemoOptions,
  DemoCheckFailed,
  type DemoOptions,
  type DemoReport,
} from './demo.js';
