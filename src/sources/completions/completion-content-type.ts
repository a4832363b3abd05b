/**
 * Which Content-Type the HTTP completion endpoint takes, checked before the body is read:
 * `application/cloudevents+json` (structured), `ce-*` headers with JSON data or none (binary), and
 * `application/json` (a structured event or KFP-Operator's bare `{"data": {...}}` as plain JSON).
 * Anything else is a 415 that says what to send.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { RunbridgeError } from '../../errors.ts';
import { isJsonMediaType, mediaTypeOf } from './content-mode.ts';

export class CompletionContentTypeError extends RunbridgeError {
  constructor(message: string) {
    super('RB_CONTENT_TYPE', 415, message);
  }
}

export function checkCompletionContentType(headers: IncomingHttpHeaders): void {
  const contentType = headers['content-type'];
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === 'application/cloudevents-batch+json') {
    throw new CompletionContentTypeError('batched CloudEvents (application/cloudevents-batch+json) are not supported: send one event per request');
  }
  const binary = headers['ce-id'] !== undefined || headers['ce-specversion'] !== undefined;
  if (isJsonMediaType(mediaType) || (binary && mediaType === undefined)) return;
  throw new CompletionContentTypeError(
    `unsupported content type ${JSON.stringify(contentType ?? '')}: send application/cloudevents+json (structured mode), ` +
      'ce-* headers with application/json data (binary mode), or application/json',
  );
}
