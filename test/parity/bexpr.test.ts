import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compileFilter } from '../../src/artifacts/filter/compile-filter.ts';
import { FilterSyntaxError } from '../../src/artifacts/filter/filter-syntax-error.ts';
import { generateFilter, generateMetadata } from './bexpr-corpus.ts';
import { parseJsonExact, referenceBinary, runReference, seededRandom, stringifyJson } from './run-reference.ts';

/**
 * runbridge's artifact filters against go-bexpr v0.1.16 itself (test/servers/bexpr-reference), on a
 * seeded corpus. Every verdict must agree — true, false, evaluation error or syntax error — except
 * the deliberate differences of docs/adr/0006-reference-parity.md, which are counted apart.
 */
const CASES = 20_000;
const SEED = 15;
const binary = referenceBinary('RUNBRIDGE_BEXPR_REFERENCE_BIN');

type Verdict = 'true' | 'false' | 'error' | 'syntax' | 'panic';

function runbridgeVerdict(filter: string, metadata: Readonly<Record<string, unknown>>): { verdict: Verdict; detail?: string } {
  let compiled;
  try {
    compiled = compileFilter(filter);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { verdict: 'syntax', detail: error.message };
    throw error;
  }
  const outcome = compiled.explain(metadata);
  if (outcome.error !== undefined) return { verdict: 'error', detail: outcome.error };
  return { verdict: outcome.matched ? 'true' : 'false' };
}

/** Which documented difference explains a disagreement, if one does. */
function deliberate(ours: { verdict: Verdict; detail?: string }, reference: Verdict): string | undefined {
  // go-bexpr panics on null where it needs a type (matches on null, null inside a list for `in`).
  if (reference === 'panic' && ours.verdict === 'error') return 'panic on null is an error';
  // go-bexpr compiles a pattern only when evaluation reaches it; runbridge rejects it at load.
  if (ours.verdict === 'syntax' && ours.detail?.includes('invalid RE2 regular expression') === true) return 'invalid pattern rejected at load';
  return undefined;
}

test('artifact filters agree with go-bexpr v0.1.16', async () => {
  assert.ok(binary, 'RUNBRIDGE_BEXPR_REFERENCE_BIN is not set: run the tests with npm test, which builds the reference and sets it');
  const random = seededRandom(SEED);
  const documents = Array.from({ length: 64 }, () => stringifyJson(generateMetadata(random)));
  const cases = Array.from({ length: CASES }, () => ({ filter: generateFilter(random), data: pick(documents) }));
  function pick(items: readonly string[]): string {
    return items[Math.floor(random() * items.length)] as string;
  }
  const answers = await runReference<{ result: Verdict; detail?: string }>(
    binary as string,
    cases.map(({ filter, data }) => ({ filter, data: parseJsonExact(data) })),
  );
  const disagreements: string[] = [];
  const explained = new Map<string, number>();
  const verdicts = new Map<Verdict, number>();
  let agree = 0;
  for (const [i, { filter, data }] of cases.entries()) {
    const reference = (answers[i] as { result: Verdict; detail?: string });
    const ours = runbridgeVerdict(filter, parseJsonExact(data) as Record<string, unknown>);
    verdicts.set(reference.result, (verdicts.get(reference.result) ?? 0) + 1);
    if (ours.verdict === reference.result) {
      agree += 1;
      continue;
    }
    const reason = deliberate(ours, reference.result);
    if (reason !== undefined) {
      explained.set(reason, (explained.get(reason) ?? 0) + 1);
      continue;
    }
    if (disagreements.length < 20) {
      disagreements.push(`${filter}  over ${data}\n    runbridge: ${ours.verdict} ${ours.detail ?? ''}\n    go-bexpr:  ${reference.result} ${reference.detail ?? ''}`);
    }
  }
  const documented = [...explained].map(([reason, count]) => `${count} ${reason}`).join(', ');
  const failures = CASES - agree - [...explained.values()].reduce((sum, count) => sum + count, 0);
  console.log(`bexpr: ${agree}/${CASES} agree, ${CASES - agree - failures} documented differences (${documented || 'none'}), ${failures} disagreements; go-bexpr said ${[...verdicts].map(([verdict, count]) => `${verdict} ${count}`).join(', ')}`);
  assert.equal(failures, 0, disagreements.join('\n'));
});
