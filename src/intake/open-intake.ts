/**
 * The daemon's file intake: a file store of its own under `intake.directory` (its journal is the
 * append-only log with group commit; done records expire after `doneRetentionMs`), the engine, and one typed door per kind of
 * event — `acceptEvent` for what the dispatcher handles (git, run now), `acceptCompletion` for
 * completions over HTTP. Its gauges are read from the engine when /metrics is scraped. The
 * JetStream intake (open-jetstream-intake.ts) gets the same doors through `daemonIntake`.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { CompletionOutcome } from '../chaining/completion-outcome.ts';
import type { IntakeConfig } from '../config/intake-schema.ts';
import type { DispatchOutcome } from '../dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import { Gauge, type Registry } from 'prom-client';
import type { Metrics } from '../observability/metrics.ts';
import { createFileStore } from '../state/file-store.ts';
import { attemptOfCompletion, attemptOfDispatch } from './attempt-of-outcome.ts';
import type { AttemptResult } from './attempt-result.ts';
import { createIntake } from './create-intake.ts';
import type { Intake, IntakeEngineOptions, Submitted } from './intake.ts';
import { ConfigError } from '../errors.ts';
import { intakeRetention, stateIntakeStore } from './intake-store.ts';
import { retentionByPrefix } from '../state/retention.ts';

export type EventAnswer = { readonly kind: 'dispatch'; readonly outcome: DispatchOutcome } | { readonly kind: 'completion'; readonly outcome: CompletionOutcome };

export type Retried =
  | { readonly kind: 'dispatch'; readonly submitted: Submitted<DispatchOutcome> }
  | { readonly kind: 'completion'; readonly submitted: Submitted<CompletionOutcome> };

/** Stores an event the dispatcher handles (git, run now), then processes it; what the caller is told. */
/** Hands an event to the intake; `bytes`: the size it arrived as (a webhook's body), when known. */
export type AcceptEvent = (event: RunbridgeEvent, bytes?: number) => Promise<Submitted<DispatchOutcome>>;

export interface DaemonIntake {
  readonly intake: Intake<EventAnswer>;
  readonly acceptEvent: AcceptEvent;
  acceptCompletion(event: RunbridgeEvent): Promise<Submitted<CompletionOutcome>>;
  /** Takes a dead letter back and processes it again now (IntakeNotFoundError when there is none). */
  retry(id: string): Promise<Retried>;
  /** After stop: closes the store. */
  close(): Promise<void>;
}

export interface OpenIntakeOptions {
  readonly baseDir: string;
  readonly answerWithinMs: number;
  /** How long done records are kept (`state.dedupeRetentionHours`): a redelivery within it is answered as a duplicate. */
  readonly doneRetentionMs: number;
  readonly dispatch: (event: RunbridgeEvent) => Promise<DispatchOutcome>;
  readonly handleCompletion: (event: RunbridgeEvent) => Promise<CompletionOutcome>;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly clock?: (() => Date) | undefined;
}

/** The intake's key for an event: its id within its source, so sources never share an id. */
export function intakeId(event: Pick<RunbridgeEvent, 'source' | 'id'>): string {
  return `${event.source}:${event.id}`;
}

export function openIntake(config: IntakeConfig, options: OpenIntakeOptions): DaemonIntake {
  if (config.type !== 'file') throw new ConfigError([{ path: 'intake.type', message: `${config.type} is opened with openJetStreamIntake` }]);
  const directory = isAbsolute(config.directory) ? config.directory : resolve(options.baseDir, config.directory);
  const clock = options.clock;
  const state = createFileStore({
    directory,
    retention: retentionByPrefix([intakeRetention(options.doneRetentionMs)]),
    ...(clock && { now: () => clock().getTime() }),
  });
  const intake = createIntake<EventAnswer>({
    ...intakeEngineOptions(config, options),
    store: stateIntakeStore(state),
    bounds: { maxPending: config.maxPending, maxPendingBytes: config.maxPendingBytes },
  });
  return daemonIntake(intake, options.metrics, () => state.close());
}

/** What every kind of intake is given: how to process each kind of event, the retry policy, the answer bound, metrics. */
export function intakeEngineOptions(config: IntakeConfig, options: OpenIntakeOptions): IntakeEngineOptions<EventAnswer> {
  const { metrics } = options;
  return {
    process: async (entry) =>
      entry.kind === 'dispatch'
        ? tagged('dispatch', attemptOfDispatch(await options.dispatch(entry.event)))
        : tagged('completion', attemptOfCompletion(await options.handleCompletion(entry.event))),
    policy: { initialDelayMs: config.retry.initialDelaySeconds * 1000, maxDelayMs: config.retry.maxDelaySeconds * 1000, maxAgeMs: config.maxAgeHours * 3_600_000 },
    answerWithinMs: options.answerWithinMs,
    logger: options.logger,
    clock: options.clock,
    observe: (seen) => (seen.kind === 'refused' ? metrics?.intakeRefused.inc() : metrics?.intakeAttempts.inc({ result: seen.result })),
  };
}

/** The daemon's doors onto an intake of either kind, and its gauges. */
export function daemonIntake(intake: Intake<EventAnswer>, metrics: Metrics | undefined, close: () => Promise<void>): DaemonIntake {
  if (metrics) registerIntakeGauges(metrics.registry, intake);
  return {
    intake,
    acceptEvent: async (event, bytes) => narrow(await intake.submit({ id: intakeId(event), kind: 'dispatch', event, ...(bytes === undefined ? {} : { bytes }) }), 'dispatch'),
    acceptCompletion: async (event) => narrow(await intake.submit({ id: intakeId(event), kind: 'completion', event }), 'completion'),
    async retry(id) {
      const submitted = await intake.retry(id);
      const kind = submitted.state === 'done' ? submitted.answer.kind : submitted.record.kind;
      return kind === 'dispatch' ? { kind, submitted: narrow(submitted, kind) } : { kind, submitted: narrow(submitted, kind) };
    },
    close,
  };
}

function tagged(kind: 'dispatch', attempt: AttemptResult<DispatchOutcome>): AttemptResult<EventAnswer>;
function tagged(kind: 'completion', attempt: AttemptResult<CompletionOutcome>): AttemptResult<EventAnswer>;
function tagged(kind: EventAnswer['kind'], attempt: AttemptResult<DispatchOutcome> | AttemptResult<CompletionOutcome>): AttemptResult<EventAnswer> {
  const answer = { kind, outcome: attempt.answer } as EventAnswer;
  return { ...attempt, answer };
}

function narrow(submitted: Submitted<EventAnswer>, kind: 'dispatch'): Submitted<DispatchOutcome>;
function narrow(submitted: Submitted<EventAnswer>, kind: 'completion'): Submitted<CompletionOutcome>;
/** The answer of the kind asked for; an event stored under the same id by another kind carries none. */
function narrow(submitted: Submitted<EventAnswer>, kind: EventAnswer['kind']): Submitted<DispatchOutcome | CompletionOutcome> {
  const answer = submitted.answer?.kind === kind ? submitted.answer.outcome : undefined;
  if (submitted.state === 'done') {
    if (answer !== undefined) return { state: 'done', duplicate: submitted.duplicate, answer };
    throw new Error(`the intake answered a ${kind} event with another kind's outcome`);
  }
  const { state, duplicate, record } = submitted;
  return answer === undefined ? { state, duplicate, record } : { state, duplicate, record, answer };
}

/** Backlog gauges, read from the engine when /metrics is scraped. */
function registerIntakeGauges(registry: Registry, intake: Intake<EventAnswer>): void {
  const registers = [registry];
  new Gauge({ name: 'runbridge_intake_pending', help: 'Events stored in the intake and not yet done.', registers, collect() { this.set(intake.pendingCount()); } });
  new Gauge({ name: 'runbridge_intake_dead_letters', help: 'Events kept as dead letters, waiting for a fix and `runbridge retry`.', registers, collect() { this.set(intake.backlog().dead.length); } });
  new Gauge({
    name: 'runbridge_intake_oldest_pending_seconds',
    help: 'Age of the oldest pending event in the intake; 0 when none.',
    registers,
    collect() {
      this.set(intake.oldestPendingAgeMs() / 1000);
    },
  });
}
