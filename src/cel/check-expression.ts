/**
 * The problems, as messages for the config report, of what can be known about a parsed CEL expression before any event arrives, reported at load:
 * every name refers to a declared variable, a variable of an enclosing macro (`all`, `exists`,
 * `map`, …) or a type (`int`, `string`, …); every function exists in the environment; every
 * constant `matches` pattern is valid RE2; and the expression is not a literal that is not a bool.
 *
 * cel-go's checker also infers types: `1 + 'a'` is a compile error there and an evaluation error
 * (a non-match, with its reason) here. docs/reference-parity-cel.md lists what follows from that.
 */
import type { CelEnv } from '@bufbuild/cel';
import type { Expr, ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { compileRe2, Re2SyntaxError } from '../regex/compile-re2.ts';

/** Operators the evaluator implements itself rather than as environment functions. */
const BUILT_IN_OPERATORS = new Set(['_&&_', '_||_', '_?_:_', '_[_]', '@not_strictly_false']);

/** Type names usable as values, as in `type(x) == string`. */
const TYPE_NAMES = new Set([
  'bool', 'bytes', 'double', 'int', 'list', 'map', 'null_type', 'string', 'type', 'uint',
  'google.protobuf.Duration', 'google.protobuf.Timestamp',
]);

/** What the walk carries: the environment, where each node starts, and what it found. */
interface Walk {
  readonly env: CelEnv;
  readonly positions: { readonly [id: string]: number };
  readonly problems: string[];
}

export function checkExpression(parsed: ParsedExpr & { expr: Expr }, env: CelEnv): string[] {
  const invalid = checkReferences(parsed, env).map((problem) => `invalid CEL: ${problem}`);
  const kind = parsed.expr.exprKind;
  if (kind.case === 'listExpr' || kind.case === 'structExpr') invalid.push(`must evaluate to a bool, not ${kind.case === 'listExpr' ? 'list' : 'map'}`);
  if (kind.case === 'constExpr' && kind.value.constantKind.case !== 'boolValue') {
    invalid.push(`must evaluate to a bool, not ${constantType(kind.value.constantKind.case)}`);
  }
  return invalid;
}

/** The CEL-level problems alone (names, functions, patterns), whatever the expression's result. */
export function checkReferences(parsed: ParsedExpr & { expr: Expr }, env: CelEnv): string[] {
  const walk: Walk = { env, positions: parsed.sourceInfo?.positions ?? {}, problems: [] };
  const scope = new Set([...env.variables].map(([name]) => name));
  visit(parsed.expr, scope, walk);
  return walk.problems;
}

function visit(expr: Expr | undefined, scope: ReadonlySet<string>, walk: Walk): void {
  if (expr === undefined) return;
  const { env } = walk;
  const report = (problem: string): void => {
    const offset = walk.positions[expr.id.toString()];
    walk.problems.push(offset === undefined ? problem : `${problem} (at column ${offset + 1})`);
  };
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'identExpr':
      if (!scope.has(kind.value.name) && !TYPE_NAMES.has(kind.value.name)) report(`undeclared reference to '${kind.value.name}'`);
      return;
    case 'selectExpr': {
      const qualified = qualifiedName(expr);
      if (qualified !== undefined && TYPE_NAMES.has(qualified)) return;
      visit(kind.value.operand, scope, walk);
      return;
    }
    case 'callExpr': {
      const { target, args } = kind.value;
      const namespaced = target === undefined ? undefined : qualifiedName(target);
      const asNamespaced = namespaced === undefined ? undefined : `${namespaced}.${kind.value.function}`;
      if (asNamespaced !== undefined && !scope.has(namespaced!.split('.')[0]!) && env.funcs.find(asNamespaced) !== undefined) {
        args.forEach((arg) => visit(arg, scope, walk));
        return;
      }
      if (!BUILT_IN_OPERATORS.has(kind.value.function) && env.funcs.find(kind.value.function) === undefined) {
        report(`undeclared reference to function '${kind.value.function}'`);
      }
      if (kind.value.function === '_[_]' && indexesListLiteralWithNonInt(args)) report("found no matching overload for '_[_]' applied to a list and a non-int index");
      if (kind.value.function === 'matches') checkPattern(target === undefined ? args[1] : args[0], report);
      visit(target, scope, walk);
      args.forEach((arg) => visit(arg, scope, walk));
      return;
    }
    case 'listExpr':
      kind.value.elements.forEach((element) => visit(element, scope, walk));
      return;
    case 'structExpr':
      if (kind.value.messageName !== '') report(`undeclared reference to message type '${kind.value.messageName}'`);
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value, scope, walk);
        visit(entry.value, scope, walk);
      }
      return;
    case 'comprehensionExpr': {
      const { iterRange, iterVar, iterVar2, accuVar, accuInit, loopCondition, loopStep, result } = kind.value;
      visit(iterRange, scope, walk);
      visit(accuInit, scope, walk);
      const inner = new Set([...scope, iterVar, accuVar, ...(iterVar2 === '' ? [] : [iterVar2])]);
      visit(loopCondition, inner, walk);
      visit(loopStep, inner, walk);
      visit(result, new Set([...scope, accuVar]), walk);
      return;
    }
    default:
      return;
  }
}

/** `[1, 2][1u]`: cel-go's checker refuses a list literal indexed by a uint or double literal. */
function indexesListLiteralWithNonInt(args: readonly Expr[]): boolean {
  const [operand, index] = args;
  if (operand?.exprKind.case !== 'listExpr' || index?.exprKind.case !== 'constExpr') return false;
  const constant = index.exprKind.value.constantKind.case;
  return constant !== 'int64Value';
}

/** `a.b.c` for a chain of field selections on a name, undefined for anything else. */
function qualifiedName(expr: Expr): string | undefined {
  const kind = expr.exprKind;
  if (kind.case === 'identExpr') return kind.value.name;
  if (kind.case !== 'selectExpr' || kind.value.testOnly || kind.value.operand === undefined) return undefined;
  const operand = qualifiedName(kind.value.operand);
  return operand === undefined ? undefined : `${operand}.${kind.value.field}`;
}

function checkPattern(pattern: Expr | undefined, report: (problem: string) => void): void {
  const kind = pattern?.exprKind;
  if (kind?.case !== 'constExpr' || kind.value.constantKind.case !== 'stringValue') return;
  try {
    compileRe2(kind.value.constantKind.value);
  } catch (error) {
    if (!(error instanceof Re2SyntaxError)) throw error;
    report(error.message);
  }
}

function constantType(kind: string | undefined): string {
  switch (kind) {
    case 'stringValue': return 'string';
    case 'bytesValue': return 'bytes';
    case 'doubleValue': return 'double';
    case 'int64Value': return 'int';
    case 'uint64Value': return 'uint';
    case 'nullValue': return 'null';
    default: return String(kind);
  }
}
