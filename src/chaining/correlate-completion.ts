/**
 * Which run configuration a completion belongs to. In order:
 *
 * 1. the run, when the completion names one runbridge created (`runName` with `runNamespace`, or
 *    `runName` as `namespace/name`): the `runs.<ns>.<name>` index written at submission knows;
 * 2. `runConfigurationName`: `namespace/name` exactly; a bare name when exactly one run
 *    configuration has it, else the one in the namespace of the run or, failing that, of the
 *    provider (`provider: namespace/name`);
 * 3. `runName` without a namespace: the index, when exactly one namespace of a run configuration
 *    has a run of that name (one read per configured namespace: never a scan of the stored keys).
 *
 * Anything else is uncorrelated, with the reason.
 */
import type { CompiledRunConfiguration } from '../config/loaded-config.ts';
import { runIndexKey, type SubmissionRecord } from '../dispatch/submission-record.ts';
import type { RunCompletion } from '../events/event.ts';
import type { StateStore } from '../state/store.ts';
import type { RunConfigurationIndex } from './run-configuration-index.ts';
import { runIdentity } from './upstream-run.ts';

export type Correlation =
  | { readonly found: true; readonly runConfiguration: CompiledRunConfiguration; readonly via: 'run' | 'runConfigurationName'; readonly submission?: SubmissionRecord }
  | { readonly found: false; readonly reason: string };

export async function correlateCompletion(completion: RunCompletion, index: RunConfigurationIndex, store: StateStore): Promise<Correlation> {
  const reasons: string[] = [];
  const run = runIdentity(completion);
  if (run.name !== undefined && run.namespace !== undefined) {
    const submission = (await store.get<SubmissionRecord>(runIndexKey(run.namespace, run.name)))?.value;
    const found = submission && bySubmission(submission, index, reasons);
    if (found) return found;
    if (!submission) reasons.push(`run ${run.namespace}/${run.name} was not created by runbridge`);
  }
  if (completion.runConfigurationName) {
    const found = byName(completion.runConfigurationName, completion, index, reasons);
    if (found) return found;
  }
  if (run.name !== undefined && run.namespace === undefined) {
    const name = run.name;
    const stored = await Promise.all(index.namespaces.map((namespace) => store.get<SubmissionRecord>(runIndexKey(namespace, name))));
    const records = stored.flatMap((record) => (record ? [record.value] : []));
    if (records.length > 1) reasons.push(`run name ${run.name} is ambiguous: runbridge created runs of that name in ${records.length} namespaces`);
    if (records.length === 0) reasons.push(`runbridge created no run named ${run.name}`);
    const submission = records.length === 1 ? records[0] : undefined;
    const found = submission && bySubmission(submission, index, reasons);
    if (found) return found;
  }
  if (!completion.runConfigurationName && run.name === undefined) reasons.push('the completion names neither a run configuration (runConfigurationName) nor a run (runName)');
  return { found: false, reason: reasons.join('; ') };
}

function bySubmission(submission: SubmissionRecord, index: RunConfigurationIndex, reasons: string[]): Correlation | undefined {
  const rc = index.byKey.get(submission.runConfiguration);
  if (rc) return { found: true, runConfiguration: rc, via: 'run', submission };
  reasons.push(`run ${submission.run.namespace}/${submission.run.name} belongs to ${submission.runConfiguration}, which is no longer configured`);
  return undefined;
}

function byName(name: string, completion: RunCompletion, index: RunConfigurationIndex, reasons: string[]): Correlation | undefined {
  if (name.includes('/')) {
    const rc = index.byKey.get(name);
    if (rc) return { found: true, runConfiguration: rc, via: 'runConfigurationName' };
    reasons.push(`no run configuration ${name} is configured`);
    return undefined;
  }
  const candidates = index.byName.get(name) ?? [];
  if (candidates.length === 1 && candidates[0]) return { found: true, runConfiguration: candidates[0], via: 'runConfigurationName' };
  if (candidates.length === 0) {
    reasons.push(`no run configuration named ${name} is configured`);
    return undefined;
  }
  const hints = [runIdentity(completion).namespace, namespaceOf(completion.provider)].filter((ns) => ns !== undefined);
  for (const namespace of hints) {
    const rc = candidates.find((c) => c.spec.namespace === namespace);
    if (rc) return { found: true, runConfiguration: rc, via: 'runConfigurationName' };
  }
  reasons.push(
    `run configuration name ${name} is ambiguous (${candidates.map((c) => c.key).join(', ')}) and ${hints.length ? `none is in namespace ${hints.join(' or ')}` : 'the completion names no run or provider namespace'}`,
  );
  return undefined;
}

function namespaceOf(provider: string | undefined): string | undefined {
  const slash = provider?.indexOf('/') ?? -1;
  return provider !== undefined && slash > 0 ? provider.slice(0, slash) : undefined;
}
