/**
 * How runbridge reads cron expressions (croner options), shared by load-time validation and the
 * cron source so that what validates is exactly what runs: 5 fields, or 6 with seconds first, or a
 * nickname (`@daily`); day-of-month and day-of-week combine with OR, as in Vixie cron and
 * Kubernetes CronJobs.
 */
export const CRON_PATTERN_OPTIONS = { mode: '5-or-6-parts', domAndDow: false } as const;
