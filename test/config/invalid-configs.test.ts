import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { config, echo, issuesOf } from './load-inline.ts';

interface Case {
  readonly name: string;
  readonly config: object;
  /** Every path reported, in the order reported. */
  readonly paths: readonly string[];
  /** Checked against the first issue's message. */
  readonly message?: RegExp;
}

const base = config(echo('a'));
const rc = (extra: object): object => config(echo('a', extra));

const cases: Case[] = [
  // The schema.
  { name: 'wrong apiVersion', config: { ...base, apiVersion: 'v1' }, paths: ['apiVersion'], message: /^expected "runbridge\.dev\/v1alpha1", got "v1"/ },
  { name: 'unknown top-level field', config: { ...base, sever: {} }, paths: ['sever'], message: /^unknown field \(did you mean server\?\)/ },
  { name: 'unknown run configuration field', config: rc({ bogus: 1 }), paths: ['runConfigurations[0].bogus'], message: /^unknown field/ },
  { name: 'missing template', config: config({ name: 'a' }), paths: ['runConfigurations[0].template'], message: /^required \(a string\)/ },
  { name: 'port out of range', config: { ...base, server: { port: 70000 } }, paths: ['server.port'], message: /^must be ≤ 65535, got number 70000/ },
  { name: 'unknown sink type', config: { ...base, sink: { type: 's3' } }, paths: ['sink.type'], message: /^expected one of "file", "kubernetes", got "s3"/ },
  { name: 'sink without a type', config: { ...base, sink: { directory: 'out' } }, paths: ['sink.type'], message: /^required: one of "file", "kubernetes"/ },
  { name: 'invalid git event', config: rc({ triggers: { git: [{ events: ['push', 'merge'] }] } }), paths: ['runConfigurations[0].triggers.git[0].events[1]'] },
  { name: 'branch glob not a string', config: rc({ triggers: { git: [{ branches: ['main', 7] }] } }), paths: ['runConfigurations[0].triggers.git[0].branches[1]'] },
  { name: 'startTime not a date-time', config: rc({ triggers: { schedules: [{ cron: '@daily', startTime: 'tomorrow' }] } }), paths: ['runConfigurations[0].triggers.schedules[0].startTime'], message: /RFC 3339/ },
  { name: '__proto__ as a key', config: rc({ labels: JSON.parse('{"__proto__": "x", "team": "a"}') as object }), paths: ['runConfigurations[0].labels.__proto__'], message: /not allowed/ },
  { name: 'label value not a string', config: rc({ labels: { team: 7 } }), paths: ['runConfigurations[0].labels.team'], message: /quote it: "7"/ },
  {
    name: 'parameter with neither value nor valueFrom',
    config: rc({ parameters: [{ name: 'message', value: 'x' }, { name: 'p' }] }),
    paths: ['runConfigurations[0].parameters[1]'],
    message: /^required|^expected \{name, value\} or \{name, valueFrom: \{event \| payload \| runConfigurationRef\}\}, got \{name\}/,
  },
  {
    name: 'parameter with both value and valueFrom',
    config: rc({ parameters: [{ name: 'message', value: 'x', valueFrom: { event: 'sha' } }] }),
    paths: ['runConfigurations[0].parameters[0]'],
    message: /^expected \{name, value\} or \{name, valueFrom/,
  },
  { name: 'unknown event field', config: rc({ parameters: [{ name: 'message', valueFrom: { event: 'commit' } }] }), paths: ['runConfigurations[0].parameters[0].valueFrom.event'], message: /got "commit"/ },
  { name: 'valueFrom with two sources', config: rc({ parameters: [{ name: 'message', valueFrom: { event: 'sha', payload: 'after' } }] }), paths: ['runConfigurations[0].parameters[0].valueFrom'], message: /^expected exactly one of \{event/ },
  { name: 'runConfigurationRef without outputArtifact', config: rc({ parameters: [{ name: 'message', valueFrom: { runConfigurationRef: { name: 'b' } } }] }), paths: ['runConfigurations[0].parameters[0].valueFrom.runConfigurationRef.outputArtifact'] },
  { name: 'secret with both sources', config: { ...base, github: { secrets: [{ fromEnv: 'A', fromFile: 'b' }] } }, paths: ['github.secrets[0]'], message: /^expected exactly one of \{fromEnv: VARIABLE\} or \{fromFile: PATH\}/ },
  { name: 'repository of the wrong type', config: rc({ triggers: { git: [{ repository: 5 }] } }), paths: ['runConfigurations[0].triggers.git[0].repository'] },

  // Names and metadata.
  { name: 'duplicate run configuration', config: config(echo('a'), echo('b'), echo('a')), paths: ['runConfigurations[2].name'], message: /^duplicate of runConfigurations\[0\] \(ml\/a\)/ },
  { name: 'same name in another namespace is fine, bad namespace is not', config: config(echo('a'), echo('a', { namespace: 'ML' })), paths: ['runConfigurations[1].namespace'] },
  { name: 'name not a DNS-1123 label', config: config(echo('Penguin_Run')), paths: ['runConfigurations[0].name'] },
  { name: 'name too long', config: config(echo('a'.repeat(64))), paths: ['runConfigurations[0].name'], message: /at most 63 characters \(has 64\)/ },
  { name: 'duplicate parameter', config: rc({ parameters: [{ name: 'message', value: 'x' }, { name: 'message', value: 'y' }] }), paths: ['runConfigurations[0].parameters[1].name'] },
  { name: 'duplicate artifact', config: rc({ artifacts: [{ name: 'm', path: 'A:b' }, { name: 'm', path: 'A:c' }] }), paths: ['runConfigurations[0].artifacts[1].name'] },
  { name: 'invalid label key', config: rc({ labels: { 'team name': 'x' } }), paths: ['runConfigurations[0].labels["team name"]'] },
  { name: 'label prefix not a subdomain', config: rc({ labels: { 'Example.com/team': 'x' } }), paths: ['runConfigurations[0].labels["Example.com/team"]'] },
  { name: 'label value too long', config: rc({ labels: { team: 'x'.repeat(64) } }), paths: ['runConfigurations[0].labels.team'] },
  { name: 'invalid annotation key', config: rc({ annotations: { 'a/b/c': 'free text is fine here' } }), paths: ['runConfigurations[0].annotations["a/b/c"]'] },
  { name: 'reserved label prefix', config: rc({ labels: { 'runbridge.dev/trigger': 'x' } }), paths: ['runConfigurations[0].labels["runbridge.dev/trigger"]'], message: /reserved/ },
  { name: 'reserved annotation prefix', config: rc({ annotations: { 'ci.runbridge.dev/x': 'y' } }), paths: ['runConfigurations[0].annotations["ci.runbridge.dev/x"]'] },
  {
    name: 'OpenChoreo component without project, on an OpenChoreo run',
    config: {
      ...config({ name: 'a', namespace: 'ml', template: 'openchoreo-workflowrun', parameters: [{ name: 'workflow', value: 'build' }], labels: { 'openchoreo.dev/component': 'api' } }),
      templates: { directories: ['../../../templates'] },
    },
    paths: ['runConfigurations[0].labels'],
    message: /^openchoreo\.dev\/v1alpha1 WorkflowRun needs the labels openchoreo\.dev\/component and openchoreo\.dev\/project both or neither: openchoreo\.dev\/component is set/,
  },

  // Run kinds runbridge cannot read the status of (example.dev/v1 EchoRun).
  {
    name: 'a schedule that must know whether the previous run is over, on an unknown kind',
    config: rc({ triggers: { schedules: [{ cron: '@daily' }, { cron: '@hourly', concurrencyPolicy: 'Forbid' }, { cron: '@weekly', concurrencyPolicy: 'Replace' }] } }),
    paths: ['runConfigurations[0].triggers.schedules[1].concurrencyPolicy', 'runConfigurations[0].triggers.schedules[2].concurrencyPolicy'],
    message: /^template echo-run renders example\.dev\/v1 EchoRun, a kind whose status runbridge cannot read and whose runs it cannot stop \(it knows pipelines\.kubeflow\.org\/v1beta1 Run, .*\): Forbid cannot tell whether the previous run is still running/,
  },
  {
    name: 'the status watch on an unknown kind',
    config: { ...base, sink: { type: 'kubernetes' }, completions: { kubernetesWatch: true } },
    paths: ['runConfigurations[0].template'],
    message: /renders example\.dev\/v1 EchoRun, .*: completions\.kubernetesWatch cannot tell when its runs finish/,
  },

  // Templates.
  { name: 'unknown template', config: rc({ template: 'kfp-runn' }), paths: ['runConfigurations[0].template'], message: /^unknown template "kfp-runn"; available: echo-run, static-run/ },
  {
    name: 'undeclared template parameter',
    config: config(echo('a'), echo('b', { parameters: [] })),
    paths: ['runConfigurations[1].template'],
    message: /^template echo-run uses params\.message, which runConfigurations\[1\]\.parameters does not declare/,
  },
  { name: 'template directory missing', config: { ...base, templates: { directories: ['extra-templates', 'nowhere'] } }, paths: ['templates.directories[1]'], message: /^nowhere: cannot read template directory/ },

  // Git triggers.
  { name: 'unbalanced glob', config: rc({ triggers: { git: [{ branches: ['main', 'release/[0-9'] }] } }), paths: ['runConfigurations[0].triggers.git[0].branches[1]'] },
  { name: 'invalid CEL', config: rc({ triggers: { git: [{ when: 'git.branch ==' }] } }), paths: ['runConfigurations[0].triggers.git[0].when'] },
  { name: 'paths on pull_request only', config: rc({ triggers: { git: [{ events: ['pull_request'], paths: ['src/**'] }] } }), paths: ['runConfigurations[0].triggers.git[0].paths'], message: /pull_request and release payloads carry no changed paths/ },
  { name: 'invalid payload path', config: rc({ parameters: [{ name: 'message', valueFrom: { payload: 'commits[first].id' } }] }), paths: ['runConfigurations[0].parameters[0].valueFrom.payload'] },

  // Schedules.
  { name: 'invalid cron', config: rc({ triggers: { schedules: [{ cron: '61 * * * *' }] } }), paths: ['runConfigurations[0].triggers.schedules[0].cron'], message: /^invalid cron expression "61 \* \* \* \*": minute "61": end of range \(61\) above maximum \(59\)/ },
  { name: 'cron that never fires', config: rc({ triggers: { schedules: [{ cron: '0 0 31 2 *' }] } }), paths: ['runConfigurations[0].triggers.schedules[0].cron'], message: /^"0 0 31 2 \*" never fires \(no matching date\)/ },
  { name: 'cron with a year', config: rc({ triggers: { schedules: [{ cron: '0 0 0 1 1 * 2030' }] } }), paths: ['runConfigurations[0].triggers.schedules[0].cron'] },
  { name: 'unknown timezone', config: rc({ triggers: { schedules: [{ cron: '@daily', timezone: 'Europe/Atlantis' }] } }), paths: ['runConfigurations[0].triggers.schedules[0].timezone'] },
  { name: 'endTime before startTime', config: rc({ triggers: { schedules: [{ cron: '@daily', startTime: '2030-02-01T00:00:00Z', endTime: '2030-01-01T00:00:00Z' }] } }), paths: ['runConfigurations[0].triggers.schedules[0].endTime'] },
  { name: 'window without a slot', config: rc({ triggers: { schedules: [{ cron: '0 3 1 1 *', startTime: '2030-01-02T00:00:00Z', endTime: '2030-12-31T00:00:00Z' }] } }), paths: ['runConfigurations[0].triggers.schedules[0]'], message: /^no "0 3 1 1 \*" slot between/ },

  // Artifacts and dependencies.
  { name: 'artifact path without output', config: rc({ artifacts: [{ name: 'm', path: 'Pusher' }] }), paths: ['runConfigurations[0].artifacts[0].path'] },
  { name: 'artifact filter syntax', config: rc({ artifacts: [{ name: 'm', path: 'Pusher:model:0[pushed ==]' }] }), paths: ['runConfigurations[0].artifacts[0].path'] },
  { name: 'unknown upstream', config: config(echo('a'), echo('b', { triggers: { runConfigurations: ['c'] } })), paths: ['runConfigurations[1].triggers.runConfigurations[0]'], message: /^no run configuration ml\/c in this configuration/ },
  { name: 'upstream in another namespace', config: config(echo('a'), echo('b', { triggers: { runConfigurations: ['ml/a', 'other/a'] } })), paths: ['runConfigurations[1].triggers.runConfigurations[1]'] },
  {
    name: 'unknown runConfigurationRef',
    config: config(echo('a', { parameters: [{ name: 'message', valueFrom: { runConfigurationRef: { name: 'trainer', outputArtifact: 'model' } } }] })),
    paths: ['runConfigurations[0].parameters[0].valueFrom.runConfigurationRef.name'],
  },
  {
    name: 'artifact the upstream does not declare',
    config: config(
      echo('a', { artifacts: [{ name: 'examples', path: 'ExampleGen:examples' }] }),
      echo('b', { parameters: [{ name: 'message', valueFrom: { runConfigurationRef: { name: 'a', outputArtifact: 'model' } } }] }),
    ),
    paths: ['runConfigurations[1].parameters[0].valueFrom.runConfigurationRef.outputArtifact'],
    message: /^ml\/a declares no artifact "model" \(it declares: examples\)/,
  },
  {
    name: 'trigger cycle',
    config: config(
      echo('a', { triggers: { runConfigurations: ['c'] } }),
      echo('b', { triggers: { runConfigurations: ['a'] } }),
      echo('c', { triggers: { runConfigurations: ['b'] } }),
    ),
    paths: ['runConfigurations[0].triggers.runConfigurations'],
    message: /^dependency cycle ml\/a → ml\/c → ml\/b → ml\/a/,
  },
  { name: 'run configuration triggering itself', config: config(echo('a', { triggers: { runConfigurations: ['a'] } })), paths: ['runConfigurations[0].triggers.runConfigurations'] },
  {
    name: 'cycle of required artifacts',
    config: config(
      echo('a', { artifacts: [{ name: 'x', path: 'A:x' }], parameters: [{ name: 'message', valueFrom: { runConfigurationRef: { name: 'b', outputArtifact: 'y' } } }] }),
      echo('b', { artifacts: [{ name: 'y', path: 'B:y' }], parameters: [{ name: 'message', valueFrom: { runConfigurationRef: { name: 'a', outputArtifact: 'x' } } }] }),
    ),
    paths: ['runConfigurations[0].parameters'],
    message: /^artifact dependency cycle ml\/a → ml\/b → ml\/a/,
  },

  // Sources.
  { name: 'github without a secret', config: { ...base, github: {} }, paths: ['github.secrets'], message: /^at least one secret is required \(fail closed\)/ },
];

describe('invalid configurations report exactly the offending field paths', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const issues = await issuesOf(c.config);
      assert.deepEqual(
        issues.map((i) => i.path),
        c.paths,
        issues.map((i) => `${i.path}: ${i.message}`).join('\n'),
      );
      if (c.message) assert.match(issues[0]?.message ?? '', c.message);
    });
  }
});

test('a cycle of optional artifact references is fine (a warm start from the previous run)', async () => {
  const selfRef = echo('a', {
    artifacts: [{ name: 'model', path: 'Trainer:model' }],
    parameters: [{ name: 'message', valueFrom: { runConfigurationRef: { name: 'a', outputArtifact: 'model', optional: true } } }],
  });
  await assert.doesNotReject(import('./load-inline.ts').then((m) => m.loadInline(config(selfRef))));
});
