import { parseArgs } from 'node:util';
import { redactUrlCredentials } from '../observability/redact-url.ts';
import { callDaemon } from './call-daemon.ts';
import type { Command } from './commands.ts';
import { readApiToken } from './read-api-token.ts';

const DEFAULT_URL = 'http://127.0.0.1:8081';

interface RetryAnswer {
  state?: string;
  message?: string;
  error?: { code: string; message: string };
}

export const retryCommand: Command = {
  summary: 'process a dead-lettered event again, after its cause was fixed',
  help: `Usage: runbridge retry EVENT_ID [--url URL] [--token-file FILE] [--json]

Asks a running runbridge to take the dead letter EVENT_ID back and process it again now:
POST /api/v1/events/EVENT_ID/retry. Dead letters are events that failed in a way no retry could
fix (a parameter the template rejects, a kind the cluster does not serve); \`runbridge status\`
lists them with their ids (\`<source>:<id>\`, e.g. github:72d3162e-cc78-11e3-81ab-4c9367dc0958)
and reasons. Runs the event already created are found again, never created twice.

Options:
  -u, --url URL           runbridge's internal listener (default: $RUNBRIDGE_URL, else ${DEFAULT_URL})
  -t, --token-file FILE   file holding the API token (default: $RUNBRIDGE_API_TOKEN)
      --json              print runbridge's answer as JSON
  -h, --help              this help

The API must be enabled in runbridge's configuration (api.token).

Exit status: 0 when the event is done now, 3 when it is stored and pending (its runs follow),
1 when it failed again, was not found, or runbridge could not be reached, 2 for a usage error.
`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: { url: { type: 'string', short: 'u' }, 'token-file': { type: 'string', short: 't' }, json: { type: 'boolean', default: false } },
        strict: true,
      });
    } catch (error) {
      io.stderr.write(`runbridge retry: ${(error as Error).message} (see --help)\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1 || !positionals[0]) {
      io.stderr.write('runbridge retry: give exactly one EVENT_ID (see --help)\n');
      return 2;
    }
    const id = positionals[0];
    const read = await readApiToken(values['token-file'], io.env);
    if ('problem' in read) {
      io.stderr.write(`runbridge retry: ${read.problem} (see --help)\n`);
      return 2;
    }
    const { token } = read;
    const base = (values.url ?? io.env['RUNBRIDGE_URL'] ?? DEFAULT_URL).replace(/\/+$/, '');
    const reply = await callDaemon<RetryAnswer>(`${base}/api/v1/events/${encodeURIComponent(id)}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(60_000),
    });
    if (!reply.reached) {
      io.stderr.write(`runbridge retry: cannot reach ${redactUrlCredentials(base)}: ${reply.reason}\n`);
      return 1;
    }
    const { text, answer } = reply;
    if (values.json) io.stdout.write(`${text}\n`);
    if (reply.status === 200) {
      if (!values.json) io.stdout.write(`${id}: done${answer.message ? ` — ${answer.message}` : ''}\n`);
      return 0;
    }
    if (reply.status === 202) {
      if (!values.json) io.stdout.write(`${id}: stored and pending — ${answer.message ?? 'its runs follow'}\n`);
      return 3;
    }
    const reason = answer.error?.message ?? answer.message ?? (text.trim().slice(0, 300) || `HTTP ${reply.status}`);
    io.stderr.write(`runbridge retry: ${reply.status === 401 ? `${base} refused the API token (401)` : `${id} (${reply.status}): ${reason}`}\n`);
    return 1;
  },
};
