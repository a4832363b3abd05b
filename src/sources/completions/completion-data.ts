/**
 * The `data` of a run-completion event (KFP-Operator's schema, seed 003) checked with zod and turned
 * into a RunCompletion. Lenient where KFP-Operator's Go structs are: `null` means absent (a nil
 * slice or pointer marshals to null), unknown fields are ignored. `servingModelArtifacts` (deprecated
 * upstream) is checked but not used: `artifacts` are what artifact references resolve against; the
 * raw data keeps it for `payload` parameters. `componentOutputs` is runbridge's extension carrying
 * per-component outputs with metadata, for artifact paths `<COMPONENT>:<OUTPUT>:<INDEX>[<FILTER>]`.
 */
import { z } from 'zod';
import { formatFieldPath } from '../../config/field-path.ts';
import { issueMessage } from '../../config/issue-message.ts';
import type { RunCompletion } from '../../events/event.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';
import { CompletionRejectedError } from './completion-rejected-error.ts';

const optionalString = z.string().nullish();
const artifactSchema = z.object({ name: z.string().min(1), location: z.string() });
const componentArtifactSchema = artifactSchema.extend({ metadata: z.record(z.string(), z.unknown()).nullish() });
const componentOutputSchema = z.object({
  componentName: z.string().min(1),
  outputName: z.string().min(1),
  artifacts: z.array(componentArtifactSchema),
});

export const completionDataSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  provider: optionalString,
  pipelineName: optionalString,
  runConfigurationName: optionalString,
  runName: optionalString,
  runId: optionalString,
  runStartTime: optionalString,
  runEndTime: optionalString,
  artifacts: z.array(artifactSchema).nullish(),
  servingModelArtifacts: z.array(artifactSchema).nullish(),
  componentOutputs: z.array(componentOutputSchema).nullish(),
});

/** Every problem of `data`, as `data.<path>: <message>`, joined; or the RunCompletion. */
export function parseCompletionData(data: unknown): RunCompletion {
  const plain = plainCompletion(requireDataObject(data));
  if (plain !== undefined) return plain;
  const parsed = completionDataSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatFieldPath(['data', ...issue.path])}: ${issueMessage(issue, valueAt(data, issue.path))}`);
    throw new CompletionRejectedError('invalid_data', problems.join('; '));
  }
  const d = parsed.data;
  return withoutUndefined<RunCompletion>({
    status: d.status,
    provider: d.provider ?? undefined,
    pipelineName: d.pipelineName ?? undefined,
    runConfigurationName: d.runConfigurationName ?? undefined,
    runName: d.runName ?? undefined,
    runId: d.runId ?? undefined,
    runStartTime: d.runStartTime ?? undefined,
    runEndTime: d.runEndTime ?? undefined,
    artifacts: (d.artifacts ?? []).map(({ name, location }) => ({ name, location })),
    componentOutputs: d.componentOutputs?.map((output) => ({
      componentName: output.componentName,
      outputName: output.outputName,
      artifacts: output.artifacts.map(({ name, location, metadata }) => (metadata ? { name, location, metadata } : { name, location })),
    })),
  });
}

const STRING_FIELDS = ['provider', 'pipelineName', 'runConfigurationName', 'runName', 'runId', 'runStartTime', 'runEndTime'] as const;

/**
 * The common case without the schema walk: KFP-Operator's data as it sends it (strings, plain
 * artifact lists, no componentOutputs). Accepts only data the schema accepts and builds the same
 * RunCompletion (same fields, same order); anything else (including every invalid input) returns
 * undefined and goes through the schema, which also words the problems.
 */
function plainCompletion(data: Readonly<Record<string, unknown>>): RunCompletion | undefined {
  const status = data['status'];
  if (status !== 'succeeded' && status !== 'failed') return undefined;
  const out: Record<string, unknown> = { status };
  for (const field of STRING_FIELDS) {
    const value = data[field];
    if (typeof value === 'string') out[field] = value;
    else if (value !== undefined && value !== null) return undefined;
  }
  const serving = data['servingModelArtifacts'];
  if (serving !== undefined && serving !== null && plainArtifacts(serving) === undefined) return undefined;
  const componentOutputs = data['componentOutputs'];
  if (componentOutputs !== undefined && componentOutputs !== null) return undefined;
  const given = data['artifacts'];
  const artifacts = given === undefined || given === null ? [] : plainArtifacts(given);
  if (artifacts === undefined) return undefined;
  out['artifacts'] = artifacts;
  return out as unknown as RunCompletion;
}

function plainArtifacts(value: unknown): { name: string; location: string }[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const artifacts: { name: string; location: string }[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const { name, location } = item as Record<string, unknown>;
    if (typeof name !== 'string' || name === '' || typeof location !== 'string') return undefined;
    artifacts.push({ name, location });
  }
  return artifacts;
}

/** `data` itself, when it is a JSON object. */
export function requireDataObject(data: unknown): Readonly<Record<string, unknown>> {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data as Readonly<Record<string, unknown>>;
  throw new CompletionRejectedError('invalid_data', `data: expected a JSON object with the run completion, got ${describe(data)}`);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || typeof key === 'symbol' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `${typeof value} ${String(value)}`;
}
