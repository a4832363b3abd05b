import type { IncomingHttpHeaders } from 'node:http';
import { MalformedEventError } from '../../errors.ts';

// GitHub sends GUIDs and lower-case event names; these bounds keep anything else out of logs and keys.
const DELIVERY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;

/** The X-GitHub-Event value when it is an event name (lower-case words joined by underscores). */
export function eventNameOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-github-event'];
  return typeof value === 'string' && EVENT_NAME.test(value) ? value : undefined;
}

/** The delivery id when the header holds a valid one (used before the delivery is validated). */
export function deliveryIdOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-github-delivery'];
  return typeof value === 'string' && DELIVERY_ID.test(value) ? value : undefined;
}

/**
 * The headers GitHub sends with every delivery — X-GitHub-Event (`push`, `pull_request`, `ping`, …)
 * and X-GitHub-Delivery (the event id, the key redeliveries are recognised by); a missing or
 * malformed one is a 400.
 */
export function checkDeliveryHeaders(headers: IncomingHttpHeaders): void {
  const name = headers['x-github-event'];
  const deliveryId = headers['x-github-delivery'];
  if (typeof name !== 'string' || name === '') throw new MalformedEventError('missing X-GitHub-Event header');
  if (!EVENT_NAME.test(name)) throw new MalformedEventError('X-GitHub-Event header is not an event name');
  if (typeof deliveryId !== 'string' || deliveryId === '') {
    throw new MalformedEventError('missing X-GitHub-Delivery header');
  }
  if (!DELIVERY_ID.test(deliveryId)) throw new MalformedEventError('X-GitHub-Delivery header is not a delivery id');
}
