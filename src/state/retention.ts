/**
 * How long a state record lives, by its key: the first rule whose prefix the key starts with
 * decides the lifetime; a key no rule names lives until it is deleted. Records whose number is
 * bounded by the configuration (one per run configuration or schedule: the latest artifacts, the
 * last fired run, join claims, slots) are left without a lifetime, so the latest artifacts never
 * expire while they are the latest; records made per event or per run get one (see stateRetention).
 * A rule may give its lifetime only to some values under its prefix (the intake's done records,
 * while its pending events and dead letters stay).
 */
import { intakeRetention } from '../intake/intake-store.ts';

export interface Retention {
  /** The lifetime in ms of `value` written under `key`, or undefined: it never expires. */
  lifetimeMs(key: string, value: unknown): number | undefined;
}

export interface RetentionRule {
  readonly prefix: string;
  readonly lifetimeMs: number;
  /** Only values this holds for get the lifetime; the others under the prefix never expire. All when absent. */
  readonly applies?: (value: unknown) => boolean;
}

export function retentionByPrefix(rules: readonly RetentionRule[]): Retention {
  return {
    lifetimeMs(key, value) {
      for (const rule of rules) {
        if (key.startsWith(rule.prefix)) return rule.applies === undefined || rule.applies(value) ? rule.lifetimeMs : undefined;
      }
      return undefined;
    },
  };
}

/**
 * runbridge's records with a lifetime: those made per event or per run, and the intake's done
 * records (the JetStream intake keeps them in the shared state store). `dedupeMs` must outlast
 * every forge's redelivery window (some forges redeliver for days) and
 * JetStream's redeliveries.
 */
export function stateRetention(options: { readonly dedupeMs: number }): Retention {
  const lifetimeMs = options.dedupeMs;
  return retentionByPrefix([
    ...['submissions.', 'runs.', 'completions.', 'chaining.completions.'].map((prefix) => ({ prefix, lifetimeMs })),
    intakeRetention(lifetimeMs),
  ]);
}
