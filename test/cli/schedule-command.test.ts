/**
 * `runbridge schedule`: the next slots of each schedule as the daemon fires them, in UTC and local
 * time, across the DST changes of Europe/London in 2027 (forward on 28 March at 01:00 GMT, back on
 * 31 October at 02:00 BST), run as users run it (`node src/cli.ts schedule`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { COMMANDS } from '../../src/cli/commands.ts';

const REPO = join(import.meta.dirname, '..', '..');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'src', 'cli.ts'), ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function trainer(name: string, schedules: object[]): object {
  return {
    name,
    namespace: 'ml',
    template: 'kfp-run',
    parameters: [
      { name: 'provider', value: 'p' },
      { name: 'pipeline', value: 'q' },
    ],
    triggers: { schedules },
  };
}

let scratch: string;
let config: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runbridge-schedule-'));
  config = join(scratch, 'config.yaml');
  await writeFile(
    config,
    stringify({
      apiVersion: 'runbridge.dev/v1alpha1',
      kind: 'Config',
      runConfigurations: [
        trainer('nightly', [{ cron: '30 1 * * *', timezone: 'Europe/London' }]),
        trainer('hourly', [{ cron: '30 * * * *', timezone: 'Europe/London', endTime: '2027-10-31T03:00:00Z' }, { cron: '0 12 * * *', suspend: true }]),
      ],
    }),
  );
});
after(() => rm(scratch, { recursive: true, force: true }));

describe('runbridge schedule', () => {
  test('spring forward: the skipped local time is marked and not counted; the offset change is shown', async () => {
    const result = await cli(['schedule', '--config', config, '--count', '3', '--from', '2027-03-27T00:00:00Z']);
    assert.equal(result.code, 0, result.stderr);
    const nightly = result.stdout.split('\n').slice(0, 6).join('\n');
    assert.equal(
      nightly,
      [
        'ml/nightly  runConfigurations[0].triggers.schedules[0]  "30 1 * * *"  Europe/London',
        '  2027-03-27T01:30:00Z  2027-03-27 01:30:00 +00:00',
        '  -- clocks go forward: +00:00 → +01:00',
        '  2027-03-28T01:00:00Z  2027-03-28 02:00:00 +01:00  skipped: the local time it names does not exist that day (clocks go forward)',
        '  2027-03-29T00:30:00Z  2027-03-29 01:30:00 +01:00',
        '  2027-03-30T00:30:00Z  2027-03-30 01:30:00 +01:00',
      ].join('\n'),
    );
  });

  test('fall back: the second pass of the repeated hour is marked; the window ends the list; suspended is said', async () => {
    const result = await cli(['schedule', '--config', config, '-n', '10', '-f', '2027-10-30T23:00:00Z']);
    assert.equal(result.code, 0, result.stderr);
    const hourly = result.stdout.slice(result.stdout.indexOf('ml/hourly'));
    assert.equal(
      hourly,
      [
        'ml/hourly  runConfigurations[1].triggers.schedules[0]  "30 * * * *"  Europe/London  until 2027-10-31T03:00:00Z',
        '  2027-10-30T23:30:00Z  2027-10-31 00:30:00 +01:00',
        '  2027-10-31T00:30:00Z  2027-10-31 01:30:00 +01:00',
        '  -- clocks go back: +01:00 → +00:00',
        '  2027-10-31T01:30:00Z  2027-10-31 01:30:00 +00:00  skipped: this local time already happened once (clocks went back); it fires the first time only',
        '  2027-10-31T02:30:00Z  2027-10-31 02:30:00 +00:00',
        'ml/hourly  runConfigurations[1].triggers.schedules[1]  "0 12 * * *"  UTC  (suspended: fires nothing until resumed)',
        ...Array.from({ length: 10 }, (_, i) => `  2027-${i === 0 ? '10-31' : `11-${String(i).padStart(2, '0')}`}T12:00:00Z  2027-${i === 0 ? '10-31' : `11-${String(i).padStart(2, '0')}`} 12:00:00 +00:00`),
        '',
      ].join('\n'),
    );
  });

  test('bad options exit 2 with the reason; an invalid configuration exits 1 with its problems', async () => {
    for (const [args, message] of [
      [['--count', '0'], /--count must be 1\.\.1000, got 0/],
      [['--from', 'tomorrow'], /--from must be an ISO-8601 time with an offset/],
      [['--from', '2027-03-27T00:00:00'], /--from must be an ISO-8601 time with an offset/],
    ] as const) {
      const result = await cli(['schedule', '--config', config, ...args]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
    }
    const invalid = join(scratch, 'invalid.yaml');
    await writeFile(invalid, stringify({ apiVersion: 'runbridge.dev/v1alpha1', kind: 'Config', runConfigurations: [trainer('x', [{ cron: '0 0 31 2 *' }])] }));
    const result = await cli(['schedule', '--config', invalid]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /runConfigurations\[0\]\.triggers\.schedules\[0\]\.cron: "0 0 31 2 \*" never fires/);
  });

  test("every command has a row in the README's CLI table", async () => {
    const readme = await readFile(join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## CLI'), readme.indexOf('## Configuration'));
    for (const name of Object.keys(COMMANDS)) assert.match(table, new RegExp(`^\\| \`runbridge ${name}[ \`]`, 'm'), name);
  });
});
