/**
 * Which run configurations a git event can concern, without matching every one: a platform with a
 * run configuration per repository would otherwise pay for all of them on every delivery. A git
 * trigger whose `repository` is only exact names (nothing a glob would read specially) is looked
 * up by the event's repository, case-insensitively as the glob matches it; one with a pattern or a
 * negation is tested with its own compiled list; one without `repository` concerns every event.
 * The candidates come back in configuration order. The others can never match the event: they
 * are counted (`unrelated`), not matched one by one.
 */
import type { RunbridgeEvent } from '../events/event.ts';
import type { CompiledGitTrigger } from './git-trigger.ts';

export interface RepositoryIndexed {
  readonly gitTriggers: readonly CompiledGitTrigger[];
}

export interface RepositoryIndex<T> {
  /** The run configurations a git event can match, in configuration order; undefined for other events. */
  candidates(event: RunbridgeEvent): readonly T[] | undefined;
}

/** `owner/repository` of letters, digits, `.`, `_` and `-` only: a glob reads it literally. */
const EXACT_NAME = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/;

export function indexByRepository<T extends RepositoryIndexed>(runConfigurations: readonly T[]): RepositoryIndex<T> {
  const byName = new Map<string, number[]>();
  /** Positions whose triggers need a test: a pattern, a negation, or no repository at all. */
  const scanned: number[] = [];
  runConfigurations.forEach((rc, position) => {
    const names = new Set<string>();
    let scan = false;
    for (const trigger of rc.gitTriggers) {
      const patterns = trigger.repository?.patterns;
      if (patterns !== undefined && patterns.every((p) => EXACT_NAME.test(p))) for (const p of patterns) names.add(asciiLowerCase(p));
      else scan = true;
    }
    if (scan) scanned.push(position);
    else for (const name of names) append(byName, name, position);
  });

  return {
    candidates(event) {
      if (event.trigger !== 'git' || event.git === undefined) return undefined;
      const repository = event.git.repository;
      const exact = byName.get(asciiLowerCase(repository)) ?? [];
      const tested = scanned.filter((position) => runConfigurations[position]!.gitTriggers.some((t) => t.repository === undefined || t.repository.matches(repository)));
      return mergeSorted(exact, tested).map((position) => runConfigurations[position]!);
    },
  };
}

/** Lower case for ASCII letters only, as a case-insensitive regular expression compares them. */
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
