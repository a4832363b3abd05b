/**
 * The dispatcher: for one event, every run configuration it can concern is matched (with a reason
 * when it is not): for a git event those of its repository (repository-index.ts), for a completion
 * its upstream's downstreams; the others are counted as unrelated,
 * and each match goes through resolve → render → submit → record. I/O happens only at the ends
 * (the dedupe record and the sink). Run configurations are handled concurrently; one failing does
 * not stop the others, and the outcome reports each.
 */
import type { Logger } from 'pino';
import type { RunbridgeEvent } from '../events/event.ts';
import type { RunConfiguration } from '../config/schema.ts';
import type { CompiledTemplate } from '../render/template-registry.ts';
import { renderRun } from '../render/render-run.ts';
import { runName } from '../render/run-name.ts';
import { resolveParameters } from '../triggers/resolve-parameters.ts';
import type { Sink } from '../sinks/sink.ts';
import type { StateStore } from '../state/store.ts';
import type { Metrics } from '../observability/metrics.ts';
import { isoClock } from '../events/iso-clock.ts';
import { LOG_KEYS } from '../observability/log-keys.ts';
import { RunbridgeError, SinkError, ParameterError } from '../errors.ts';
import { buildContext } from './build-context.ts';
import { findSubmission, recordSubmission, submissionKeys } from './submission-record.ts';
import { selectRunConfiguration, type Selectable, type UpstreamMatcher } from './select-run-configurations.ts';
import { indexByRepository } from '../triggers/repository-index.ts';
import type { Dispatch, DispatchOutcome, RunFailure, RunOutcome } from './dispatch-outcome.ts';

export interface DispatchTarget extends Selectable {
  readonly spec: RunConfiguration;
  readonly template: CompiledTemplate;
}

export type ArtifactResolver = (ref: { name: string; outputArtifact: string; optional: boolean }) => string | undefined;

export interface DispatcherOptions {
  readonly runConfigurations: readonly DispatchTarget[];
  readonly sink: Sink;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly clock?: () => Date;
  readonly dryRun?: boolean;
  /** Chaining: decides which run configurations a completion starts. */
  readonly upstream?: UpstreamMatcher;
  /** Chaining: resolves `valueFrom.runConfigurationRef` for one run configuration and event. */
  readonly artifactResolver?: (rc: DispatchTarget, event: RunbridgeEvent) => Promise<ArtifactResolver>;
  /**
   * Called once a run was submitted, while its submission record is written (chaining bookkeeping,
   * published events): the two writes share one journal write instead of waiting for each other.
   */
  readonly onSubmitted?: (rc: DispatchTarget, event: RunbridgeEvent, outcome: RunOutcome) => Promise<void>;
  /**
   * Chaining: the only run configurations an event can start, when that is known before matching
   * (a completion: its upstream's downstreams). The others are counted as `unrelated`, not listed.
   */
  readonly candidates?: (event: RunbridgeEvent) => readonly DispatchTarget[] | undefined;
  /**
   * Chaining: true when the event was certainly never dispatched before (a completion whose
   * upstream run was entered in the ledger just now), so there is no submission record to look up.
   * The sink's create under the deterministic run name stays the guard against a second run.
   */
  readonly neverDispatched?: (event: RunbridgeEvent) => boolean;
}

export function createDispatcher(options: DispatcherOptions): Dispatch {
  const clock = isoClock(options.clock ?? (() => new Date()));
  const byRepository = indexByRepository(options.runConfigurations);
  return async (event) => {
    const started = performance.now();
    const selected: { rc: DispatchTarget; trigger: string; note: string | undefined }[] = [];
    const skipped: { runConfiguration: string; reason: string }[] = [];
    const candidates = options.candidates?.(event) ?? byRepository.candidates(event);
    for (const rc of candidates ?? options.runConfigurations) {
      const match = selectRunConfiguration(rc, event, options.upstream);
      if (match.matched) selected.push({ rc, trigger: match.trigger, note: match.note });
      else skipped.push({ runConfiguration: rc.key, reason: match.reason });
    }
    const matched = await Promise.all(
      selected.map(async ({ rc, trigger, note }) => {
        const run = await handleRun(options, clock, rc, trigger, event);
        return note === undefined ? run : { ...run, note };
      }),
    );
    const outcome: DispatchOutcome = {
      eventId: event.id,
      eventType: event.type,
      source: event.source,
      matched,
      skipped,
      ...(candidates ? { unrelated: options.runConfigurations.length - candidates.length } : {}),
    };
    const failed = matched.some((m) => m.error);
    options.metrics?.eventsReceived.inc({ source: event.source, outcome: failed ? 'failed' : matched.length ? 'matched' : 'no_match' });
    options.metrics?.eventDuration.observe({ source: event.source }, (performance.now() - started) / 1000);
    options.logger.info(
      {
        [LOG_KEYS.eventId]: event.id,
        [LOG_KEYS.source]: event.source,
        [LOG_KEYS.eventType]: event.type,
        matched: matched.map((m) => ({ runConfiguration: m.runConfiguration, run: m.run?.name, kind: m.run?.kind, created: m.run?.created, error: m.error?.message })),
        // Every non-match's reason is in the answer; the log carries them at debug only, so an
        // event against thousands of run configurations costs one short line at info.
        skipped: options.logger.isLevelEnabled('debug') ? skipped : skipped.length,
        [LOG_KEYS.durationMs]: Math.round(performance.now() - started),
      },
      matched.length ? `event handled: ${matched.length} run configuration(s) matched` : 'event handled: no run configuration matched',
    );
    return outcome;
  };
}

async function handleRun(
  options: DispatcherOptions,
  clock: () => string,
  rc: DispatchTarget,
  trigger: string,
  event: RunbridgeEvent,
): Promise<RunOutcome> {
  // The event line (above) reports every run at info; these lines add detail at debug, and a
  // failure at warn. Their keys are built only when a line is written: no child logger per run.
  const keys = () => ({ [LOG_KEYS.eventId]: event.id, [LOG_KEYS.source]: event.source, [LOG_KEYS.runConfiguration]: rc.key });
  const debug = options.logger.isLevelEnabled('debug');
  // The metric label for the run's kind: `Kind.group`, so the two kinds named Run stay apart.
  let kind = 'unrendered';
  try {
    const name = runName(rc.spec.name, rc.key, event.id);
    // Never dispatched: no record to look up, and the record's keys are made when it is written.
    const recordKeys = options.neverDispatched?.(event) ? undefined : submissionKeys(event.id, rc.key, name);
    const previous = recordKeys === undefined ? undefined : await findSubmission(options.store, event.id, rc.key, name, recordKeys);
    if (previous) {
      if (debug) options.logger.debug({ ...keys(), run: previous.run.name }, 'duplicate event: run already created for this event');
      options.metrics?.runsSubmitted.inc({ kind: kindLabel(previous.run), outcome: 'existing' });
      return { runConfiguration: rc.key, trigger, run: { ...previous.run, created: false } };
    }
    const resolveArtifact = options.artifactResolver ? await options.artifactResolver(rc, event) : undefined;
    const resolved = resolveParameters(rc.spec, event, resolveArtifact ? { resolveArtifact } : {});
    const { params, parameters } = applyOverrides(rc.key, rc.spec.parameters.map((p) => p.name), resolved, event.manual?.params);
    const context = buildContext({ rc: rc.spec, event, params, parameters, name, now: clock() });
    const manifest = renderRun(rc.template, context, {
      runConfiguration: { name: rc.spec.name, namespace: rc.spec.namespace },
      event: { id: event.id, source: event.source, type: event.type, trigger: event.trigger },
      labels: rc.spec.labels,
      annotations: rc.spec.annotations,
    });
    kind = kindLabel(manifest);
    const submitStarted = performance.now();
    const run = await options.sink.submit(manifest, options.dryRun ? { dryRun: true } : {});
    options.metrics?.submissionDuration.observe({ kind }, (performance.now() - submitStarted) / 1000);
    options.metrics?.runsSubmitted.inc({ kind, outcome: run.dryRun ? 'dry_run' : run.created ? 'created' : 'existing' });
    const outcome: RunOutcome = { runConfiguration: rc.key, trigger, run };
    if (!run.dryRun) {
      const record = { eventId: event.id, runConfiguration: rc.key, trigger, run, submittedAt: clock() };
      await Promise.all([recordSubmission(options.store, record, name, recordKeys), options.onSubmitted?.(rc, event, outcome)]);
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
    options.logger.warn({ ...keys(), err: error, [LOG_KEYS.status]: failure.status, [LOG_KEYS.reason]: failure.message }, 'run not created');
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
