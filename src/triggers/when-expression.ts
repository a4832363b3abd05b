/**
 * The CEL `when` expression of a git trigger, parsed and type-checked once at load time.
 *
 * Variables: `event` ({id, source, type, time}), `git` (GitFacts) and `payload` (the raw delivery).
 * All three are maps; field access reads own properties only (`payload.constructor` is "no such
 * key", never a prototype member). A missing field is an evaluation error: guard optional facts
 * with `has(git.tag)`. An evaluation error or a non-bool result never throws: it is a non-match
 * with the error as its reason.
 */
import { Environment } from '@marcbachmann/cel-js';
import type { ConfigIssue } from '../errors.ts';
import type { RunbridgeEvent } from '../events/event.ts';

export type WhenOutcome = boolean | { readonly error: string };

export interface WhenExpression {
  readonly source: string;
  evaluate(event: RunbridgeEvent): WhenOutcome;
}

type CelError = Error & { summary?: string; range?: { start: number } };

function describe(error: unknown): string {
  const celError = error as CelError;
  const summary = celError.summary ?? celError.message?.split('\n')[0] ?? String(error);
  return celError.range === undefined ? summary : `${summary} (at column ${celError.range.start + 1})`;
}

export function createCelEnvironment(): Environment {
  return new Environment()
    .registerVariable('event', 'map')
    .registerVariable('git', 'map')
    .registerVariable('payload', 'map');
}

export function compileWhen(
  source: string,
  path: string,
  environment: Environment = createCelEnvironment(),
): { when: WhenExpression | undefined; issues: ConfigIssue[] } {
  let program: ReturnType<Environment['parse']>;
  try {
    program = environment.parse(source);
  } catch (error) {
    return { when: undefined, issues: [{ path, message: `invalid CEL: ${describe(error)}` }] };
  }
  const checked = program.check();
  if (!checked.valid) return { when: undefined, issues: [{ path, message: `invalid CEL: ${describe(checked.error)}` }] };
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    return { when: undefined, issues: [{ path, message: `must evaluate to a bool, not ${checked.type}` }] };
  }
  const when: WhenExpression = {
    source,
    evaluate(event) {
      let value: unknown;
      try {
        value = program({
          event: { id: event.id, source: event.source, type: event.type, time: event.time },
          git: event.git ?? {},
          payload: event.data ?? {},
        });
      } catch (error) {
        return { error: describe(error) };
      }
      return typeof value === 'boolean' ? value : { error: `result is ${typeof value}, not a bool` };
    },
  };
  return { when, issues: [] };
}
