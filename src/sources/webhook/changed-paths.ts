/**
 * Paths a push changed, from `commits[].added/modified/removed`, deduplicated and sorted.
 *
 * The forges that send file lists send them in this shape. A forge may list only some of a large
 * push's commits (the rest are only reachable through its API), so for large pushes this is a
 * lower bound. When `commits` is absent but `head_commit` is present, the head commit's lists are
 * used. `undefined` means the payload carries no file lists at all.
 */
import { isRecord, ownField } from '../../events/json-record.ts';

const LISTS = ['added', 'modified', 'removed'] as const;

export function changedPaths(payload: unknown): readonly string[] | undefined {
  const commits = ownField(payload, 'commits');
  const headCommit = ownField(payload, 'head_commit');
  const sources = Array.isArray(commits) ? commits : isRecord(headCommit) ? [headCommit] : undefined;
  if (sources === undefined) return undefined;
  const paths = new Set<string>();
  for (const commit of sources) {
    for (const list of LISTS) {
      const files = ownField(commit, list);
      if (!Array.isArray(files)) continue;
      for (const file of files) if (typeof file === 'string') paths.add(file);
    }
  }
  return [...paths].sort();
}
