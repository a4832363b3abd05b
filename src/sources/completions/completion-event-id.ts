/**
 * The id of a completion that came without one (KFP-Operator's bare `{"data": {...}}`): the run id
 * and status when the data has a run id, which is the same every time the run's completion is sent
 * again, else a hash of the message body, which is the same for every redelivery of that message.
 */
import { createHash } from 'node:crypto';
import type { RunCompletion } from '../../events/event.ts';

export function completionEventId(completion: Pick<RunCompletion, 'runId' | 'status'>, body: string): string {
  if (completion.runId) return `${completion.runId}:${completion.status}`;
  return `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}
