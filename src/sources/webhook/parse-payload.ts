import { MalformedEventError } from '../../errors.ts';
import type { DeliveryFormat } from './delivery-format.ts';

/**
 * The payload of a delivery whose signature was already verified. A form delivery carries the
 * JSON in its `payload` field. Webhook payloads are JSON objects; anything else is malformed.
 */
export function parsePayload(body: string, format: DeliveryFormat): Record<string, unknown> {
  let json = body;
  if (format === 'form') {
    const field = new URLSearchParams(body).get('payload');
    if (field === null) throw new MalformedEventError('form delivery has no payload field');
    json = field;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch (err) {
    throw new MalformedEventError(`payload is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new MalformedEventError('payload must be a JSON object');
  }
  return payload as Record<string, unknown>;
}
