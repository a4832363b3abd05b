/**
 * The annotation carrying the id of the event a run was created for (stamped by the renderer).
 * It is how the Kubernetes sink tells its own earlier run (a redelivery: success, nothing to do)
 * from a foreign object that happens to have the same name (a conflict). See ADR 0003.
 */
export const EVENT_ID_ANNOTATION = 'runbridge.dev/event-id';

interface Annotated {
  metadata?: { annotations?: Record<string, string> | undefined } | undefined;
}

/** True only when both carry the annotation and it is the same event id. */
export function sameEvent(existing: Annotated, submitted: Annotated): boolean {
  const wanted = submitted.metadata?.annotations?.[EVENT_ID_ANNOTATION];
  return wanted !== undefined && existing.metadata?.annotations?.[EVENT_ID_ANNOTATION] === wanted;
}
