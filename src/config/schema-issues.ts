/**
 * zod issues → ConfigIssues a person can act on: one per problem, each with its field path
 * (`runConfigurations[0].triggers.git[1].events[0]`), unknown fields named (with a "did you mean"),
 * and failed unions narrowed to the option the user meant or summarized in one line. At a secret
 * field (or under one) the value the user wrote is never quoted, nor the names of unknown keys:
 * an inline secret written there by mistake must not reach a terminal or a log.
 */
import type { z } from 'zod';
import type { ConfigIssue } from '../errors.ts';
import { formatFieldPath, type PathSegment } from './field-path.ts';
import { chooseUnionBranch, valueAt } from './choose-union-branch.ts';
import { closestKey, knownKeys } from './known-keys.ts';
import { describeSecret, describeValue, issueMessage } from './issue-message.ts';
import { isSecretField } from './secret-field.ts';

type Issue = z.core.$ZodIssue;

export function schemaIssues(issues: readonly Issue[], input: unknown, schema: z.ZodType): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) convert(issue, [], input, schema, out);
  return out;
}

function convert(issue: Issue, base: readonly PathSegment[], input: unknown, schema: z.ZodType, out: ConfigIssue[]): void {
  const path = [...base, ...issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s))];
  const value = valueAt(input, path);
  const secret = isSecretField(schema, path);
  if (issue.code === 'unrecognized_keys' && secret) {
    out.push({ path: formatFieldPath(path), message: `unknown field (${SECRET_FORM}; the key is not shown: a secret field)` });
    return;
  }
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schema, path);
    for (const key of issue.keys) {
      const suggestion = closestKey(key, known);
      out.push({
        path: formatFieldPath([...path, key]),
        message: `unknown field${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      });
    }
    return;
  }
  if (issue.code === 'invalid_union' && issue.discriminator === undefined) {
    const branch = chooseUnionBranch(issue.errors, value);
    if (branch) for (const inner of branch) convert(inner, path, input, schema, out);
    else out.push({ path: formatFieldPath(path), message: unionSummary(formatFieldPath(path), value, secret ? describeSecret : describeValue) });
    return;
  }
  if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
    for (const inner of issue.issues) convert(inner, path, input, schema, out);
    return;
  }
  out.push({ path: formatFieldPath(path), message: issueMessage(issue, value, secret ? describeSecret : describeValue) });
}

const SECRET_FORM = 'expected exactly one of {fromEnv: VARIABLE} or {fromFile: PATH}';

/** One line naming the accepted forms, for inputs that fit none of a union's options. */
const UNION_FORMS: readonly [RegExp, string][] = [
  [/\.parameters\[\d+\]$/, 'expected {name, value} or {name, valueFrom: {event | payload | runConfigurationRef}}'],
  [/\.valueFrom$/, 'expected exactly one of {event: FIELD}, {payload: PATH}, {runConfigurationRef: {name, outputArtifact}}'],
  [/\.repository$/, 'expected a repository glob (owner/name) or a list of them'],
  [/(secrets\[\d+\]|\.token|\.password|\.nkeySeed)$/, SECRET_FORM],
];

function unionSummary(path: string, value: unknown, describe: (value: unknown) => string): string {
  const form = UNION_FORMS.find(([pattern]) => pattern.test(path))?.[1] ?? 'does not match any accepted form';
  return value === undefined ? `required: ${form}` : `${form}, got ${describe(value)}`;
}
