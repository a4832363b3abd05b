import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { STATUS_PATH } from '../chaining/status/status-route.ts';
import { formatStatus } from '../chaining/status/format-status.ts';
import type { StatusReport } from '../chaining/status/status-report.ts';
import { unreachableReason } from './call-daemon.ts';
import type { Command } from './commands.ts';
import { redactUrlCredentials } from '../observability/redact-url.ts';

const DEFAULT_URL = 'http://127.0.0.1:8081';
/** A report of more pages than this is cut (a cursor that never ends would be a server bug). */
const MAX_PAGES = 10_000;

export const statusCommand: Command = {
  summary: 'show each run configuration (triggers, last run, latest artifacts, unresolved dependencies) and the intake backlog',
  help: `Usage: runbridge status [--url URL] [--run-configuration NS/NAME] [--token-file FILE] [--json]

Asks a running runbridge for GET /status on its internal listener and prints one row per run
configuration: its triggers (git, schedules, upstreams), the last run it started, the latest
artifacts of its succeeded runs and its upstream dependencies; then every reason a run
configuration cannot start (unresolved artifacts, a join still waiting, the last refusal); then
the intake's backlog: events stored whose runs are still to come (why they wait, when they are
tried next) and dead letters (why they stopped; \`runbridge retry ID\` takes one back after a fix).
The report comes in pages; every page is fetched and printed together.

Options:
  -u, --url URL                  runbridge's internal listener (default: $RUNBRIDGE_URL, else ${DEFAULT_URL})
  -r, --run-configuration NS/NAME
                                 only this run configuration
  -t, --token-file FILE          file holding status.token, when runbridge asks for one
                                 (default: $RUNBRIDGE_STATUS_TOKEN)
      --json                     print the report as JSON instead of a table
  -h, --help                     this help

Exit status: 0 when the report was printed, 1 when runbridge could not be reached or refused.
`,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        url: { type: 'string', short: 'u' },
        'run-configuration': { type: 'string', short: 'r' },
        'token-file': { type: 'string', short: 't' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const base = (values.url ?? io.env['RUNBRIDGE_URL'] ?? DEFAULT_URL).replace(/\/+$/, '');
    const shown = redactUrlCredentials(base);
    let token: string | undefined;
    try {
      token = values['token-file'] === undefined ? io.env['RUNBRIDGE_STATUS_TOKEN'] : (await readFile(values['token-file'], 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      io.stderr.write(`runbridge status: cannot read the token file: ${(error as Error).message}\n`);
      return 1;
    }
    const headers: Record<string, string> = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const pages: StatusReport[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams();
      if (values['run-configuration'] !== undefined) query.set('runConfiguration', values['run-configuration']);
      if (cursor !== undefined) query.set('cursor', cursor);
      const path = `${STATUS_PATH}${query.size > 0 ? `?${query}` : ''}`;
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        io.stderr.write(`runbridge status: cannot reach ${shown}${STATUS_PATH}: ${unreachableReason(error)}\n`);
        return 1;
      }
      const text = await response.text();
      if (!response.ok) {
        io.stderr.write(`runbridge status: ${shown}${STATUS_PATH} answered ${response.status}: ${text.slice(0, 500)}\n`);
        return 1;
      }
      let page: StatusReport;
      try {
        page = JSON.parse(text) as StatusReport;
        if (!Array.isArray(page.runConfigurations)) throw new Error('no runConfigurations');
      } catch (error) {
        io.stderr.write(`runbridge status: ${shown}${STATUS_PATH} did not answer a status report: ${(error as Error).message}\n`);
        return 1;
      }
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < MAX_PAGES);
    // Every page carries the same intake backlog; the first page's is shown once.
    const intake = pages[0]?.intake;
    const report: StatusReport = { generatedAt: pages[0]?.generatedAt ?? '', runConfigurations: pages.flatMap((p) => p.runConfigurations), ...(intake ? { intake } : {}) };
    io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatStatus(report));
    return 0;
  },
};
