import { parseArgs } from 'node:util';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { pino } from 'pino';
import { loadConfig } from '../config/load.ts';
import { githubEvent } from '../events/github-event.ts';
import { createDispatcher } from '../dispatch/create-dispatcher.ts';
import { createMemorySink } from '../sinks/memory-sink.ts';
import { coalesceRecordUpdates } from '../chaining/coalesce-record-updates.ts';
import { createFileStore } from '../state/file-store.ts';
import { createKubernetesSink } from '../sinks/kubernetes/create-kubernetes-sink.ts';
import { ConfigError, RunbridgeError } from '../errors.ts';
import type { Sink } from '../sinks/sink.ts';
import type { Command } from './commands.ts';

export const renderCommand: Command = {
  summary: 'print the runs an event would create, as a YAML stream, without submitting anything',
  help: `Usage: runbridge render --config FILE --event PAYLOAD.json --github-event NAME [options]

Replays a GitHub webhook payload offline: matches every run configuration (why each did or did
not match goes to stderr), resolves parameters, renders the templates and prints the manifests
to stdout as a YAML stream. Nothing is submitted, nothing is recorded.

Options:
  -c, --config FILE        configuration file (required)
  -e, --event FILE         webhook payload (JSON) as GitHub sends it (required)
  -g, --github-event NAME  the X-GitHub-Event value: push, pull_request, release, … (required)
  -d, --delivery ID        the X-GitHub-Delivery id (default: derived from the payload), which
                           determines run names exactly as in the daemon
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
        'github-event': { type: 'string', short: 'g' },
        delivery: { type: 'string', short: 'd' },
        'server-dry-run': { type: 'boolean', default: false },
      },
      strict: true,
    });
    const missing = (['config', 'event', 'github-event'] as const).filter((k) => !values[k]);
    if (missing.length || !values.config || !values.event || !values['github-event']) {
      io.stderr.write(`runbridge render: ${missing.map((m) => `--${m}`).join(', ')} required (see --help)\n`);
      return 2;
    }
    const stateDir = await mkdtemp(join(tmpdir(), 'runbridge-render-'));
    let sink: Sink | undefined;
    try {
      const loaded = await loadConfig(values.config, { env: io.env });
      const raw = await readFile(values.event, 'utf8');
      const payload: unknown = JSON.parse(raw);
      const deliveryId = values.delivery ?? `render-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
      const event = githubEvent({ name: values['github-event'], deliveryId, payload, receivedAt: new Date() });
      const memory = createMemorySink();
      sink = memory;
      if (values['server-dry-run']) {
        const k = loaded.config.sink.type === 'kubernetes' ? loaded.config.sink : undefined;
        const kube = createKubernetesSink({
          ...(k?.kubeconfig ? { kubeconfig: k.kubeconfig } : {}),
          ...(k?.context ? { context: k.context } : {}),
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
      const outcome = await dispatch(event);
      for (const s of outcome.skipped) io.stderr.write(`- ${s.runConfiguration}: no match: ${s.reason}\n`);
      for (const m of outcome.matched) {
        if (m.error) io.stderr.write(`✗ ${m.runConfiguration} (${m.trigger}): ${m.error.message}\n`);
        else io.stderr.write(`✓ ${m.runConfiguration} (${m.trigger}): ${m.run?.kind} ${m.run?.namespace}/${m.run?.name}${values['server-dry-run'] ? ' (accepted by server dry run)' : ''}\n`);
      }
      io.stdout.write(memory.runs.map((r) => stringify(r, { lineWidth: 0 })).join('---\n'));
      if (outcome.matched.length === 0) io.stderr.write('no run configuration matched this event\n');
      return outcome.matched.some((m) => m.error) ? 1 : 0;
    } catch (error) {
      if (error instanceof ConfigError || error instanceof RunbridgeError) {
        io.stderr.write(`runbridge render: ${error.message}\n`);
        return 1;
      }
      if (error instanceof SyntaxError) {
        io.stderr.write(`runbridge render: ${values.event} is not valid JSON: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      await sink?.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};
