/**
 * The NATS completion source as configured (`completions.nats`): a durable JetStream consumer when
 * `jetstream` is set, else a core NATS subscription; on the shared connection (connectNats), which
 * reconnects forever. `reasons()` is for the daemon's readiness: empty while completions flow.
 */
import type { CompletionsConfig } from '../../config/schema.ts';
import type { NatsHandle } from '../../nats/connect.ts';
import type { HandleCompletionEvent } from './handle-completion-event.ts';
import type { CompletionSourceContext } from './read-completion.ts';
import type { RedeliveryBackoff } from './redelivery-delay.ts';
import { startCoreNatsSource, type RunningSource } from './start-core-nats-source.ts';
import { startJetStreamSource } from './start-jetstream-source.ts';

export type NatsCompletionsConfig = NonNullable<CompletionsConfig['nats']>;

export interface NatsCompletionsOptions extends CompletionSourceContext {
  readonly nats: NatsHandle;
  readonly config: NatsCompletionsConfig;
  readonly handle: HandleCompletionEvent;
  /** JetStream tuning (tests use short delays). */
  readonly ackWaitMs?: number;
  readonly redelivery?: RedeliveryBackoff;
  readonly restartDelayMs?: number;
}

export interface NatsCompletions extends RunningSource {
  readonly mode: 'core' | 'jetstream';
  /** Why completions are not flowing now; empty when they are. */
  reasons(): string[];
}

export async function startNatsCompletions(options: NatsCompletionsOptions): Promise<NatsCompletions> {
  const { nats, config } = options;
  const disconnected = (): string[] => (nats.connected() ? [] : ['NATS is disconnected; reconnecting']);
  const context = { logger: options.logger, metrics: options.metrics, clock: options.clock };
  if (!config.jetstream) {
    const core = await startCoreNatsSource({ ...context, nc: nats.nc, subject: config.subject, handle: options.handle });
    return { mode: 'core', reasons: disconnected, stop: () => core.stop() };
  }
  const source = await startJetStreamSource({
    ...context,
    nc: nats.nc,
    subject: config.subject,
    ...config.jetstream,
    handle: options.handle,
    ...(options.ackWaitMs !== undefined ? { ackWaitMs: options.ackWaitMs } : {}),
    ...(options.redelivery !== undefined ? { redelivery: options.redelivery } : {}),
    ...(options.restartDelayMs !== undefined ? { restartDelayMs: options.restartDelayMs } : {}),
  });
  return {
    mode: 'jetstream',
    reasons: () => {
      const down = disconnected();
      return down.length > 0 ? down : source.problems();
    },
    stop: () => source.stop(),
  };
}
