import { parseCronSpec } from '../sources/cron/parse-cron-spec.ts';

/**
 * How runbridge reads cron expressions, shared by load-time validation and the cron source so that
 * what validates is exactly what runs: parsed as Kubernetes parses them (parseCronSpec, robfig/cron
 * v3's standard parser), restated as explicit value lists for croner. Throws CronSpecError.
 */
export function cronPatternOptions(spec: string): { readonly pattern: string; readonly options: { readonly mode: '5-or-6-parts'; readonly domAndDow: boolean } } {
  const parsed = parseCronSpec(spec);
  return { pattern: parsed.pattern, options: { mode: '5-or-6-parts', domAndDow: parsed.domAndDow } };
}
