/**
 * What every benchmark hands back: a table of what was measured (the project and its baseline,
 * side by side), the targets it was held to, and the raw numbers for bench/results.json.
 */
export interface Target {
  /** What is promised, e.g. "≥ 0.7 × the bare baseline". */
  readonly description: string;
  /** The measured value, formatted. */
  readonly actual: string;
  /** undefined: could not be measured. */
  readonly met: boolean | undefined;
}

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface BenchmarkReport {
  readonly name: string;
  readonly title: string;
  readonly tables: readonly Table[];
  readonly targets: readonly Target[];
  readonly notes: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
  readonly seconds: number;
}

export interface BenchmarkContext {
  /** Progress lines (stderr), not part of the results. */
  log(line: string): void;
}

export interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(context: BenchmarkContext): Promise<Omit<BenchmarkReport, 'name' | 'title' | 'seconds'>>;
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? value / baseline : Number.NaN;
}

/** A number for a table cell: integers with thousands separators, small values with 2 decimals. */
export function fmt(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

export function verdict(met: boolean | undefined): string {
  return met === undefined ? 'not measurable' : met ? 'met' : 'NOT met';
}
