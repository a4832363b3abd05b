import { ArtifactPathError } from './artifact-path-error.ts';
import { type CompiledFilter, compileFilter } from './filter/compile-filter.ts';
import { FilterSyntaxError } from './filter/filter-syntax-error.ts';

/**
 * A KFP-Operator artifact path `<COMPONENT>:<OUTPUT>[:<INDEX>][[<FILTER>]]`, e.g.
 * `Pusher:pushed_model:0[pushed == 1]`: the INDEX-th artifact of the component's output (default 0),
 * kept only if its metadata satisfies the go-bexpr FILTER.
 */
export interface ArtifactPath {
  readonly component: string;
  readonly output: string;
  readonly index: number;
  readonly filter?: CompiledFilter;
  /** The path as written. */
  readonly source: string;
}

/** KFP-Operator's own pattern (apis/pipelines ArtifactPathPattern), applied unchanged. */
export const ARTIFACT_PATH_PATTERN = /^([^[\]:]+):([^[\]:]+)(?::(\d*))?(?:\[([^[\]:]+)\])?$/;

export function parseArtifactPath(path: string): ArtifactPath {
  const match = ARTIFACT_PATH_PATTERN.exec(path);
  if (!match) {
    const [position, reason] = diagnose(path);
    throw new ArtifactPathError(path, position, reason);
  }
  const [, component = '', output = '', indexText = '', filterSource] = match;
  const index = indexText === '' ? 0 : Number(indexText);
  if (!Number.isSafeInteger(index)) {
    throw new ArtifactPathError(path, component.length + output.length + 2, `index ${indexText} is too large`);
  }
  const parsed = { component, output, index, source: path };
  if (filterSource === undefined) return Object.freeze(parsed);
  const filterStart = path.length - filterSource.length - 1;
  try {
    return Object.freeze({ ...parsed, filter: compileFilter(filterSource) });
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    throw new ArtifactPathError(path, filterStart + error.position, `filter: ${error.reason}`, { cause: error });
  }
}

/** For configuration validation: the problem with `path` (with its column), or undefined. */
export function validateArtifactPath(path: string): string | undefined {
  try {
    parseArtifactPath(path);
    return undefined;
  } catch (error) {
    if (error instanceof ArtifactPathError) return error.problem;
    throw error;
  }
}

const SHAPE = '<COMPONENT>:<OUTPUT>[:<INDEX>][[<FILTER>]]';

/** Where and why `path` does not match ARTIFACT_PATH_PATTERN, walking it part by part. */
function diagnose(path: string): [number, string] {
  if (path === '') return [0, `artifact path is empty; expected ${SHAPE}`];
  const componentEnd = stopAt(path, 0);
  if (componentEnd === 0) return [0, path[0] === ':' ? 'component name is missing' : `unexpected "${path[0]}" at the start`];
  if (componentEnd === path.length) return [path.length, `expected ":<OUTPUT>" after the component name (${SHAPE})`];
  if (path[componentEnd] !== ':') return [componentEnd, `unexpected "${path[componentEnd]}" in the component name`];
  let at = stopAt(path, componentEnd + 1);
  if (at === componentEnd + 1) return [at, 'output name is missing'];
  if (path[at] === ':') {
    at += 1;
    while (/[0-9]/.test(path[at] ?? '')) at += 1;
    if (at < path.length && path[at] !== '[') return [at, `index must be digits, found "${path[at]}"`];
  }
  if (path[at] === '[') {
    const filterEnd = stopAt(path, at + 1);
    if (filterEnd === path.length) return [filterEnd, 'filter is not closed with "]"'];
    if (path[filterEnd] !== ']') return [filterEnd, `"${path[filterEnd]}" is not allowed inside a filter`];
    if (filterEnd === at + 1) return [filterEnd, 'filter is empty'];
    at = filterEnd + 1;
  }
  if (at < path.length) return [at, `unexpected "${path.slice(at)}" after the ${path[at - 1] === ']' ? 'filter' : 'output name'}`];
  return [0, `artifact path does not match ${SHAPE}`];
}

/** The index of the next ":", "[" or "]" at or after `from`, or the length of `path`. */
function stopAt(path: string, from: number): number {
  const found = path.slice(from).search(/[:[\]]/);
  return found === -1 ? path.length : from + found;
}
