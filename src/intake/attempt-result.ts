/**
 * What one attempt at processing an event came to, as the intake sees it: done (every run exists,
 * or nothing matched), worth retrying (the cluster, NATS or the state store failed for a passing
 * reason), or dead (a failure no retry can fix: a parameter the template rejects, a forbidden
 * kind). `answer` is what the caller waiting on the event is told.
 */
export type AttemptResult<Answer> =
  | { readonly result: 'done'; readonly answer: Answer }
  | { readonly result: 'retry'; readonly reason: string; readonly answer: Answer }
  | { readonly result: 'dead'; readonly reason: string; readonly status: number; readonly answer: Answer };
