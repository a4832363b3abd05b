import { ApiException } from '@kubernetes/client-node';
import { parseRetryAfter } from './retry-after.ts';
import { readApiStatus, type StatusCause } from './read-api-status.ts';

/**
 * What went wrong with one request to the API server, and whether trying again may help.
 *
 * Retried: 429 (honouring Retry-After), every 5xx, and connection failures (refused, reset, timed
 * out, socket hang up), which are what a restarting or overloaded API server looks like.
 * Not retried: every other answer (400, 401, 403, 404, 409, 422, …): the server understood and
 * said no, and asking again would only multiply the same refusal. Nor errors that are neither an
 * answer nor a known transient network failure (a TLS certificate mismatch, a bug).
 */
export interface Failure {
  retryable: boolean;
  /** The API server's HTTP status; undefined when it gave no answer. */
  code: number | undefined;
  /** The Status `reason` (AlreadyExists, Forbidden, Invalid, NotFound, …). */
  reason: string | undefined;
  message: string;
  causes: StatusCause[];
  retryAfterMs: number | undefined;
  /**
   * No HTTP answer because of the network or TLS: the API server is unreachable (or the connection
   * to it broke). False for an answer, and for an error that is neither (a bug).
   */
  unreachable: boolean;
  error: unknown;
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_NETWORK_MESSAGES = /socket hang up|other side closed|connection reset/i;
const NETWORK_MESSAGES = /fetch failed|socket hang up|other side closed/i;
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError']);

export function isRetryableCode(code: number): boolean {
  return code === 429 || (code >= 500 && code <= 599);
}

export function classifyFailure(error: unknown, nowMs: number): Failure {
  if (error instanceof ApiException) {
    const code = Number(error.code);
    const status = readApiStatus(code, error.body);
    const headers = (error.headers ?? {}) as Record<string, string>;
    return {
      retryable: isRetryableCode(code),
      code,
      reason: status.reason,
      message: status.message,
      causes: status.causes,
      retryAfterMs: parseRetryAfter(headers['retry-after'], nowMs),
      unreachable: false,
      error,
    };
  }
  const chain = causeChain(error);
  const network = chain.some(
    (e) => typeof e['code'] === 'string' || TIMEOUT_NAMES.has(String(e['name'])) || NETWORK_MESSAGES.test(String(e['message'])),
  );
  const transient = chain.some(
    (e) =>
      TRANSIENT_NETWORK_CODES.has(String(e['code'])) ||
      TIMEOUT_NAMES.has(String(e['name'])) ||
      TRANSIENT_NETWORK_MESSAGES.test(String(e['message'])),
  );
  return {
    retryable: transient,
    code: undefined,
    reason: undefined,
    message: describeChain(chain) || String(error),
    causes: [],
    retryAfterMs: undefined,
    unreachable: network,
    error,
  };
}

/** The error and its `cause`s, outermost first (undici wraps the socket error in "fetch failed"). */
function causeChain(error: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 6 && !chain.includes(current as Record<string, unknown>)) {
    chain.push(current as Record<string, unknown>);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function describeChain(chain: Record<string, unknown>[]): string {
  return chain
    .map((e) => {
      const message = typeof e['message'] === 'string' ? e['message'] : '';
      const code = typeof e['code'] === 'string' && !message.includes(e['code']) ? ` (${e['code']})` : '';
      return `${message}${code}`;
    })
    .filter((text) => text !== '')
    .join(': ');
}
