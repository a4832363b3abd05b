/**
 * The dispatcher: for one event, every run configuration it can concern is matched (with a reason
 * when it is not): for a git event those of its repository (repository-index.ts); for a completion
 * the plan the completion handler made says which of its upstream's downstreams start. The others
 * are counted as unrelated. Each match goes through
 * resolve → render → submit → record, under the event's key (its id in its source's own space,
 * src/events/event-key.ts), which names its runs and its records. I/O happens only at the ends (the dedupe record, the
 * upstream artifacts, the sink). Run configurations are handled concurrently; one failing does
 * not stop the others, and the outcome reports each.
 */
import type { Logger } from 'pino';
import type { ArtifactRef } from '../config/loaded-config.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import type { RunConfiguration } from '../config/schema.ts';
import type { CompiledTemplate } from '../render/template-registry.ts';
import { renderRun } from '../render/render-run.ts';
import { runIdentity, runName } from '../render/run-name.ts';
import { resolveParameters } from '../triggers/resolve-parameters.ts';
import type { Sink } from '../sinks/sink.ts';
import type { CoalescingStore } from '../chaining/coalesce-record-updates.ts';
import { resolveUpstreamArtifacts, type ArtifactResolution } from '../chaining/resolve-upstream-artifacts.ts';
import type { Metrics } from '../observability/metrics.ts';
import { isoClock } from '../events/iso-clock.ts';
import { LogKeys } from '../observability/log-keys.ts';
import { RunbridgeError, SinkError, ParameterError } from '../errors.ts';
import { eventKey } from '../events/event-key.ts';
import { buildContext } from './build-context.ts';
import { findSubmission, recordSubmission } from './submission-record.ts';
import { selectRunConfiguration, type Selectable } from './select-run-configurations.ts';
import type { Dispatcher, DispatchOutcome, RunFailure, RunOutcome } from './dispatch-outcome.ts';
import type { DispatchPlan } from './dispatch-plan.ts';
import { indexByRepository } from '../triggers/repository-index.ts';

export interface DispatchTarget extends Selectable {
  readonly spec: RunConfiguration;
  readonly template: CompiledTemplate;
  readonly artifactRefs: readonly ArtifactRef[];
}

/**
 * Called once a run was submitted, while its submission record is written (chaining bookkeeping,
 * published events): the writes share one journal write instead of waiting for each other.
 * `plan`: the one the event was dispatched with, if any.
 */
export type OnSubmitted = (rc: DispatchTarget, event: RunbridgeEvent, outcome: RunOutcome, plan: DispatchPlan | undefined) => Promise<void>;

export interface DispatcherOptions {
  readonly runConfigurations: readonly DispatchTarget[];
  readonly sink: Sink;
  /** Submission records, and the upstream artifacts' latest runs and resolution records. */
  readonly store: CoalescingStore;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly clock?: () => Date;
  readonly dryRun?: boolean;
  readonly onSubmitted?: OnSubmitted;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const clock = isoClock(options.clock ?? (() => new Date()));
  const artifacts: ArtifactResolution = { store: options.store, logger: options.logger, now: clock };
  const byRepository = indexByRepository(options.runConfigurations);
  return async (event, plan) => {
    const started = performance.now();
    const selected: { rc: DispatchTarget; trigger: string; note: string | undefined }[] = [];
    const skipped: { runConfiguration: string; reason: string }[] = [];
    const candidates = plan ? undefined : byRepository.candidates(event);
    const targets = plan?.targets ?? (candidates ?? options.runConfigurations).map((rc) => ({ rc, match: selectRunConfiguration(rc, event) }));
    for (const { rc, match } of targets) {
      if (match.matched) selected.push({ rc, trigger: match.trigger, note: match.note });
      else skipped.push({ runConfiguration: rc.key, reason: match.reason });
    }
    const matched = await Promise.all(
      selected.map(async ({ rc, trigger, note }) => {
        const run = await handleRun(options, { clock, artifacts }, rc, trigger, event, plan);
        return note === undefined ? run : { ...run, note };
      }),
    );
    const outcome: DispatchOutcome = {
      eventId: event.id,
      eventType: event.type,
      source: event.source,
      matched,
      skipped,
      ...(plan || candidates ? { unrelated: options.runConfigurations.length - targets.length } : {}),
    };
    const failed = matched.some((m) => m.error);
    options.metrics?.eventsReceived.inc({ source: event.source, outcome: failed ? 'failed' : matched.length ? 'matched' : 'no_match' });
    options.metrics?.eventDuration.observe({ source: event.source }, (performance.now() - started) / 1000);
    options.logger.info(
      {
        [LogKeys.eventId]: event.id,
        [LogKeys.source]: event.source,
        [LogKeys.eventType]: event.type,
        matched: matched.map((m) => ({ runConfiguration: m.runConfiguration, run: m.run?.name, kind: m.run?.kind, created: m.run?.created, error: m.error?.message })),
        // Every non-match's reason is in the answer; the log carries them at debug only, so an
        // event against thousands of run configurations costs one short line at info.
        skipped: options.logger.isLevelEnabled('debug') ? skipped : skipped.length,
        [LogKeys.durationMs]: Math.round(performance.now() - started),
      },
      matched.length ? `event handled: ${matched.length} run configuration(s) matched` : 'event handled: no run configuration matched',
    );
    return outcome;
  };
}

async function handleRun(
  options: DispatcherOptions,
  steps: { readonly clock: () => string; readonly artifacts: ArtifactResolution },
  rc: DispatchTarget,
  trigger: string,
  event: RunbridgeEvent,
  plan: DispatchPlan | undefined,
): Promise<RunOutcome> {
  const { clock } = steps;
  // The event in its source's id space (event-key.ts): its run names and records are its own.
  const key = plan?.eventKey ?? eventKey(event);
  if (key !== event.id) event = { ...event, id: key };
  // The event line (above) reports every run at info; these lines add detail at debug, and a
  // failure at warn. Their keys are built only when a line is written: no child logger per run.
  const keys = () => ({ [LogKeys.eventId]: event.id, [LogKeys.source]: event.source, [LogKeys.runConfiguration]: rc.key });
  const debug = options.logger.isLevelEnabled('debug');
  // The metric label for the run's kind: `Kind.group`, so the two kinds named Run stay apart.
  let kind = 'unrendered';
  try {
    const identity = runIdentity(rc.key, event.id);
    const name = runName(rc.spec.name, identity);
    const previous = plan?.neverDispatched ? undefined : await findSubmission(options.store, event.id, rc.key, name);
    if (previous) {
      if (debug) options.logger.debug({ ...keys(), run: previous.run.name }, 'duplicate event: run already created for this event');
      options.metrics?.runsSubmitted.inc({ kind: kindLabel(previous.run), outcome: 'existing' });
      return { runConfiguration: rc.key, trigger, run: { ...previous.run, created: false } };
    }
    const resolveArtifact = await resolveUpstreamArtifacts(steps.artifacts, rc, event, plan?.upstreamRuns.get(rc.key));
    const resolved = resolveParameters(rc.spec, event, resolveArtifact ? { resolveArtifact } : {});
    const { params, parameters } = applyOverrides(rc.key, rc.spec.parameters.map((p) => p.name), resolved, event.manual?.params);
    const context = buildContext({ rc: rc.spec, event, params, parameters, name, now: clock() });
    const manifest = renderRun(rc.template, context, {
      runConfiguration: { name: rc.spec.name, namespace: rc.spec.namespace },
      event: { id: event.id, source: event.source, type: event.type, trigger: event.trigger },
      labels: rc.spec.labels,
      annotations: rc.spec.annotations,
      identity,
    });
    kind = kindLabel(manifest);
    const submitStarted = performance.now();
    const run = await options.sink.submit(manifest, options.dryRun ? { dryRun: true } : {});
    options.metrics?.submissionDuration.observe({ kind }, (performance.now() - submitStarted) / 1000);
    options.metrics?.runsSubmitted.inc({ kind, outcome: run.dryRun ? 'dry_run' : run.created ? 'created' : 'existing' });
    const outcome: RunOutcome = { runConfiguration: rc.key, trigger, run };
    if (!run.dryRun) {
      const record = { eventId: event.id, runConfiguration: rc.key, trigger, run, submittedAt: clock() };
      await Promise.all([recordSubmission(options.store, record, name), options.onSubmitted?.(rc, event, outcome, plan)]);
    }
    if (debug) options.logger.debug({ ...keys(), run: run.name, kind: run.kind, created: run.created, location: run.location }, run.created ? 'run created' : 'run already existed');
    return outcome;
  } catch (error) {
    const failure = toFailure(error);
    if (error instanceof ParameterError) {
      options.metrics?.dependencyFailures.inc({ run_configuration: rc.key, reason: 'unresolved_parameter' });
    } else {
      options.metrics?.runsSubmitted.inc({ kind, outcome: 'failed' });
    }
    options.logger.warn({ ...keys(), err: error, [LogKeys.status]: failure.status, [LogKeys.reason]: failure.message }, 'run not created');
    return { runConfiguration: rc.key, trigger, error: failure };
  }
}

/** Manual runs may override declared parameters; an undeclared name is an error, not silently ignored. */
export function applyOverrides(
  runConfiguration: string,
  declaredNames: readonly string[],
  resolved: { params: Record<string, string>; parameters: { name: string; value: string }[] },
  overrides: Readonly<Record<string, string>> | undefined,
): { params: Record<string, string>; parameters: { name: string; value: string }[] } {
  if (!overrides) return resolved;
  const declared = new Set(declaredNames);
  const unknown = Object.keys(overrides).filter((k) => !declared.has(k));
  if (unknown.length) {
    throw new ParameterError(`run configuration ${runConfiguration} declares no parameter ${unknown.map((u) => JSON.stringify(u)).join(', ')}`);
  }
  const given = new Map(Object.entries(overrides));
  const parameters = declaredNames.flatMap((name) => {
    const value = given.get(name) ?? resolved.params[name];
    return value === undefined ? [] : [{ name, value }];
  });
  return { params: Object.fromEntries(parameters.map((p) => [p.name, p.value])), parameters };
}

/** `Run.pipelines.kubeflow.org`, `CustomRun.tekton.dev`: kind and group, like kubectl's resource.group. */
export function kindLabel(run: { apiVersion: string; kind: string }): string {
  const slash = run.apiVersion.indexOf('/');
  return slash < 0 ? run.kind : `${run.kind}.${run.apiVersion.slice(0, slash)}`;
}

function toFailure(error: unknown): RunFailure {
  if (error instanceof SinkError) return { code: error.code, status: error.status, message: error.message, retryable: error.retryable };
  if (error instanceof RunbridgeError) return { code: error.code, status: error.status, message: error.message, retryable: error.status >= 500 };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'RB_INTERNAL', status: 500, message, retryable: true };
}
