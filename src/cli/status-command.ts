import { parseArgs } from 'node:util';
import { STATUS_PATH } from '../chaining/status/status-route.ts';
import { formatStatus } from '../chaining/status/format-status.ts';
import type { StatusReport } from '../chaining/status/status-report.ts';
import type { Command } from './commands.ts';
import { redactUrlCredentials } from '../observability/redact-url.ts';

const DEFAULT_URL = 'http://127.0.0.1:8080';

export const statusCommand: Command = {
  summary: 'show each run configuration (triggers, last run, latest artifacts, unresolved dependencies) and the intake backlog',
  help: `Usage: runbridge status [--url URL] [--json]

Asks a running runbridge for GET /status and prints one row per run configuration: its triggers
(git, schedules, upstreams), the last run it started, the latest artifacts of its succeeded runs
and its upstream dependencies; then every reason a run configuration cannot start (unresolved
artifacts, a join still waiting, the last refusal); then the intake's backlog: events stored whose
runs are still to come (why they wait, when they are tried next) and dead letters (why they
stopped; \`runbridge retry ID\` takes one back after a fix).

Options:
  -u, --url URL   where runbridge serves (default: $RUNBRIDGE_URL, else ${DEFAULT_URL})
      --json      print the report as JSON instead of a table
  -h, --help      this help

Exit status: 0 when the report was printed, 1 when runbridge could not be reached or refused.
`,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { url: { type: 'string', short: 'u' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const base = (values.url ?? io.env['RUNBRIDGE_URL'] ?? DEFAULT_URL).replace(/\/+$/, '');
    const shown = redactUrlCredentials(base);
    let response: Response;
    try {
      response = await fetch(`${base}${STATUS_PATH}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      io.stderr.write(`runbridge status: cannot reach ${shown}${STATUS_PATH}: ${redactUrlCredentials(String(cause))}\n`);
      return 1;
    }
    const text = await response.text();
    if (!response.ok) {
      io.stderr.write(`runbridge status: ${shown}${STATUS_PATH} answered ${response.status}: ${text.slice(0, 500)}\n`);
      return 1;
    }
    if (values.json) {
      io.stdout.write(`${text}\n`);
      return 0;
    }
    try {
      io.stdout.write(formatStatus(JSON.parse(text) as StatusReport));
    } catch (error) {
      io.stderr.write(`runbridge status: ${shown}${STATUS_PATH} did not answer a status report: ${(error as Error).message}\n`);
      return 1;
    }
    return 0;
  },
};
