/**
 * What completions must be handled in arrival order share: the run they report (its provider id,
 * else its namespace and name), else the event itself. Two reports of one run (a redelivery, a
 * second source) then never race each other; completions of different runs may be handled at once.
 */
import type { RunbridgeEvent } from '../../events/event.ts';

export function completionOrderKey(event: RunbridgeEvent): string {
  const completion = event.completion;
  if (completion?.runId) return `id\n${completion.runId}`;
  if (completion?.runName) return `name\n${completion.runNamespace ?? ''}\n${completion.runName}`;
  return `event\n${event.id}`;
}
