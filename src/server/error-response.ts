import { PayloadTooLargeError, RunbridgeError } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string };
  eventId?: string;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Headers the error asks for (`Allow`, `WWW-Authenticate`). */
  headers?: Readonly<Record<string, string>>;
}

/** What body-parser / http-errors attach to the errors they raise. */
interface HttpLikeError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  limit?: unknown;
  message?: unknown;
}

const BODY_ERRORS: Record<string, { status: number; code: string; message?: string }> = {
  'entity.parse.failed': { status: 400, code: 'RB_MALFORMED', message: 'request body could not be parsed' },
  'request.aborted': { status: 400, code: 'RB_ABORTED', message: 'request aborted while the body was read' },
  'request.size.invalid': { status: 400, code: 'RB_MALFORMED', message: 'request body length does not match Content-Length' },
  'encoding.unsupported': { status: 415, code: 'RB_CONTENT_TYPE' },
  'charset.unsupported': { status: 415, code: 'RB_CONTENT_TYPE' },
};

/**
 * The one mapping from an error to an HTTP answer. runbridge's own errors carry their status and
 * code; errors of the body reader (express / body-parser) are recognised by their `type`; anything
 * else is a 500 whose body says nothing about the internals (the error is logged, not returned).
 */
export function errorResponse(err: unknown, eventId?: string): ErrorResponse {
  const { status, code, message } = classify(err);
  const body: ErrorBody = { error: { code, message } };
  if (eventId !== undefined) body.eventId = eventId;
  const headers = err instanceof RunbridgeError ? err.headers : undefined;
  return headers === undefined ? { status, body } : { status, body, headers };
}

function classify(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof RunbridgeError) return { status: err.status, code: err.code, message: err.message };
  if (typeof err !== 'object' || err === null) return internal();
  const e = err as HttpLikeError;
  if (e.type === 'entity.too.large') {
    const tooLarge = new PayloadTooLargeError(typeof e.limit === 'number' ? e.limit : 0);
    return { status: tooLarge.status, code: tooLarge.code, message: tooLarge.message };
  }
  const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (known) return { status: known.status, code: known.code, message: known.message ?? String(e.message) };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (e.expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: 'RB_BAD_REQUEST', message: String(e.message) };
  }
  return internal();
}

function internal(): { status: number; code: string; message: string } {
  return { status: 500, code: 'RB_INTERNAL', message: 'internal error' };
}
