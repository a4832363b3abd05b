/** The `intake` section: where every event is stored before it is answered (docs/adr/0009-durable-intake.md). */
import { z } from 'zod';

/** What both intakes share: how long an event is retried, how it backs off, how large the backlog may grow. */
const intakeCommon = {
  /** An event still failing for a passing reason after this long becomes a dead letter. */
  maxAgeHours: z.number().positive().default(24),
  /** Backlog bounds: over either, new events get 503 with Retry-After. */
  maxPending: z.number().int().positive().default(10_000),
  maxPendingBytes: z.number().int().positive().default(256 * 2 ** 20),
  retry: z
    .strictObject({
      initialDelaySeconds: z.number().positive().default(1),
      maxDelaySeconds: z.number().positive().default(300),
    })
    .default({ initialDelaySeconds: 1, maxDelaySeconds: 300 }),
};

/** One process: the intake's records in a file store of its own (append-only journal, group commit). */
export const fileIntakeSchema = z.strictObject({
  type: z.literal('file').default('file'),
  /** Relative to the configuration file, like state.directory. */
  directory: z.string().min(1).default('.runbridge/intake'),
  ...intakeCommon,
});

/** JetStream's names: no dots, wildcards or whitespace (ADR-6). */
const jetStreamName = z.string().regex(/^[^.*>\s/\\]+$/);

/**
 * Replicas: a work-queue stream shared by all of them, each event published with its id as
 * Nats-Msg-Id, taken by one durable consumer with explicit acks; done and dead-letter records in the
 * NATS KV state store. maxPending and maxPendingBytes become the stream's limits (discard new).
 */
export const jetStreamIntakeSchema = z.strictObject({
  type: z.literal('jetstream'),
  stream: jetStreamName.default('RUNBRIDGE_INTAKE'),
  subject: z.string().regex(/^[^\s*>]+$/).default('runbridge.intake'),
  durable: jetStreamName.default('runbridge-intake'),
  /** How long JetStream remembers an event id to answer a redelivery as a duplicate; later ones are found by their records. */
  duplicateWindowSeconds: z.number().int().min(1).max(86_400).default(600),
  /** How long an event a replica took waits for its ack before JetStream hands it to another replica (a replica that died). */
  ackWaitSeconds: z.number().int().min(1).max(3_600).default(30),
  /** Stream replicas (a JetStream cluster: 3 survives a NATS server loss). */
  replicas: z.number().int().min(1).max(5).default(1),
  ...intakeCommon,
});

/**
 * The durable intake (docs/adr/0009-durable-intake.md): every event is stored here before it is
 * acknowledged, then processed and retried until done, dead-lettered, or older than maxAgeHours.
 */
export const intakeSchema = z.discriminatedUnion('type', [fileIntakeSchema, jetStreamIntakeSchema]);

export type IntakeConfig = z.infer<typeof intakeSchema>;
export type FileIntakeConfig = z.infer<typeof fileIntakeSchema>;
export type JetStreamIntakeConfig = z.infer<typeof jetStreamIntakeSchema>;
