/**
 * The CEL `when` expression of a git trigger, parsed and checked once at load time.
 *
 * Variables: `event` ({id, source, type, time}), `git` (GitFacts) and `payload` (the raw delivery).
 * All three are maps; field access reads own properties only (`payload.constructor` is "no such
 * key", never a prototype member). A missing field is an evaluation error: guard optional facts
 * with `has(git.tag)`. An evaluation error or a non-bool result never throws: it is a non-match
 * with the error as its reason. The language is cel-go's; docs/reference-parity-cel.md lists how
 * that is checked and the few deliberate differences.
 */
import { isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { createCelEnvironment, type WhenEnvironment } from '../cel/cel-environment.ts';
import { checkExpression } from '../cel/check-expression.ts';
import type { ConfigIssue } from '../errors.ts';
import type { RunbridgeEvent } from '../events/event.ts';

export type WhenOutcome = boolean | { readonly error: string };

export interface WhenExpression {
  readonly source: string;
  evaluate(event: RunbridgeEvent): WhenOutcome;
}

/** compileWhen, as a caller that loads this module only when a trigger has a `when` receives it. */
export type CompileWhen = typeof compileWhen;

export function compileWhen(
  source: string,
  path: string,
  environment: WhenEnvironment = createCelEnvironment(),
): { when: WhenExpression | undefined; issues: ConfigIssue[] } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    return { when: undefined, issues: [{ path, message: `invalid CEL: ${describeSyntaxError(error)}` }] };
  }
  const problems = checkExpression(parsed, environment);
  if (problems.length > 0) return { when: undefined, issues: problems.map((message) => ({ path, message })) };
  const positions = parsed.sourceInfo?.positions ?? {};
  const program = plan(environment, parsed);
  const when: WhenExpression = {
    source,
    evaluate(event) {
      const value = program({
        event: { id: event.id, source: event.source, type: event.type, time: event.time },
        git: { ...event.git },
        payload: isRecord(event.data) ? event.data : {},
      });
      if (isCelError(value)) {
        const offset = value.exprId === undefined ? undefined : positions[value.exprId.toString()];
        return { error: offset === undefined ? value.message : `${value.message} (at column ${offset + 1})` };
      }
      return typeof value === 'boolean' ? value : { error: `result is ${describeType(value)}, not a bool` };
    },
  };
  return { when, issues: [] };
}

/** `<input>:1:12: found = but …` as `found = but … (at column 12)`. */
function describeSyntaxError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const located = /^<input>:(\d+):(\d+): (.*)$/s.exec(message);
  if (located === null) return message;
  const [, line, column, detail] = located;
  return `${detail} (at ${line === '1' ? '' : `line ${line}, `}column ${column})`;
}

function isRecord(value: unknown): value is Record<string, CelInput> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'string') return 'string';
  if (value === null) return 'null';
  return 'a value';
}
