import type { Report } from './report.ts';

/**
 * Reports every repeat of a name in a list: `<list>[3].name: duplicate of <list>[0] (penguin)`.
 * `label` turns a name into what the message shows (default: the name itself).
 */
export function reportDuplicates(
  names: readonly string[],
  listPath: string,
  report: Report,
  label: (name: string) => string = (name) => name,
): void {
  const first = new Map<string, number>();
  names.forEach((name, index) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else report.error(`${listPath}[${index}].name`, `duplicate of ${listPath}[${earlier}] (${label(name)})`);
  });
}
