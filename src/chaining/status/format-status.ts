/**
 * The status report as `runbridge status` prints it: one table row per run configuration
 * (triggers, last run started, latest succeeded artifacts, dependencies), then every reason a run
 * configuration cannot start now or could not last time, then the intake's backlog: events stored
 * whose runs are still to come, and dead letters with what to do about them.
 */
import type { IntakeBacklogReport } from '../../intake/intake-backlog.ts';
import { formatTable } from './format-table.ts';
import type { RunConfigurationStatus, StatusReport } from './status-report.ts';

const HEADER = ['RUN CONFIGURATION', 'TRIGGERS', 'LAST FIRED', 'LATEST ARTIFACTS (SUCCEEDED)', 'DEPENDENCIES'];

export function formatStatus(report: StatusReport): string {
  const rows = report.runConfigurations.map((rc) => [rc.runConfiguration, triggers(rc), lastFired(rc), artifacts(rc), dependencies(rc)]);
  const problems = report.runConfigurations.flatMap(reasons);
  const table = formatTable(HEADER, rows);
  const why = problems.length ? `\nWhy not:\n${problems.map((p) => `  ${p}`).join('\n')}\n` : '';
  return `${table}${why}${report.intake ? formatBacklog(report.intake) : ''}`;
}

function formatBacklog(intake: IntakeBacklogReport): string {
  const oldest = intake.pending > 0 ? ` (oldest ${intake.oldestPendingSeconds} s)` : '';
  const head = `\nIntake: ${intake.pending} pending${oldest}, ${intake.dead} dead ${intake.dead === 1 ? 'letter' : 'letters'}\n`;
  const lines = intake.events.map((e) =>
    e.state === 'pending'
      ? `  pending ${e.id}  accepted ${e.acceptedAt}, ${e.attempts} attempts${e.nextAttemptAt ? `, next ${e.nextAttemptAt}` : ''}${e.reason ? `: ${e.reason}` : ''}`
      : `  dead    ${e.id}  ${e.status ?? ''} ${e.reason ?? 'permanent failure'} (after a fix: runbridge retry ${e.id})`,
  );
  const listed = intake.events.length < intake.pending + intake.dead ? [`  … ${intake.pending + intake.dead - intake.events.length} more`] : [];
  return head + [...lines, ...listed].map((l) => `${l}\n`).join('');
}

function triggers(rc: RunConfigurationStatus): string {
  const { git, schedules, upstreams, upstream } = rc.triggers;
  const lines = [...git.map((g) => `git: ${g}`), ...schedules.map((s) => `schedule: ${s}`)];
  if (upstreams.length) lines.push(`upstream (${upstream?.mode ?? 'any'}, on ${upstream?.on ?? 'succeeded'}): ${upstreams.join(', ')}`);
  return lines.length ? lines.join('\n') : '-';
}

function lastFired(rc: RunConfigurationStatus): string {
  const fired = rc.lastFired;
  if (fired === undefined) return 'never';
  const cause = fired.upstream ? `${fired.trigger} ${fired.upstream.runConfiguration} ${fired.upstream.run}` : fired.trigger;
  return `${fired.at}\n${fired.run.namespace}/${fired.run.name}\nevent ${fired.eventId} (${cause})`;
}

function artifacts(rc: RunConfigurationStatus): string {
  const succeeded = rc.latest.succeeded;
  if (succeeded === undefined) return '-';
  const lines = [`${succeeded.run} @ ${succeeded.endTime}`, ...succeeded.artifacts.map((a) => `${a.name}=${a.location}`)];
  lines.push(...succeeded.misses.map((m) => `${m.name}: missing`));
  return lines.join('\n');
}

function dependencies(rc: RunConfigurationStatus): string {
  const lines = rc.dependencies.map((d) => {
    const state = d.location !== undefined ? 'ok' : d.optional ? 'omitted (optional)' : d.hasDefault ? 'default' : 'UNRESOLVED';
    return `${d.parameter} ← ${d.upstream}:${d.outputArtifact} ${state}`;
  });
  if (rc.join) lines.push(rc.join.ready ? 'join: ready' : 'join: waiting');
  return lines.length ? lines.join('\n') : '-';
}

function reasons(rc: RunConfigurationStatus): string[] {
  const out = rc.unresolved.map((d) => `${rc.runConfiguration}: parameter "${d.parameter}": ${d.reason ?? 'unresolved'}`);
  if (rc.join && !rc.join.ready) out.push(`${rc.runConfiguration}: ${rc.join.reason}`);
  const failure = rc.resolution.lastFailure;
  if (failure && rc.resolution.resolvedSince === undefined) out.push(`${rc.runConfiguration}: last refused at ${failure.at} (event ${failure.eventId}): ${failure.message}`);
  for (const miss of rc.latest.succeeded?.misses ?? []) out.push(`${rc.runConfiguration}: artifact ${miss.name} (${miss.path}): ${miss.reason}`);
  return out;
}
