/**
 * Reads a completion message in any of the accepted forms into its CloudEvent attributes and data,
 * with the cloudevents package's HTTP binding (`HTTP.toEvent`), which also serves NATS: the NATS
 * binding uses the same `ce-*` header names. The package fills in a missing id or time and lets an
 * unknown spec version through; runbridge needs a stable id and a real time, so the required
 * attributes are checked first, each with its own message.
 */
import { HTTP, ValidationError, type CloudEvent } from 'cloudevents';
import { describeValue } from '../../config/issue-message.ts';
import { isRecord } from '../../events/json-record.ts';
import { requireDataObject } from './completion-data.ts';
import { CompletionRejectedError } from './completion-rejected-error.ts';
import { contentModeOf, isJsonMediaType, mediaTypeOf, type MessageHeaders } from './content-mode.ts';
import { rfc3339Time } from './iso-time.ts';
import { RUN_COMPLETION_TYPE } from './run-completion-type.ts';

export interface CompletionMessage {
  /** Header names in any case. */
  readonly headers: MessageHeaders;
  readonly body: string;
}

export interface DecodedCompletion {
  readonly format: 'structured' | 'binary' | 'bare';
  /** The CloudEvent id; undefined for the bare format. */
  readonly id?: string;
  readonly type: string;
  readonly source?: string;
  /** The CloudEvent `time`, ISO-8601 UTC, when the event has one. */
  readonly time?: string;
  readonly data: unknown;
}

const ATTRIBUTES = ['specversion', 'id', 'source', 'type'] as const;

export function decodeCloudEvent(message: CompletionMessage): DecodedCompletion {
  const headers = lowerCaseNames(message.headers);
  const mode = contentModeOf(headers);
  if (mode === 'binary') return decodeBinary(headers, message.body);
  const body = parseJson(message.body, 'body');
  if (!isRecord(body)) throw new CompletionRejectedError('not_object', `body must be a JSON object, got ${describeValue(body)}`);
  if (mode === 'structured' || Object.hasOwn(body, 'specversion')) return decodeStructured(body);
  if (Object.hasOwn(body, 'data')) return { format: 'bare', type: RUN_COMPLETION_TYPE, data: body['data'] };
  throw new CompletionRejectedError('unknown_format', 'body is neither a CloudEvent (no "specversion") nor a bare {"data": {...}} run completion');
}

function decodeStructured(body: Readonly<Record<string, unknown>>): DecodedCompletion {
  // The package copies extension attributes onto the event object by assignment.
  if (Object.hasOwn(body, '__proto__')) throw new CompletionRejectedError('invalid_cloudevent', 'CloudEvent attribute "__proto__" is not allowed');
  for (const name of ATTRIBUTES) requireAttribute(name, body[name], name);
  const time = checkTime(body['time'], 'time');
  if (body['data_base64'] !== undefined) {
    throw new CompletionRejectedError('content_type', 'CloudEvent data_base64 is not supported: a run completion carries its data as JSON in "data"');
  }
  checkDataContentType(typeof body['datacontenttype'] === 'string' ? body['datacontenttype'] : undefined, 'datacontenttype');
  const event = toEvent({ 'content-type': 'application/cloudevents+json' }, body);
  return decoded('structured', event, time, event.data);
}

function decodeBinary(headers: Record<string, string>, body: string): DecodedCompletion {
  for (const name of ATTRIBUTES) requireAttribute(name, headers[`ce-${name}`], `ce-${name} header`);
  const time = checkTime(headers['ce-time'], 'ce-time header');
  checkDataContentType(headers['content-type'], 'content type');
  // The data is parsed here, so that a body that is not JSON is said to be so (the package would
  // quote it into a JSON string). Without a content type the data is taken as JSON too.
  const data = parseJson(body, 'data');
  const event = toEvent({ ...headers, 'content-type': 'application/json' }, requireDataObject(data));
  return decoded('binary', event, time, data);
}

function toEvent(headers: Record<string, string>, body: Readonly<Record<string, unknown>>): CloudEvent {
  let event: CloudEvent;
  try {
    event = HTTP.toEvent({ headers, body }) as CloudEvent;
    event.validate();
  } catch (error) {
    // Anything the package refuses is the event's fault (it throws TypeError for some attributes).
    const reason = error instanceof ValidationError ? describeValidation(error) : error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
    throw new CompletionRejectedError('invalid_cloudevent', `CloudEvent is invalid: ${reason}`, { cause: error });
  }
  return event;
}

function decoded(format: 'structured' | 'binary', event: CloudEvent, time: string | undefined, data: unknown): DecodedCompletion {
  return { format, id: event.id, type: event.type, source: event.source, ...(time !== undefined ? { time } : {}), data };
}

function requireAttribute(name: string, value: unknown, where: string): void {
  if (value === undefined) throw new CompletionRejectedError('invalid_cloudevent', `CloudEvent ${where} is missing`);
  if (typeof value !== 'string' || value === '') {
    throw new CompletionRejectedError('invalid_cloudevent', `CloudEvent ${where} must be a non-empty string, got ${describeValue(value)}`);
  }
  if (name === 'specversion' && value !== '1.0') {
    throw new CompletionRejectedError('invalid_cloudevent', `CloudEvent specversion ${JSON.stringify(value)} is not supported: use 1.0`);
  }
}

function checkTime(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === 'string' ? rfc3339Time(value) : undefined;
  if (time === undefined) throw new CompletionRejectedError('invalid_cloudevent', `CloudEvent ${where} must be an RFC 3339 timestamp, got ${describeValue(value)}`);
  return time;
}

function checkDataContentType(contentType: string | undefined, where: string): void {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType !== undefined && !isJsonMediaType(mediaType)) {
    throw new CompletionRejectedError('content_type', `CloudEvent ${where} ${JSON.stringify(contentType)} is not JSON: run-completion data must be application/json`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CompletionRejectedError('not_json', `${what} is not valid JSON`, { cause: error });
  }
}

function describeValidation(error: ValidationError): string {
  const details = (error.errors ?? []).map((e) => {
    if (typeof e !== 'object' || e === null) return String(e);
    const { instancePath, message } = e as { instancePath?: unknown; message?: unknown };
    return `${typeof instancePath === 'string' && instancePath !== '' ? `${instancePath.slice(1)} ` : ''}${String(message)}`;
  });
  return details.length > 0 ? details.join('; ') : error.message;
}

function lowerCaseNames(headers: MessageHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}
