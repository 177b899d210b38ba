#!/usr/bin/env node
// The `acta` executable: runs the compiled CLI (built by `npm ci` through the
// root `prepare` script).
import { runCli } from '../dist/main.js';

process.exitCode = await runCli(process.argv);
