#!/usr/bin/env node
/** runbridge command line: serve | validate | render | status | trigger. */

/**
 * libuv's threadpool runs every file system call; its default of 4 threads lets four fsyncs of
 * run files and state keep every other call waiting. Set before anything uses the pool (it is
 * sized on first use), unless the environment chose a size.
 */
const THREADPOOL_SIZE = 16;
process.env['UV_THREADPOOL_SIZE'] ??= String(THREADPOOL_SIZE);

const { runCli } = await import('./cli/run-cli.ts');

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
