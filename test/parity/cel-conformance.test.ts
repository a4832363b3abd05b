/**
 * The official CEL conformance tests (cel-spec, as @bufbuild/cel-spec ships them) for what a `when`
 * can use, run through runbridge's own CEL: its environment (functions, strings extension, RE2),
 * its load checks, then evaluation. Sections outside what runbridge exposes are not run; cases
 * that need what runbridge does not expose (protobuf messages, a container, type inference) are
 * counted as not applicable; any other failure fails the test unless it is one of the documented
 * differences in docs/reference-parity-cel.md (DIFFERENCES below).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CelScalar, isCelError, parse, plan, type CelInput, type CelValue } from '@bufbuild/cel';
import type { SimpleTest } from '@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js';
import { getTestRegistry } from '@bufbuild/cel-spec/testdata/registry.js';
import { getConformanceSuite } from '@bufbuild/cel-spec/testdata/tests.js';
import type { Registry } from '@bufbuild/protobuf';
import { createCelEnvironmentWith } from '../../src/cel/cel-environment.ts';
import { checkReferences } from '../../src/cel/check-expression.ts';
import { sameValue, toCelInput, UnsupportedValue } from './cel-conformance-values.ts';

/** The conformance files covering what a `when` exposes: the core language, the standard library, the strings extension. */
const SECTIONS = [
  'basic', 'comparisons', 'conversions', 'dynamic', 'fields', 'fp_math', 'integer_math', 'lists', 'logic',
  'macros', 'parse', 'plumbing', 'string', 'string_ext', 'timestamps',
] as const;

/**
 * Documented differences (docs/reference-parity-cel.md): cases, by `file/section/name` prefix, where
 * runbridge does not give the conformance answer, and why.
 */
const DIFFERENCES: readonly { readonly cases: string; readonly why: string }[] = [
  { cases: 'basic/variables/unbound_is_runtime_error', why: 'the case turns the checker off; runbridge, like cel-go by default, rejects an undeclared name at load' },
  { cases: 'basic/functions/unbound_is_runtime_error', why: 'the case turns the checker off; runbridge, like cel-go by default, rejects an undeclared function at load' },
  { cases: 'parse/receiver_function_names/', why: 'the cases turn the checker off to call undeclared functions named after reserved words; runbridge rejects them at load, as cel-go does by default' },
  { cases: 'fields/quoted_map_fields/', why: "backtick-quoted field names (m.`content-type`) are not in @bufbuild/cel 0.6.1's grammar: rejected at load as a syntax error" },
  { cases: 'fields/qualified_identifier_resolution/map_value_repeat_key_heterogeneous', why: 'cel-go v0.33.3 answers 1 for {0: 1, 0u: 2}[0.0], as runbridge does; the suite expects an error' },
  { cases: 'string_ext/value_errors/indexof_out_of_range', why: "cel-go v0.33.3 returns -1 for an offset past the end ('tacocat'.indexOf('a', 30)), as runbridge does; the suite expects an error" },
  { cases: 'string_ext/value_errors/lastindexof_out_of_range', why: 'cel-go v0.33.3 returns -1 for an offset past the end, as runbridge does; the suite expects an error' },
];

/** Why a case cannot be run against a `when` environment, or undefined when it can. */
function notApplicable(c: SimpleTest): string | undefined {
  if (c.container !== '') return 'protobuf messages';
  if (c.typeEnv.some((decl) => decl.name.includes('.'))) return 'qualified variable names';
  if (c.resultMatcher.case === 'typedResult' || c.checkOnly) return 'type inference';
  if (c.disableMacros) return 'macros disabled';
  if (/TestAllTypes|NestedMessage|NestedEnum|GlobalEnum|cel\.expr\.|google\.protobuf\.(?!Timestamp|Duration)/.test(c.expr)) return 'protobuf messages';
  if (c.typeEnv.some((decl) => decl.declKind.case === 'ident' && decl.declKind.value.type?.typeKind.case === 'messageType'
    && !/^google\.protobuf\.(Timestamp|Duration)$/.test(decl.declKind.value.type.typeKind.value))) return 'protobuf messages';
  if (c.resultMatcher.case === 'value' && c.resultMatcher.value.kind.case === 'objectValue'
    && !/google\.protobuf\.(Timestamp|Duration)$/.test(c.resultMatcher.value.kind.value.typeUrl)) return 'protobuf messages';
  return undefined;
}

/** undefined when the case passes, else what runbridge did. */
function run(c: SimpleTest, registry: Registry): string | undefined {
  const names = new Set([...c.typeEnv.map((decl) => decl.name), ...Object.keys(c.bindings)]);
  const environment = createCelEnvironmentWith(Object.fromEntries([...names].map((name) => [name, CelScalar.DYN])));
  const bindings: Record<string, CelInput> = {};
  for (const [name, binding] of Object.entries(c.bindings)) {
    if (binding.kind.case !== 'value') throw new UnsupportedValue(binding.kind.case ?? 'binding');
    bindings[name] = toCelInput(binding.kind.value, registry);
  }
  let result: CelValue | { rejected: string };
  try {
    const parsed = parse(c.expr);
    const problems = checkReferences(parsed, environment);
    result = problems.length > 0 ? { rejected: problems.join('; ') } : plan(environment, parsed)(bindings) as CelValue;
  } catch (error) {
    result = { rejected: (error as Error).message };
  }
  const failed = isCelError(result) ? `error ${result.message}` : isRejected(result) ? `rejected at load: ${result.rejected}` : undefined;
  switch (c.resultMatcher.case) {
    case 'evalError': case 'anyEvalErrors':
      return failed === undefined ? `${describe(result as CelValue)}, expected an error` : undefined;
    case 'value':
      if (failed !== undefined) return failed;
      return sameValue(result as CelValue, c.resultMatcher.value, registry) ? undefined : `${describe(result as CelValue)}, expected ${JSON.stringify(c.resultMatcher.value.kind, bigints)}`;
    case undefined:
      return failed ?? (result === true ? undefined : `${describe(result as CelValue)}, expected true`);
    default:
      return `unsupported expectation ${c.resultMatcher.case}`;
  }
}

function isRejected(value: unknown): value is { rejected: string } {
  return typeof value === 'object' && value !== null && 'rejected' in value;
}

function describe(value: CelValue): string {
  return typeof value === 'object' && value !== null ? String(value.constructor.name) : JSON.stringify(value, bigints);
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}` : value;
}

test('CEL conformance: runbridge passes the cel-spec cases for what a `when` exposes', () => {
  const registry = getTestRegistry();
  const files = getConformanceSuite().suites.filter((file) => (SECTIONS as readonly string[]).includes(file.name));
  const failures: string[] = [];
  const skipped = new Map<string, number>();
  let passed = 0;
  let documented = 0;
  const seen = new Set<string>();
  for (const file of files) {
    for (const section of file.suites) {
      for (const { original: c } of section.tests) {
        const path = `${file.name}/${section.name}/${c.name}`;
        const reason = notApplicable(c);
        if (reason !== undefined) {
          skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
          continue;
        }
        let failure: string | undefined;
        try {
          failure = run(c, registry);
        } catch (error) {
          if (!(error instanceof UnsupportedValue)) throw error;
          skipped.set('protobuf messages', (skipped.get('protobuf messages') ?? 0) + 1);
          continue;
        }
        const difference = DIFFERENCES.find((d) => path.startsWith(d.cases));
        if (difference !== undefined) seen.add(difference.cases);
        if (failure === undefined) {
          if (difference !== undefined) failures.push(`${path}: passes, remove it from the documented differences`);
          else passed++;
        } else if (difference !== undefined) {
          documented++;
        } else {
          failures.push(`${path}: ${c.expr}\n    ${failure}`);
        }
      }
    }
  }
  const ran = passed + documented + failures.length;
  const notRun = [...skipped].map(([reason, count]) => `${count} ${reason}`).join(', ');
  console.log(`cel conformance: ${passed}/${ran} pass in sections ${SECTIONS.join(', ')} (${documented} documented differences; not applicable: ${notRun})`);
  const stale = DIFFERENCES.filter((d) => !seen.has(d.cases)).map((d) => d.cases);
  assert.deepEqual(stale, [], 'documented differences that are no longer cases of the suite');
  assert.equal(failures.length, 0, `${failures.length} conformance failures:\n${failures.join('\n')}`);
});
