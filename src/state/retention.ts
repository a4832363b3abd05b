/**
 * How long a state record lives, by its key: the first rule whose prefix the key starts with gives
 * the lifetime; a key no rule names lives until it is deleted. Records whose number is bounded by
 * the configuration (one per run configuration or schedule: the latest artifacts, the last fired
 * run, slots) are left without a lifetime, so the latest artifacts never expire while they are the
 * latest; records made per event or per run get one (see stateRetention).
 */
export interface Retention {
  /** The key's lifetime in ms, or undefined: it never expires. */
  lifetimeMs(key: string): number | undefined;
}

export interface RetentionRule {
  readonly prefix: string;
  readonly lifetimeMs: number;
}

export function retentionByPrefix(rules: readonly RetentionRule[]): Retention {
  return {
    lifetimeMs(key) {
      for (const rule of rules) if (key.startsWith(rule.prefix)) return rule.lifetimeMs;
      return undefined;
    },
  };
}

/**
 * runbridge's records with a lifetime: those made per event or per run. `dedupeMs` must outlast
 * every forge's redelivery window (some forges redeliver for days) and
 * JetStream's redeliveries.
 */
export function stateRetention(options: { readonly dedupeMs: number }): Retention {
  const lifetimeMs = options.dedupeMs;
  return retentionByPrefix(
    ['submissions.', 'runs.', 'completions.', 'chaining.completions.'].map((prefix) => ({ prefix, lifetimeMs })),
  );
}
