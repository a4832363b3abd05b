/**
 * One completion message (NATS or HTTP) to a RunbridgeEvent, or a CompletionRejectedError saying
 * what is wrong with it. The event's `data` is the completion's own data object (what `payload`
 * parameters and CEL see, the same for every format); its time is the CloudEvent `time`, else the
 * run's end, else the arrival. A `runEndTime` that is not an RFC 3339 time is refused.
 */
import type { RunbridgeEvent } from '../../events/event.ts';
import { parseCompletionData } from './completion-data.ts';
import { completionEventId } from './completion-event-id.ts';
import { CompletionRejectedError } from './completion-rejected-error.ts';
import { decodeCloudEvent, type CompletionMessage } from './decode-cloud-event.ts';
import { rfc3339Time } from './iso-time.ts';
import { RUN_COMPLETION_TYPE } from './run-completion-type.ts';

export type CompletionTransport = 'nats' | 'http';

export interface ParseCompletionOptions {
  readonly transport: CompletionTransport;
  readonly receivedAt: Date;
}

export function parseCompletionMessage(message: CompletionMessage, options: ParseCompletionOptions): RunbridgeEvent {
  const decoded = decodeCloudEvent(message);
  if (decoded.type !== RUN_COMPLETION_TYPE) {
    throw new CompletionRejectedError('wrong_type', `CloudEvent type ${JSON.stringify(decoded.type)} is not ${RUN_COMPLETION_TYPE}`);
  }
  const completion = parseCompletionData(decoded.data);
  const endTime = runEndTimeOf(completion.runEndTime);
  return {
    id: decoded.id ?? completionEventId(completion, message.body),
    source: options.transport,
    type: RUN_COMPLETION_TYPE,
    time: decoded.time ?? endTime ?? options.receivedAt.toISOString(),
    trigger: 'runConfiguration',
    data: decoded.data,
    completion,
  };
}

/**
 * The run's end as ISO-8601 UTC. It decides which of two runs is newer, so a value that is not a
 * time is refused, as a malformed CloudEvent `time` is, rather than read as the arrival.
 */
function runEndTimeOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const time = rfc3339Time(text);
  if (time === undefined) throw new CompletionRejectedError('invalid_data', `data.runEndTime must be an RFC 3339 timestamp, got ${JSON.stringify(text)}`);
  return time;
}
