import { parseArgs } from 'node:util';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { pino } from 'pino';
import { loadConfig } from '../config/load.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { isForgeName, WEBHOOK_SOURCES } from '../sources/webhook/webhook-sources.ts';
import { FORGE_NAMES } from '../config/forge-sections.ts';
import { createDispatcher } from '../dispatch/create-dispatcher.ts';
import { createMemorySink } from '../sinks/memory-sink.ts';
import { coalesceRecordUpdates } from '../chaining/coalesce-record-updates.ts';
import { createFileStore } from '../state/file-store.ts';
import { createKubernetesSink } from '../sinks/kubernetes/create-kubernetes-sink.ts';
import { loadKubeConfig } from '../kubernetes/load-kube-config.ts';
import { ConfigError, RunbridgeError } from '../errors.ts';
import { parsePayload } from '../sources/webhook/parse-payload.ts';
import type { Sink } from '../sinks/sink.ts';
import type { Command } from './commands.ts';

export const renderCommand: Command = {
  summary: 'print the runs an event would create, as a YAML stream, without submitting anything',
  help: `Usage: runbridge render --config FILE --source FORGE --event PAYLOAD.json --header 'NAME: VALUE' … [options]

Replays a webhook delivery offline: the forge's source turns the payload and headers into an
event as the daemon does (one per ref for a Bitbucket push of several refs), then every run configuration is matched (why each did or did not match
goes to stderr), parameters resolved, templates rendered, and the manifests printed to stdout as
a YAML stream. Nothing is submitted, nothing is recorded. The signature is not checked.

Examples: runbridge render -c runbridge.yaml --source github --event push.json --header 'X-GitHub-Event: push'
          runbridge render -c runbridge.yaml --source gitlab --event push.json --header 'X-Gitlab-Event: Push Hook'
          runbridge render -c runbridge.yaml --source gitea --event push.json --header 'X-Gitea-Event: push'
          runbridge render -c runbridge.yaml --source bitbucket-cloud --event push.json --header 'X-Event-Key: repo:push'

Options:
  -c, --config FILE        configuration file (required)
  -s, --source FORGE       the webhook source that received the delivery: ${FORGE_NAMES.join(', ')} (required)
  -e, --event FILE         webhook payload (JSON) as the forge sends it (required)
  -H, --header 'N: V'      a header of the delivery, as the forge sends it (repeatable); the
                           forge's event header is needed (GitHub: X-GitHub-Event, GitLab:
                           X-Gitlab-Event, Gitea: X-Gitea-Event, Forgejo: X-Forgejo-Event,
                           Bitbucket: X-Event-Key)
  -g, --github-event NAME  short for --source github --header 'X-GitHub-Event: NAME'
  -d, --delivery ID        the delivery id (default: the delivery's own id header when given,
                           else derived from the payload), which determines run names exactly as
                           in the daemon
      --server-dry-run     also submit each run to the Kubernetes API server with dryRun=All, so
                           its admission and CRD schemas check the manifests (uses the config's
                           kubernetes sink settings, or the default kubeconfig)
  -h, --help               this help

Exit status: 0 when every matched run rendered (and passed the dry run), 1 otherwise.
`,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string', short: 'c' },
        event: { type: 'string', short: 'e' },
        source: { type: 'string', short: 's' },
        header: { type: 'string', short: 'H', multiple: true, default: [] },
        'github-event': { type: 'string', short: 'g' },
        delivery: { type: 'string', short: 'd' },
        'server-dry-run': { type: 'boolean', default: false },
      },
      strict: true,
    });
    const sourceName = values.source ?? (values['github-event'] === undefined ? undefined : 'github');
    const missing = [...(['config', 'event'] as const).filter((k) => !values[k]), ...(sourceName ? [] : ['source'])];
    if (missing.length || !values.config || !values.event || !sourceName) {
      io.stderr.write(`runbridge render: ${missing.map((m) => `--${m}`).join(', ')} required (see --help)\n`);
      return 2;
    }
    if (!isForgeName(sourceName)) {
      io.stderr.write(`runbridge render: --source ${sourceName} is not a webhook source (known: ${FORGE_NAMES.join(', ')})\n`);
      return 2;
    }
    const headers = parseHeaders(values.header);
    if (typeof headers === 'string') {
      io.stderr.write(`runbridge render: --header ${JSON.stringify(headers)} is not 'Name: value'\n`);
      return 2;
    }
    if (values['github-event'] !== undefined) headers['x-github-event'] = values['github-event'];
    const source = WEBHOOK_SOURCES[sourceName]([]);
    const stateDir = await mkdtemp(join(tmpdir(), 'runbridge-render-'));
    let sink: Sink | undefined;
    try {
      const loaded = await loadConfig(values.config, { env: io.env });
      const raw = await readFile(values.event, 'utf8');
      const payload = parsePayload(raw, 'json');
      const deliveryId = values.delivery ?? source.deliveryKey(headers, payload) ?? `render-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
      const received = source.toEvents(headers, payload, deliveryId, new Date());
      if ('reply' in received) {
        io.stderr.write(`${sourceName} answers this delivery without a run (${received.reason}): ${JSON.stringify(received.reply)}\n`);
        return 0;
      }
      const memory = createMemorySink();
      sink = memory;
      if (values['server-dry-run']) {
        const k = loaded.config.sink.type === 'kubernetes' ? loaded.config.sink : undefined;
        const kube = createKubernetesSink({
          kubeConfig: loadKubeConfig({ kubeconfig: k?.kubeconfig, context: k?.context }),
          qps: k?.qps ?? 20,
          burst: k?.burst ?? 40,
          maxAttempts: k?.maxAttempts ?? 3,
          dryRun: true,
        });
        sink = {
          kind: 'kubernetes-dry-run',
          submit: async (run) => {
            await memory.submit(run);
            return kube.submit(run, { dryRun: true });
          },
          ready: () => kube.ready(),
          close: () => kube.close(),
        };
      }
      const dispatch = createDispatcher({
        runConfigurations: loaded.runConfigurations,
        sink,
        store: coalesceRecordUpdates(createFileStore({ directory: stateDir })),
        logger: pino({ level: 'silent' }),
        dryRun: values['server-dry-run'],
      });
      let failed = false;
      for (const event of received) {
        if (received.length > 1) io.stderr.write(`${event.git?.ref ?? ''} (event ${event.id}):\n`);
        const outcome = await dispatch(event);
        for (const s of outcome.skipped) io.stderr.write(`- ${s.runConfiguration}: no match: ${s.reason}\n`);
        if (outcome.unrelated) io.stderr.write(`- ${outcome.unrelated} other run configuration(s): no git trigger for repository ${event.git?.repository ?? '(none)'}\n`);
        for (const m of outcome.matched) {
          if (m.error) io.stderr.write(`✗ ${m.runConfiguration} (${m.trigger}): ${m.error.message}\n`);
          else io.stderr.write(`✓ ${m.runConfiguration} (${m.trigger}): ${m.run?.kind} ${m.run?.namespace}/${m.run?.name}${values['server-dry-run'] ? ' (accepted by server dry run)' : ''}\n`);
          if (m.note !== undefined) io.stderr.write(`  note: ${m.note}\n`);
        }
        if (outcome.matched.length === 0) io.stderr.write('no run configuration matched this event\n');
        failed ||= outcome.matched.some((m) => m.error);
      }
      io.stdout.write(memory.runs.map((r) => stringify(r, { lineWidth: 0 })).join('---\n'));
      return failed ? 1 : 0;
    } catch (error) {
      if (error instanceof ConfigError || error instanceof RunbridgeError) {
        io.stderr.write(`runbridge render: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      await sink?.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};

/** `Name: value` headers as node:http gives them (names in lower case); the first malformed one instead. */
function parseHeaders(lines: readonly string[]): IncomingHttpHeaders | string {
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon < 1 || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return line;
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}
