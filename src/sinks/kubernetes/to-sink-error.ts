import { SinkError } from '../../errors.ts';
import type { Failure } from '../../kubernetes/classify-failure.ts';
import { describeApiStatus } from '../../kubernetes/read-api-status.ts';

/**
 * The SinkError for a failed request about `subject` (`pipelines.kubeflow.org/v1beta1 Run ml/x`).
 * A refusal keeps the API server's own status and message (403 stays 403, 422 stays 422 with the
 * offending fields); a transient failure still failing after every attempt, or an unreachable API
 * server, is 503 and retryable; anything else is 500.
 */
export function toSinkError(failure: Failure, subject: string, attempts: number): SinkError {
  const details = { code: failure.code, reason: failure.reason, causes: failure.causes, attempts };
  if (failure.retryable) {
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    return new SinkError(`${subject}: the API server did not take the run after ${tries}: ${lastAnswer(failure)}`, {
      status: 503,
      retryable: true,
      cause: failure.error,
      details,
    });
  }
  if (failure.code !== undefined) {
    const message = describeApiStatus({ code: failure.code, reason: failure.reason, message: failure.message, causes: failure.causes });
    return new SinkError(`${subject}: ${message}`, { status: failure.code, retryable: false, cause: failure.error, details });
  }
  if (failure.unreachable) {
    return new SinkError(`${subject}: cannot talk to the API server: ${failure.message}`, {
      status: 503,
      retryable: true,
      cause: failure.error,
      details,
    });
  }
  return new SinkError(`${subject}: ${failure.message}`, { status: 500, retryable: false, cause: failure.error, details });
}

function lastAnswer(failure: Failure): string {
  return failure.code === undefined ? failure.message : `HTTP ${failure.code}: ${failure.message}`;
}
