// What /status and `runbridge status` show of the intake: counts, reasons, and a bounded list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatStatus } from '../../src/chaining/status/format-status.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { BACKLOG_LISTED, intakeBacklog } from '../../src/intake/intake-backlog.ts';
import type { IntakeRecord } from '../../src/intake/intake-record.ts';

const event: RunbridgeEvent = { id: 'd1', source: 'github', type: 'github.push', time: '2026-12-06T10:00:00.000Z', trigger: 'git', data: { ref: 'refs/heads/main' } };
const pending = (n: number): IntakeRecord => ({
  id: `github:p${n}`,
  kind: 'dispatch',
  state: 'pending',
  acceptedAt: `2026-12-06T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
  attempts: 3,
  event,
  reason: 'ml/train: the API server cannot be reached: connect ECONNREFUSED 127.0.0.1:6443',
  nextAttemptAt: '2026-12-06T10:01:00.000Z',
});
const dead: IntakeRecord = {
  id: 'github:dead-1',
  kind: 'dispatch',
  state: 'dead',
  acceptedAt: '2026-12-06T09:00:00.000Z',
  attempts: 1,
  event,
  reason: 'ml/bad-provider: spec.provider: Invalid value: "Not Valid"',
  status: 422,
  finishedAt: '2026-12-06T09:00:01.000Z',
};

describe('intake backlog in the status report', () => {
  test('pending events say why they wait and when they are tried next; dead letters say why and how to take them back; never the payload', () => {
    const report = intakeBacklog({ pending: [pending(1)], dead: [dead] }, 61_400);
    assert.deepEqual(report, {
      pending: 1,
      dead: 1,
      oldestPendingSeconds: 61,
      events: [
        { id: 'github:p1', state: 'pending', eventType: 'github.push', acceptedAt: '2026-12-06T10:00:01.000Z', attempts: 3, reason: pending(1).reason, nextAttemptAt: '2026-12-06T10:01:00.000Z' },
        { id: 'github:dead-1', state: 'dead', eventType: 'github.push', acceptedAt: '2026-12-06T09:00:00.000Z', attempts: 1, reason: dead.reason, status: 422 },
      ],
    });
    const text = formatStatus({ generatedAt: '2026-12-06T10:01:02.000Z', runConfigurations: [], intake: report });
    assert.ok(text.includes('Intake: 1 pending (oldest 61 s), 1 dead letter\n'), text);
    assert.ok(text.includes(`  pending github:p1  accepted 2026-12-06T10:00:01.000Z, 3 attempts, next 2026-12-06T10:01:00.000Z: ${pending(1).reason}\n`), text);
    assert.ok(text.includes(`  dead    github:dead-1  422 ${dead.reason} (after a fix: runbridge retry github:dead-1)\n`), text);
  });

  test('a long backlog is counted whole and listed up to a bound', () => {
    const many = Array.from({ length: BACKLOG_LISTED + 5 }, (_, i) => pending(i));
    const report = intakeBacklog({ pending: many, dead: [] }, 1_000);
    assert.equal(report.pending, BACKLOG_LISTED + 5);
    assert.equal(report.events.length, BACKLOG_LISTED);
    assert.ok(formatStatus({ generatedAt: '', runConfigurations: [], intake: report }).endsWith('  … 5 more\n'));
  });

  test('an empty intake is one line', () => {
    const text = formatStatus({ generatedAt: '', runConfigurations: [], intake: intakeBacklog({ pending: [], dead: [] }, 0) });
    assert.ok(text.endsWith('\nIntake: 0 pending, 0 dead letters\n'), text);
  });
});
