/**
 * Glob lists compiled once per distinct list for all the git triggers of one configuration: a
 * platform writes the same repository and branch lists on hundreds of run configurations, and each
 * compiled list holds RE2 programs of ~10 KiB. A list with problems is not shared, so that every
 * occurrence reports its issues at its own field path.
 */
import { compileGlobList, type GlobList } from './glob-list.ts';

export type CompileGlobs = typeof compileGlobList;

export function sharedGlobLists(): CompileGlobs {
  const lists = new Map<string, GlobList>();
  return (patterns, path, options = {}) => {
    const key = JSON.stringify([options.nocase === true, patterns]);
    const shared = lists.get(key);
    if (shared !== undefined) return { list: shared, issues: [] };
    const result = compileGlobList(patterns, path, options);
    if (result.issues.length === 0) lists.set(key, result.list);
    return result;
  };
}
