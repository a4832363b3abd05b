import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { config, echo, FIXTURES, issuesOf, loadInline } from './load-inline.ts';

const chain = config(
  echo('example-generator', { artifacts: [{ name: 'examples', path: 'ExampleGen:examples' }] }),
  {
    name: 'trainer',
    namespace: 'ml',
    template: 'extra-run',
    labels: { 'app.kubernetes.io/part-of': 'penguin' },
    parameters: [{ name: 'model', valueFrom: { runConfigurationRef: { name: 'example-generator', outputArtifact: 'examples' } } }],
    triggers: { runConfigurations: ['example-generator'] },
  },
);
const withFiles = { ...chain, templates: { directories: ['extra-templates'] } };

describe('loadConfig: a valid configuration', () => {
  test('compiles every run configuration', async () => {
    const loaded = await loadInline(withFiles);
    assert.deepEqual(
      loaded.runConfigurations.map((rc) => [rc.key, rc.template.name, rc.gitTriggers.length, rc.upstreams]),
      [
        ['ml/example-generator', 'echo-run', 1, []],
        ['ml/trainer', 'extra-run', 0, ['ml/example-generator']],
      ],
    );
    assert.deepEqual(loaded.runConfigurations[1]?.artifactRefs, [
      { name: 'ml/example-generator', outputArtifact: 'examples', optional: false },
    ]);
    assert.deepEqual(loaded.warnings, []);
    assert.deepEqual(loaded.templates.names(), ['echo-run', 'extra-run', 'static-run']);
  });

  test('a parameter the template tests for itself may be left undeclared', async () => {
    const loaded = await loadInline(config(echo('a')));
    const template = loaded.runConfigurations[0]?.template;
    assert.deepEqual([...(template?.usedParams ?? [])].sort(), ['message', 'note']);
    assert.deepEqual([...(template?.requiredParams ?? [])], ['message']);
  });

  test('fills defaults from the schema', async () => {
    const { config: c } = await loadInline(withFiles);
    assert.equal(c.server.port, 8080);
    assert.deepEqual(c.sink, { type: 'file', directory: join(FIXTURES, 'runs') });
    assert.deepEqual(c.state, { type: 'file', directory: join(FIXTURES, '.runbridge/state'), dedupeRetentionHours: 168 });
    assert.deepEqual(c.runConfigurations[0]?.triggers.git[0]?.events, ['push']);
    assert.deepEqual(c.runConfigurations[1]?.triggers.upstream, { mode: 'any', on: 'succeeded' });
  });

  test('is frozen all the way down', async () => {
    const loaded = await loadInline(withFiles);
    const rc = loaded.config.runConfigurations[1];
    assert.ok(rc);
    assert.ok(Object.isFrozen(loaded) && Object.isFrozen(loaded.config) && Object.isFrozen(loaded.runConfigurations));
    assert.throws(() => {
      (rc.labels as Record<string, string>)['x'] = 'y';
    }, TypeError);
    assert.throws(() => {
      (rc.parameters as unknown[]).push({ name: 'x', value: 'y' });
    }, TypeError);
    assert.throws(() => {
      (loaded.runConfigurations[0] as { key: string }).key = 'other';
    }, TypeError);
    assert.equal(loaded.runConfigurations[1]?.spec, rc, 'compiled run configurations share the frozen spec');
  });

  test('resolves files the configuration reads against its directory', async () => {
    const loaded = await loadInline({
      ...withFiles,
      github: { secrets: [{ fromFile: 'webhook.secret' }, { fromFile: '/etc/runbridge/secret' }, { fromEnv: 'WEBHOOK_SECRET' }] },
      api: { token: { fromFile: 'api-token' } },
      sink: { type: 'kubernetes', kubeconfig: 'kube/config' },
      state: { type: 'file', directory: 'state' },
    });
    const c = loaded.config;
    assert.deepEqual(c.github?.secrets, [
      { fromFile: join(FIXTURES, 'webhook.secret') },
      { fromFile: '/etc/runbridge/secret' },
      { fromEnv: 'WEBHOOK_SECRET' },
    ]);
    assert.deepEqual(c.api?.token, { fromFile: join(FIXTURES, 'api-token') });
    assert.equal(c.sink.type === 'kubernetes' && c.sink.kubeconfig, join(FIXTURES, 'kube/config'));
    assert.deepEqual(c.templates.directories, [join(FIXTURES, 'extra-templates')]);
    assert.deepEqual(c.state, { type: 'file', directory: join(FIXTURES, 'state'), dedupeRetentionHours: 168 });
  });

  test('reads the file through the injected reader, relative to its own directory', async () => {
    const read: string[] = [];
    const loaded = await loadConfig(join(FIXTURES, 'configs', 'runbridge.yaml'), {
      readFile: async (path) => {
        read.push(path);
        return JSON.stringify({ ...chain, github: { secrets: [{ fromFile: 'secret' }] }, templates: { directories: ['../extra-templates'] } });
      },
      templatesRoot: join(FIXTURES, 'templates'),
      env: {},
    });
    assert.deepEqual(read, [join(FIXTURES, 'configs', 'runbridge.yaml')]);
    assert.equal(loaded.file, join(FIXTURES, 'configs', 'runbridge.yaml'));
    assert.equal(loaded.baseDir, join(FIXTURES, 'configs'));
    assert.deepEqual(loaded.config.github?.secrets, [{ fromFile: join(FIXTURES, 'configs', 'secret') }]);
    assert.deepEqual(loaded.config.templates.directories, [join(FIXTURES, 'extra-templates')]);
  });

  test('a missing file is a ConfigError naming it', async () => {
    await assert.rejects(loadConfig(join(FIXTURES, 'does-not-exist.yaml')), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /cannot read .*does-not-exist\.yaml \(ENOENT\)/);
      return true;
    });
  });
});

describe('loadConfig: warnings', () => {
  test('are collected apart from errors and do not fail the load', async () => {
    const loaded = await loadInline(
      {
        ...config(
          echo('manual-only', { triggers: {}, manual: { enabled: true } }),
          echo('all-of-one', { triggers: { runConfigurations: ['manual-only'], upstream: { mode: 'all' } } }),
          echo('nightly', { parameters: [{ name: 'message', valueFrom: { event: 'sha' } }], triggers: { git: [{}], schedules: [{ cron: '0 3 * * *' }] } }),
        ),
        github: { insecureSkipSignatureVerification: true },
        api: { token: { fromEnv: 'API_TOKEN' } },
      },
      { env: {} },
    );
    assert.deepEqual(
      loaded.warnings.map((w) => w.path),
      [
        'api.token.fromEnv',
        'github.insecureSkipSignatureVerification',
        'runConfigurations[1].parameters[0].valueFrom.event',
        'runConfigurations[1].triggers.upstream.mode',
        'runConfigurations[2].parameters[0].valueFrom.event',
      ],
    );
    assert.match(loaded.warnings[2]?.message ?? '', /sha is set only by git events; runs started by upstream triggers fail/);
    assert.match(loaded.warnings[4]?.message ?? '', /sha is set only by git events; runs started by schedule triggers fail/);
  });
});

describe('loadConfig: run configurations nothing can start', () => {
  const upstreamOnly = (name: string): Record<string, unknown> => echo(name, { parameters: [{ name: 'message', value: 'x' }], triggers: {}, artifacts: [{ name: 'model', path: 'Trainer:model' }] });
  const chained = config(
    upstreamOnly('trainer'),
    upstreamOnly('evaluator'),
    upstreamOnly('orphan'),
    echo('pusher', { parameters: [{ name: 'message', value: 'x' }], triggers: { runConfigurations: ['trainer'] } }),
    echo('deployer', {
      parameters: [{ name: 'message', valueFrom: { runConfigurationRef: { name: 'evaluator', outputArtifact: 'model' } } }],
      triggers: { schedules: [{ cron: '0 3 * * *' }] },
    }),
  );

  test('an upstream of a trigger or of an artifact reference is started through chaining: no warning', async () => {
    const loaded = await loadInline(chained);
    assert.deepEqual(
      loaded.warnings.map((w) => `${w.path}: ${w.message}`),
      ['runConfigurations[2].triggers: no triggers, no run configuration chains from it, and the API is off (api.token is not set): nothing can start it (line 33)'],
    );
  });

  test('with the API on, a run configuration without triggers is started by hand only when it opts in (manual.enabled)', async () => {
    const api = { api: { token: { fromEnv: 'API_TOKEN' } } };
    const env = { env: { WEBHOOK_SECRET: 's', API_TOKEN: 't' } };
    const closed = await loadInline({ ...chained, ...api }, env);
    assert.deepEqual(
      closed.warnings.map((w) => w.message.replace(/ \(line \d+\)$/, '')),
      ['no triggers, no run configuration chains from it, and manual runs are not enabled (manual.enabled): nothing can start it'],
    );
    const runConfigurations = (chained['runConfigurations'] as Record<string, unknown>[]).map((rc) => (rc['name'] === 'orphan' ? { ...rc, manual: { enabled: true } } : rc));
    const open = await loadInline({ ...chained, ...api, runConfigurations }, env);
    assert.deepEqual(open.warnings, []);
  });
});

describe('loadConfig: YAML problems', () => {
  const cases: { name: string; text: string; message: RegExp }[] = [
    { name: 'syntax error', text: 'apiVersion: runbridge.dev/v1alpha1\nkind: "Config\n', message: /^line 3, col 1: Missing closing "quote/ },
    { name: 'duplicate key', text: 'apiVersion: runbridge.dev/v1alpha1\nkind: Config\nkind: Config\n', message: /^line 3, col 1: Map keys must be unique \("kind"\)/ },
    { name: 'duplicate quoted key', text: 'labels: {"a/b": x, "a/b": y}\n', message: /^line 1, col 20: Map keys must be unique \("a\/b"\)/ },
    { name: 'two documents', text: 'kind: Config\n---\nkind: Config\n', message: /^line 2, col 1: Source contains multiple documents/ },
    { name: 'unresolved alias', text: 'apiVersion: *version\n', message: /Unresolved alias/ },
    { name: 'unknown tag', text: 'kind: !secret Config\n', message: /^line 1, col 7: Unresolved tag/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const issues = await issuesOf(c.text);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.path, '');
      assert.match(issues[0]?.message ?? '', c.message);
    });
  }

  test('an empty file says what is expected', async () => {
    assert.deepEqual(await issuesOf(''), [{ path: '', message: 'expected a mapping, got null' }]);
  });

  test('schema and semantic problems carry the line of their field', async () => {
    const text = [
      'apiVersion: runbridge.dev/v1alpha1',
      'kind: Config',
      'github: {secrets: [{fromEnv: S}]}',
      'runConfigurations:',
      '  - name: a',
      '    template: echo-run',
      '    parameters:',
      '      - name: message',
      '        value: 42',
    ].join('\n');
    assert.deepEqual(await issuesOf(text), [
      { path: 'runConfigurations[0].parameters[0].value', message: 'expected a string, got number 42 (quote it: "42") (line 9)' },
    ]);
    const semantic = text.replace('value: 42', 'value: "42"').replace('template: echo-run', 'template: echo');
    const [issue] = await issuesOf(semantic);
    assert.equal(issue?.path, 'runConfigurations[0].template');
    assert.match(issue?.message ?? '', /^unknown template "echo"; available: echo-run, static-run \(line 6\)$/);
  });
});
