/**
 * runbridge's CEL against cel-go, the reference: a seeded corpus of generated `when` expressions
 * plus the known gaps, each evaluated by both; any disagreement on true / false / error fails,
 * except the deliberate differences listed in docs/reference-parity-cel.md (DELIBERATE below).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitFacts, RunbridgeEvent } from '../../src/events/event.ts';
import { compileWhen } from '../../src/triggers/when-expression.ts';
import { createCelEnvironment } from '../../src/cel/cel-environment.ts';
import { CEL_VARIABLE_SETS, generateCelCorpus, KNOWN_GAP_CASES } from './cel-corpus.ts';
import { evaluateWithCelGo, type CelCase } from './cel-reference.ts';

const SEED = 20_240_601;
const CORPUS_SIZE = 4000;

/** Deliberate differences, as in docs/reference-parity-cel.md: which expressions, and why. */
const DELIBERATE: readonly { readonly matches: RegExp; readonly why: string }[] = [
  { matches: /--9223372036854775808/, why: "cel-go's parser reads the literal after a second minus as 9223372036854775808, out of range" },
  { matches: /type\(\[/, why: "cel-go's checker refuses comparing the type of a list literal with another type; runbridge answers false" },
];

type Verdict = 'true' | 'false' | 'error';

function runbridgeVerdict(c: CelCase, environment = createCelEnvironment()): { verdict: Verdict; detail: string } {
  const { when, issues } = compileWhen(c.expr, 'when', environment);
  if (when === undefined) return { verdict: 'error', detail: issues.map((i) => i.message).join('; ') };
  const vars = c.vars as { event: { id: string; source: string; type: string; time: string }; git: object; payload: object };
  const event: RunbridgeEvent = { ...vars.event, trigger: 'git', data: vars.payload, git: vars.git as GitFacts };
  const outcome = when.evaluate(event);
  return typeof outcome === 'boolean' ? { verdict: String(outcome) as Verdict, detail: '' } : { verdict: 'error', detail: outcome.error };
}

test('CEL: runbridge and cel-go agree on true / false / error', async () => {
  const corpus: CelCase[] = [
    ...KNOWN_GAP_CASES.flatMap((expr) => CEL_VARIABLE_SETS.map((vars) => ({ expr, vars }))),
    ...generateCelCorpus(SEED, CORPUS_SIZE),
  ];
  const reference = await evaluateWithCelGo(corpus);
  const environment = createCelEnvironment();
  const disagreements: string[] = [];
  let deliberate = 0;
  const counts = { true: 0, false: 0, error: 0 };
  corpus.forEach((c, i) => {
    const expected = reference[i]!;
    const want: Verdict = 'result' in expected ? (String(expected.result) as Verdict) : 'error';
    const got = runbridgeVerdict(c, environment);
    counts[want]++;
    if (got.verdict === want) return;
    if (DELIBERATE.some((d) => d.matches.test(c.expr))) {
      deliberate++;
      return;
    }
    const why = 'error' in expected ? expected.error.split('\n')[0] : '';
    disagreements.push(`${c.expr}\n    cel-go: ${want} ${why}\n    runbridge: ${got.verdict} ${got.detail}`);
  });
  const agree = corpus.length - disagreements.length - deliberate;
  console.log(`cel: ${agree}/${corpus.length} agree (${deliberate} deliberate differences; cel-go: ${counts.true} true, ${counts.false} false, ${counts.error} error)`);
  assert.equal(disagreements.length, 0, `${disagreements.length} disagreements with cel-go:\n${disagreements.slice(0, 40).join('\n')}`);
});
