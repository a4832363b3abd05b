import { parseArgs } from 'node:util';
import { callDaemon } from './call-daemon.ts';
import type { Command } from './commands.ts';
import { readApiToken } from './read-api-token.ts';
import { redactUrlCredentials } from '../observability/redact-url.ts';

const DEFAULT_URL = 'http://127.0.0.1:8081';

interface RunAnswer {
  eventId?: string;
  message?: string;
  run?: { apiVersion: string; kind: string; namespace: string; name: string; created: boolean };
  runs?: { error?: { message: string } }[];
  error?: { code: string; message: string };
}

export const triggerCommand: Command = {
  summary: 'start a run of a run configuration now, through a running runbridge',
  help: `Usage: runbridge trigger NAME [--namespace NS] [--param NAME=VALUE]... [options]

Asks a running runbridge to start one run of the run configuration NAME (or NS/NAME) now:
POST /api/v1/run-configurations/NS/NAME/runs, with the parameters given by --param overriding the
configured ones (only declared parameters can be overridden). Prints the run created.

Options:
  -n, --namespace NS          the run configuration's namespace (default: default)
  -p, --param NAME=VALUE      override a declared parameter; repeatable
  -u, --url URL               runbridge's internal listener (default: $RUNBRIDGE_URL, else ${DEFAULT_URL})
  -t, --token-file FILE       file holding the API token (default: $RUNBRIDGE_API_TOKEN)
  -k, --idempotency-key KEY   the same key again returns the run it created instead of a new one
                              (for retries in scripts)
      --json                  print runbridge's answer as JSON
  -h, --help                  this help

The API must be enabled in runbridge's configuration (api.token).

Exit status: 0 when the run was created (or already existed for the key), 1 when runbridge
refused or could not be reached, 2 for a usage error.
`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          namespace: { type: 'string', short: 'n' },
          param: { type: 'string', short: 'p', multiple: true },
          url: { type: 'string', short: 'u' },
          'token-file': { type: 'string', short: 't' },
          'idempotency-key': { type: 'string', short: 'k' },
          json: { type: 'boolean', default: false },
        },
        strict: true,
      });
    } catch (error) {
      io.stderr.write(`runbridge trigger: ${(error as Error).message} (see --help)\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    const usage = (message: string): number => {
      io.stderr.write(`runbridge trigger: ${message} (see --help)\n`);
      return 2;
    };
    if (positionals.length !== 1 || !positionals[0]) return usage('give exactly one run configuration NAME');
    const [namespace, name] = splitName(positionals[0], values.namespace);
    if (!namespace || !name) return usage(`invalid run configuration ${JSON.stringify(positionals[0])}`);
    const params: Record<string, string> = {};
    for (const p of values.param ?? []) {
      const eq = p.indexOf('=');
      if (eq <= 0) return usage(`--param ${JSON.stringify(p)} is not NAME=VALUE`);
      params[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const read = await readApiToken(values['token-file'], io.env);
    if ('problem' in read) return usage(read.problem);
    const { token } = read;

    const base = (values.url ?? io.env['RUNBRIDGE_URL'] ?? DEFAULT_URL).replace(/\/+$/, '');
    const shown = redactUrlCredentials(base);
    const target = `${base}/api/v1/run-configurations/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/runs`;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' };
    if (values['idempotency-key']) headers['idempotency-key'] = values['idempotency-key'];
    const reply = await callDaemon<RunAnswer>(target, { method: 'POST', headers, body: JSON.stringify({ params }), signal: AbortSignal.timeout(60_000) });
    if (!reply.reached) {
      io.stderr.write(`runbridge trigger: cannot reach ${shown}: ${reply.reason}\n`);
      return 1;
    }
    const { text, answer } = reply;
    if (values.json) io.stdout.write(`${text}\n`);
    if ((reply.status >= 200 && reply.status < 300) && answer.run) {
      const { run } = answer;
      if (!values.json) {
        io.stdout.write(
          `${run.created ? 'created' : 'already existed'}: ${run.apiVersion} ${run.kind} ${run.namespace}/${run.name} (run configuration ${namespace}/${name}, event ${answer.eventId ?? '?'})\n`,
        );
      }
      return 0;
    }
    io.stderr.write(`runbridge trigger: ${explain(reply.status, answer, text, `${namespace}/${name}`, shown)}\n`);
    return 1;
  },
};

function splitName(given: string, namespace: string | undefined): [string | undefined, string | undefined] {
  const slash = given.indexOf('/');
  if (slash === -1) return [namespace ?? 'default', given];
  if (namespace !== undefined && namespace !== given.slice(0, slash)) return [undefined, undefined];
  return [given.slice(0, slash), given.slice(slash + 1)];
}

function explain(status: number, answer: RunAnswer, text: string, runConfiguration: string, base: string): string {
  const reason = answer.runs?.find((r) => r.error)?.error?.message ?? answer.error?.message ?? (text.trim().slice(0, 300) || `HTTP ${status}`);
  switch (status) {
    case 401:
      return `${base} refused the API token (401): check --token-file or RUNBRIDGE_API_TOKEN against api.token`;
    case 404:
      return /^no route/.test(answer.error?.message ?? '')
        ? `${base} does not serve the run-now API (404): set api.token in its configuration`
        : `no run configuration ${runConfiguration} at ${base} (404)`;
    case 422:
      return `the run was refused (422): ${reason}`;
    default:
      return `the run was not created (${status}): ${reason}`;
  }
}
