/**
 * A completion event runbridge will not handle, however often it is delivered: not JSON, not a
 * CloudEvent or KFP-Operator's bare `{"data": {...}}`, another event type, data that is not a run
 * completion. `reason` is the metric label (`runbridge_completions_rejected_total{reason}`); the
 * message names the field and what was wrong with it.
 */
import { MalformedEventError } from '../../errors.ts';

export type RejectionReason =
  | 'not_json'
  | 'not_object'
  | 'unknown_format'
  | 'batch'
  | 'content_type'
  | 'invalid_cloudevent'
  | 'wrong_type'
  | 'invalid_data';

export class CompletionRejectedError extends MalformedEventError {
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.reason = reason;
  }
}
