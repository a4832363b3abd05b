/**
 * `npm run bench` runs every benchmark; `npm run bench -- webhook render` only those named. Each
 * prints its tables (the project next to a baseline measured in the same run), its targets, and
 * notes; a summary of every target follows, and everything is written to bench/results.json.
 */
import { writeFile } from 'node:fs/promises';
import { completions } from './completions.ts';
import { kubeSubmit } from './kube-submit.ts';
import { memory } from './memory.ts';
import { render } from './render.ts';
import { formatTable } from './support/format-table.ts';
import { machine } from './support/machine.ts';
import { fmt, verdict, type Benchmark, type BenchmarkReport } from './support/report.ts';
import { webhookIngest } from './webhook-ingest.ts';
import { webhookScale } from './webhook-scale.ts';

const BENCHMARKS: readonly Benchmark[] = [webhookIngest, webhookScale, render, kubeSubmit, completions, memory];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
const selected = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
const startedAt = new Date();
const before = machine();
const out = (text = ''): boolean => process.stdout.write(`${text}\n`);
out(`runbridge benchmarks — ${before.cpus} CPUs (${before.model}), Node ${before.node}, load average ${before.loadAverage.join(' ')}`);

const reports: BenchmarkReport[] = [];
const failures: { name: string; error: string }[] = [];
for (const benchmark of selected) {
  out(`\n## ${benchmark.title}\n`);
  const started = performance.now();
  try {
    const result = await benchmark.run({ log: (line) => process.stderr.write(`  [${benchmark.name}] ${line}\n`) });
    const report: BenchmarkReport = { name: benchmark.name, title: benchmark.title, seconds: (performance.now() - started) / 1000, ...result };
    reports.push(report);
    for (const table of report.tables) out(`${formatTable(table)}\n`);
    for (const target of report.targets) out(`- target ${target.description}: ${target.actual} — ${verdict(target.met)}`);
    for (const note of report.notes) out(`- ${note}`);
    out(`- took ${fmt(report.seconds, 0)} s`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    failures.push({ name: benchmark.name, error: message });
    out(`FAILED: ${message}`);
  }
}

const after = machine();
out('\n## Summary\n');
out(
  formatTable({
    columns: ['benchmark', 'target', 'measured', 'verdict'],
    rows: [
      ...reports.flatMap((r) => r.targets.map((t) => [r.name, t.description, t.actual, verdict(t.met)])),
      ...failures.map((f) => [f.name, '(benchmark failed)', f.error.split('\n')[0] ?? '', 'failed']),
    ],
  }),
);
const seconds = (Date.now() - startedAt.getTime()) / 1000;
out(`\n${reports.length} benchmark(s) in ${fmt(seconds, 0)} s; load average ${before.loadAverage.join(' ')} at the start, ${after.loadAverage.join(' ')} at the end.`);

await writeFile(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ startedAt: startedAt.toISOString(), seconds, command: `npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}`, machine: { ...before, loadAverageAtEnd: after.loadAverage }, reports, failures }, null, 2)}\n`,
);
process.exitCode = failures.length ? 1 : 0;
