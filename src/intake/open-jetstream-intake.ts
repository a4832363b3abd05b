/**
 * The daemon's JetStream intake, for replicas: the shared stream and consumer named by `intake`,
 * on the daemon's NATS connection, with its records in the shared NATS KV state store. Loaded only
 * when the configuration asks for it.
 */
import type { JetStreamIntakeConfig } from '../config/intake-schema.ts';
import { ConfigError } from '../errors.ts';
import type { NatsHandle } from '../nats/connect.ts';
import type { StateStore } from '../state/store.ts';
import { createJetStreamIntake } from './create-jetstream-intake.ts';
import { stateIntakeStore } from './intake-store.ts';
import { daemonIntake, intakeEngineOptions, type DaemonIntake, type EventAnswer, type OpenIntakeOptions } from './open-intake.ts';

export interface OpenJetStreamIntakeOptions extends OpenIntakeOptions {
  readonly nats: NatsHandle | undefined;
  /** The daemon's state store: NATS KV, shared by the replicas. */
  readonly state: StateStore;
}

export function openJetStreamIntake(config: JetStreamIntakeConfig, options: OpenJetStreamIntakeOptions): DaemonIntake {
  const { nats } = options;
  if (!nats) throw new ConfigError([{ path: 'intake.type', message: 'jetstream needs the top-level nats connection' }]);
  const intake = createJetStreamIntake<EventAnswer>({
    ...intakeEngineOptions(config, options),
    nc: nats.nc,
    connected: () => nats.connected(),
    store: stateIntakeStore(options.state),
    spec: {
      stream: config.stream,
      subject: config.subject,
      durable: config.durable,
      duplicateWindowMs: config.duplicateWindowSeconds * 1000,
      maxMessages: config.maxPending,
      maxBytes: config.maxPendingBytes,
      replicas: config.replicas,
      ackWaitMs: config.ackWaitSeconds * 1000,
    },
  });
  // The state store and the connection are the daemon's: it closes them.
  return daemonIntake(intake, options.metrics, async () => {});
}
