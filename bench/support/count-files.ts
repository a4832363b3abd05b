/** How many files under `dir` end with `suffix` (the runs a file sink wrote). */
import { readdir } from 'node:fs/promises';

export async function countFiles(dir: string, suffix: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith(suffix)).length;
}
