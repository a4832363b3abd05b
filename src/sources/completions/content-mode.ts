/**
 * How a completion message carries its event (CloudEvents HTTP and NATS bindings): `structured`
 * (the whole event as `application/cloudevents+json`), `binary` (attributes in `ce-*` headers, the
 * body is the data) or `json` (a JSON body without CloudEvents headers: an event in structured form
 * sent as plain JSON, or KFP-Operator's bare `{"data": {...}}`). Batches are refused.
 */
import { CompletionRejectedError } from './completion-rejected-error.ts';

export type ContentMode = 'structured' | 'binary' | 'json';

export type MessageHeaders = Readonly<Record<string, string | undefined>>;

/** The media type of a Content-Type header value, lower case, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

export function isJsonMediaType(mediaType: string | undefined): boolean {
  return mediaType === 'application/json' || (mediaType !== undefined && /^application\/[^/]+\+json$/.test(mediaType));
}

/** `headers` must have lower-case names. */
export function contentModeOf(headers: MessageHeaders): ContentMode {
  const mediaType = mediaTypeOf(headers['content-type']);
  if (mediaType === 'application/cloudevents-batch+json') {
    throw new CompletionRejectedError('batch', 'batched CloudEvents (application/cloudevents-batch+json) are not supported: send one event per message');
  }
  if (mediaType === 'application/cloudevents+json') return 'structured';
  if (headers['ce-id'] !== undefined || headers['ce-specversion'] !== undefined) return 'binary';
  return 'json';
}
