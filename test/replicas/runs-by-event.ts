import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Runs the file sink wrote under `dir`, counted per event id (the runbridge.dev/event-id annotation). */
export async function runsByEvent(dir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const run = parse(await readFile(join(entry.parentPath, entry.name), 'utf8')) as { metadata: { annotations: Record<string, string> } };
    const id = run.metadata.annotations['runbridge.dev/event-id'] ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
