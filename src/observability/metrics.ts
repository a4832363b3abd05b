/**
 * runbridge's Prometheus metrics, registered on a Registry the caller owns (no global registry).
 * Histograms, not summaries, so replicas aggregate. Names follow Prometheus conventions.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** Events received, by source and outcome (matched | no_match | rejected | duplicate | failed). */
  readonly eventsReceived: Counter<'source' | 'outcome'>;
  /** Events rejected before dispatch, by source and reason code (signature, malformed, too_large, …). */
  readonly eventsRejected: Counter<'source' | 'reason'>;
  /** Runs submitted, by kind and outcome (created | existing | failed | dry_run). */
  readonly runsSubmitted: Counter<'kind' | 'outcome'>;
  readonly submissionDuration: Histogram<'kind'>;
  readonly eventDuration: Histogram<'source'>;
  /** Dependency resolution failures (missing upstream artifact, unresolved parameter), by run configuration. */
  readonly dependencyFailures: Counter<'run_configuration' | 'reason'>;
  /** Artifact paths that matched nothing, by run configuration. */
  readonly artifactMisses: Counter<'run_configuration'>;
  readonly scheduleSlots: Counter<'run_configuration' | 'outcome'>;
  readonly natsConnected: Gauge;
  readonly completionsRejected: Counter<'source' | 'reason'>;
  readonly buildInfo: Gauge<'version' | 'node'>;
  /** Processing attempts, by result (done | retry | dead | error). */
  readonly intakeAttempts: Counter<'result'>;
  /** Events the intake refused (backlog full, storage failing): answered 503, nothing accepted. */
  readonly intakeRefused: Counter;
  /** Answers to events, by source and status class (200, 202, 4xx, 503). */
  readonly eventAnswers: Counter<'source' | 'status'>;
}

export function createMetrics(options: { registry?: Registry; version?: string; defaultMetrics?: boolean } = {}): Metrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'runbridge_' });
  const buildInfo = new Gauge({
    name: 'runbridge_build_info',
    help: 'Build information; always 1.',
    labelNames: ['version', 'node'] as const,
    registers,
  });
  buildInfo.set({ version: options.version ?? 'dev', node: process.version }, 1);
  return {
    registry,
    eventsReceived: new Counter({
      name: 'runbridge_events_received_total',
      help: 'Events received, by source and outcome.',
      labelNames: ['source', 'outcome'] as const,
      registers,
    }),
    eventsRejected: new Counter({
      name: 'runbridge_events_rejected_total',
      help: 'Events rejected before dispatch, by source and reason.',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    runsSubmitted: new Counter({
      name: 'runbridge_runs_submitted_total',
      help: 'Runs submitted to the sink, by kind and outcome.',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    submissionDuration: new Histogram({
      name: 'runbridge_submission_duration_seconds',
      help: 'Time to submit one run to the sink, retries included.',
      labelNames: ['kind'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    eventDuration: new Histogram({
      name: 'runbridge_event_duration_seconds',
      help: 'Time to handle one event end to end (match, resolve, render, submit, record).',
      labelNames: ['source'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    dependencyFailures: new Counter({
      name: 'runbridge_dependency_resolution_failures_total',
      help: 'Runs not started because a parameter or upstream artifact could not be resolved.',
      labelNames: ['run_configuration', 'reason'] as const,
      registers,
    }),
    artifactMisses: new Counter({
      name: 'runbridge_artifact_path_misses_total',
      help: 'Artifact paths that matched no output of a completed run.',
      labelNames: ['run_configuration'] as const,
      registers,
    }),
    scheduleSlots: new Counter({
      name: 'runbridge_schedule_slots_total',
      help: 'Schedule slots, by run configuration and outcome (fired, skipped_forbid, skipped_deadline, skipped_suspended).',
      labelNames: ['run_configuration', 'outcome'] as const,
      registers,
    }),
    natsConnected: new Gauge({
      name: 'runbridge_nats_connected',
      help: '1 while connected to NATS, 0 otherwise.',
      registers,
    }),
    completionsRejected: new Counter({
      name: 'runbridge_completions_rejected_total',
      help: 'Completion events rejected as malformed, by source and reason.',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    buildInfo,
    intakeAttempts: new Counter({
      name: 'runbridge_intake_attempts_total',
      help: 'Attempts at processing stored events, by result (done, retry, dead, error).',
      labelNames: ['result'] as const,
      registers,
    }),
    intakeRefused: new Counter({ name: 'runbridge_intake_refused_total', help: 'Events refused because the intake could not store them (503).', registers }),
    eventAnswers: new Counter({
      name: 'runbridge_event_answers_total',
      help: 'Answers to events, by source and status (200, 202, 4xx, 503).',
      labelNames: ['source', 'status'] as const,
      registers,
    }),
  };
}
