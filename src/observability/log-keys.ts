/**
 * The keys every log line about an event uses, so that logs can be searched and counted the same
 * way whichever part of runbridge wrote them. Use `{ [LogKeys.eventId]: id }`, never a literal.
 */
export const LogKeys = {
  /** The event's stable id (the forge's delivery id, `<run configuration>@<slot>`, the CloudEvent id). */
  eventId: 'eventId',
  /** Where the event came from: a forge, `cron`, `nats`, … */
  source: 'source',
  /** What it is: `<forge>.push`, `runbridge.schedule.tick`, … */
  eventType: 'eventType',
  /** `namespace/name` of the run configuration a line is about. */
  runConfiguration: 'runConfiguration',
  /** The HTTP status answered (or that an outcome maps to). */
  status: 'status',
  durationMs: 'durationMs',
  /** Why something did not happen: a non-match, a rejection, a failure. */
  reason: 'reason',
} as const;
