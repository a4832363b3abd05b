/**
 * Field paths as users read them: `runConfigurations[2].triggers.git[0].branches[1]`, with keys
 * that are not plain identifiers quoted (`labels["app.kubernetes.io/name"]`). Validators build
 * them as strings; the loader parses them back to find the YAML line of each problem.
 */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Appends one segment to a formatted path. */
export function fieldPath(base: string, ...segments: readonly PathSegment[]): string {
  let out = base;
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Formats a whole path; `[]` is the root (`''`). */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  return fieldPath('', ...segments.map((s) => (typeof s === 'symbol' ? String(s) : s)));
}

/** The inverse of formatFieldPath; undefined when the text is not a path this module wrote. */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const token = /\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  const segments: PathSegment[] = [];
  while (token.lastIndex < path.length) {
    const m = token.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[3] !== undefined) segments.push(JSON.parse(m[3]) as string);
  }
  return segments;
}
