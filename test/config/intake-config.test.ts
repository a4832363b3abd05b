// The `intake:` section: the file intake by default, the JetStream intake with what it needs, each
// problem reported at its field path.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { config, echo, issuesOf, loadInline } from './load-inline.ts';

const base = config(echo('a'));
const nats = { servers: ['nats://127.0.0.1:4222'] };
const shared = { ...base, nats, state: { type: 'nats' } };

describe('intake configuration', () => {
  test('without an intake section the file intake is used, with its defaults', async () => {
    const loaded = await loadInline(base);
    assert.equal(loaded.config.intake.type, 'file');
  });

  test('the JetStream intake with the NATS connection and NATS KV state loads, with its defaults', async () => {
    const loaded = await loadInline({ ...shared, intake: { type: 'jetstream', maxPending: 500 } });
    assert.deepEqual(loaded.config.intake, {
      type: 'jetstream',
      stream: 'RUNBRIDGE_INTAKE',
      subject: 'runbridge.intake',
      durable: 'runbridge-intake',
      duplicateWindowSeconds: 600,
      ackWaitSeconds: 30,
      replicas: 1,
      maxAgeHours: 24,
      maxPending: 500,
      maxPendingBytes: 256 * 2 ** 20,
      retry: { initialDelaySeconds: 1, maxDelaySeconds: 300 },
    });
  });

  const cases: { name: string; config: object; paths: string[]; message: RegExp }[] = [
    { name: 'an unknown intake type', config: { ...base, intake: { type: 'kafka' } }, paths: ['intake.type'], message: /expected one of "file", "jetstream", got "kafka"/ },
    { name: 'JetStream without a NATS connection or NATS state', config: { ...base, intake: { type: 'jetstream' } }, paths: ['intake.type', 'intake.type'], message: /needs the top-level nats connection/ },
    { name: 'JetStream with the file state store', config: { ...base, nats, intake: { type: 'jetstream' } }, paths: ['intake.type'], message: /needs state\.type nats \(state\.type is file\)/ },
    { name: 'a stream name with a dot', config: { ...shared, intake: { type: 'jetstream', stream: 'runbridge.intake' } }, paths: ['intake.stream'], message: /^must match .*, got "runbridge\.intake"/ },
    { name: 'a wildcard subject', config: { ...shared, intake: { type: 'jetstream', subject: 'intake.>' } }, paths: ['intake.subject'], message: /^must match .*, got "intake\.>"/ },
    { name: 'a directory on the JetStream intake', config: { ...shared, intake: { type: 'jetstream', directory: 'x' } }, paths: ['intake.directory'], message: /unknown field/ },
    { name: 'a duplicate window of zero', config: { ...shared, intake: { type: 'jetstream', duplicateWindowSeconds: 0 } }, paths: ['intake.duplicateWindowSeconds'], message: /≥ 1/ },
    {
      name: "the completions' stream",
      config: { ...shared, intake: { type: 'jetstream', stream: 'EVENTS' }, completions: { nats: { subject: 'events', jetstream: { stream: 'EVENTS' } } } },
      paths: ['intake.stream'],
      message: /is the completions stream/,
    },
    {
      name: "a subject runbridge's own events are published on",
      config: { ...shared, intake: { type: 'jetstream' }, completions: { publish: { subject: 'runbridge.>' } } },
      paths: ['intake.subject'],
      message: /overlaps the subject runbridge publishes its own events on/,
    },
    {
      name: 'the completions subject',
      config: { ...shared, intake: { type: 'jetstream', subject: 'events' }, completions: { nats: { subject: 'events' } } },
      paths: ['intake.subject'],
      message: /overlaps the completions subject events/,
    },
  ];
  for (const c of cases) {
    test(`refused: ${c.name}`, async () => {
      const issues = await issuesOf(c.config);
      assert.deepEqual(
        issues.map((i) => i.path),
        c.paths,
        JSON.stringify(issues),
      );
      assert.match(issues[0]!.message, c.message);
    });
  }
});
