#!/usr/bin/env node
/** runbridge command line: serve | validate | render | status | trigger. */
import { runCli } from './cli/run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
