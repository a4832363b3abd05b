import { RunbridgeError } from '../../errors.ts';

/**
 * A filter expression that does not parse. `position` is the 0-based offset of the problem in the
 * filter source; `reason` is the message without the location, so callers that embed the filter in
 * something larger (an artifact path) can re-locate it.
 */
export class FilterSyntaxError extends RunbridgeError {
  readonly position: number;
  readonly reason: string;

  constructor(source: string, position: number, reason: string) {
    super('RB_FILTER_SYNTAX', 422, `filter ${JSON.stringify(source)}: ${reason} at column ${position + 1}`, {
      details: { source, position },
    });
    this.position = position;
    this.reason = reason;
  }
}
