/**
 * How far a completion is believed, by what runbridge knows of the run and where the completion
 * came from (docs/security.md, "Trust completions only as far as their source"):
 *
 * - a run runbridge created (its submission record was found): the completion must match the
 *   record: the run configuration it names, if any, is the record's; from the status watch, the
 *   object's uid is the one recorded at create (an object someone else made under runbridge's label
 *   and annotation is not believed);
 * - a run runbridge did not create (KFP-Operator's own, known by `runConfigurationName`): only
 *   from the sources its run configuration lists in `completionSources`; never from the status
 *   watch, which reports only runs runbridge created;
 * - an end time later than the arrival plus `completions.maxClockSkewSeconds` is not believed:
 *   it would make every later genuine completion look stale.
 *
 * Pure: a refusal is a reason, which the handler logs, counts and answers.
 */
import type { CompiledRunConfiguration } from '../config/loaded-config.ts';
import type { SubmissionRecord } from '../dispatch/submission-record.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import type { UpstreamRun } from './upstream-run.ts';

export const WATCH_SOURCE = 'kubernetes';

export type TrustVerdict = { readonly trusted: true } | { readonly trusted: false; readonly reason: string };

export interface TrustInput {
  readonly event: Pick<RunbridgeEvent, 'source'>;
  readonly runConfiguration: CompiledRunConfiguration;
  /** The record of the run when runbridge created it. */
  readonly submission: SubmissionRecord | undefined;
  /** The run configuration the completion names itself, if any. */
  readonly named: string | undefined;
  readonly run: Pick<UpstreamRun, 'endTime' | 'runId'>;
  readonly receivedAt: Date;
  readonly maxClockSkewSeconds: number;
}

export function trustCompletion(input: TrustInput): TrustVerdict {
  const { event, runConfiguration: rc, submission, run } = input;
  const latest = input.receivedAt.getTime() + input.maxClockSkewSeconds * 1000;
  if (Date.parse(run.endTime) > latest) {
    return refuse(`end time ${run.endTime} is later than its arrival ${input.receivedAt.toISOString()} plus completions.maxClockSkewSeconds (${input.maxClockSkewSeconds} s)`);
  }
  if (submission !== undefined) {
    const created = `${submission.run.namespace}/${submission.run.name}`;
    if (input.named !== undefined && input.named !== rc.key && input.named !== rc.spec.name) {
      return refuse(`it names run configuration ${input.named}, but runbridge created run ${created} for ${submission.runConfiguration}`);
    }
    if (event.source === WATCH_SOURCE && (submission.run.uid === undefined || submission.run.uid !== run.runId)) {
      return refuse(`object ${created} has uid ${run.runId ?? '(none)'}, not the uid runbridge recorded when it created the run (${submission.run.uid ?? 'none recorded'})`);
    }
    return { trusted: true };
  }
  if (event.source === WATCH_SOURCE) {
    return refuse('the status watch reports only runs runbridge created, and runbridge has no record of creating this one');
  }
  if (!rc.spec.completionSources.includes(event.source as never)) {
    const allowed = rc.spec.completionSources.length ? `only from ${rc.spec.completionSources.join(', ')}` : 'from no source';
    return refuse(`runbridge did not create this run, and ${rc.key} believes completions of such runs ${allowed} (completionSources); this one came from ${event.source}`);
  }
  return { trusted: true };
}

function refuse(reason: string): TrustVerdict {
  return { trusted: false, reason };
}
