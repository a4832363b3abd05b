/**
 * Where each named event field (`valueFrom.event`) comes from: the envelope, GitFacts,
 * ScheduleFacts or RunCompletion. Typed as a record over EVENT_FIELDS, so a field added to the
 * schema without a source here fails to compile. `undefined`: the event does not carry it.
 */
import type { EventField } from '../config/schema.ts';
import type { RunbridgeEvent } from '../events/event.ts';

type FieldSource = (event: RunbridgeEvent) => string | undefined;

const EVENT_FIELD_SOURCES: Readonly<Record<EventField, FieldSource>> = {
  id: (event) => event.id,
  source: (event) => event.source,
  type: (event) => event.type,
  time: (event) => event.time,
  trigger: (event) => event.trigger,
  repository: (event) => event.git?.repository || undefined,
  repositoryUrl: (event) => event.git?.repositoryUrl,
  ref: (event) => event.git?.ref,
  branch: (event) => event.git?.branch,
  tag: (event) => event.git?.tag,
  sha: (event) => event.git?.sha,
  shortSha: (event) => event.git?.shortSha,
  before: (event) => event.git?.before,
  actor: (event) => event.git?.actor,
  action: (event) => event.git?.action,
  pullRequestNumber: (event) => event.git?.pullRequest?.number.toString(10),
  pullRequestTitle: (event) => event.git?.pullRequest?.title,
  pullRequestHeadRef: (event) => event.git?.pullRequest?.headRef,
  pullRequestBaseRef: (event) => event.git?.pullRequest?.baseRef,
  pullRequestHeadSha: (event) => event.git?.pullRequest?.headSha,
  pullRequestMerged: (event) => flag(event.git?.pullRequest?.merged),
  pullRequestFromFork: (event) => flag(event.git?.pullRequest?.fromFork),
  forge: (event) => event.git?.provider,
  releaseTag: (event) => event.git?.release?.tag,
  scheduledTime: (event) => event.schedule?.slot,
  upstreamRunName: (event) => event.completion?.runName,
  upstreamRunId: (event) => event.completion?.runId,
  upstreamStatus: (event) => event.completion?.status,
};

function flag(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

export function eventFieldValue(event: RunbridgeEvent, field: EventField): string | undefined {
  return EVENT_FIELD_SOURCES[field](event);
}
