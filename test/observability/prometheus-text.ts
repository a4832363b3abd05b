/**
 * Reads the Prometheus text exposition format (what /metrics answers): HELP and TYPE lines and
 * samples with their labels. Enough for tests to look samples up by name and labels.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
}

export interface Exposition {
  readonly families: ReadonlyMap<string, Family>;
  readonly samples: readonly Sample[];
  /** The value of the sample with exactly these labels (a subset when `partial`), or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

export function parsePrometheusText(text: string): Exposition {
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? help : types).set(meta[2]!, meta[3] ?? '');
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    samples.push({ name: match[1]!, labels: parseLabels(match[2] ?? '', line), value: Number(match[3]) });
  }
  const families = new Map<string, Family>();
  for (const [name, type] of types) families.set(name, { name, type, help: help.get(name) ?? '' });
  return {
    families,
    samples,
    value(name, labels = {}) {
      const wanted = Object.entries(labels);
      const found = samples.find(
        (s) => s.name === name && wanted.length === Object.keys(s.labels).length && wanted.every(([k, v]) => s.labels[k] === v),
      );
      return found?.value;
    },
  };
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match || match.index !== at) throw new Error(`bad labels in: ${line}`);
    labels[match[1]!] = match[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return labels;
}
