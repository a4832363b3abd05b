/** A plain-text table whose cells may hold several lines; columns are as wide as their widest line. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => header.map((_, i) => (row[i] ?? '').split('\n')));
  const widths = header.map((_, i) => Math.max(...all.map((row) => Math.max(...(row[i] ?? ['']).map((line) => line.length)))));
  const out: string[] = [];
  for (const row of all) {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      out.push(row.map((cell, i) => (cell[line] ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd());
    }
  }
  return out.join('\n') + '\n';
}
