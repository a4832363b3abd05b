/**
 * Every error runbridge raises on purpose. Each carries a stable `code` and the HTTP status it maps
 * to, so one function (server/error-response.ts) turns any of them into an answer.
 */
export class RunbridgeError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  /** Headers the answer carries (`Allow` on a 405, `WWW-Authenticate` on a 401). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export class SignatureError extends RunbridgeError {
  constructor(message = 'signature verification failed', options: { cause?: unknown } = {}) {
    super('RB_SIGNATURE', 401, message, options);
  }
}

export class UnauthorizedError extends RunbridgeError {
  constructor(message = 'missing or invalid bearer token', options: { challenge?: string } = {}) {
    super('RB_UNAUTHORIZED', 401, message, options.challenge === undefined ? {} : { headers: { 'WWW-Authenticate': options.challenge } });
  }
}

export class MethodNotAllowedError extends RunbridgeError {
  constructor(method: string, allowed: readonly string[]) {
    const allow = allowed.join(', ');
    super('RB_METHOD_NOT_ALLOWED', 405, `${method} is not allowed here; allowed: ${allow}`, { headers: { Allow: allow } });
  }
}

/** Authenticated, but not allowed to do this (a run configuration closed to manual runs, a parameter it does not let callers set). */
export class ForbiddenError extends RunbridgeError {
  constructor(message: string) {
    super('RB_FORBIDDEN', 403, message);
  }
}

/** Too many failed attempts from one client; `retryAfterSeconds` goes into the Retry-After header. */
export class TooManyRequestsError extends RunbridgeError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('RB_RATE_LIMITED', 429, message, { details: { retryAfterSeconds }, headers: { 'Retry-After': String(retryAfterSeconds) } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class MalformedEventError extends RunbridgeError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('RB_MALFORMED', 400, message, options);
  }
}

export class PayloadTooLargeError extends RunbridgeError {
  constructor(limitBytes: number) {
    super('RB_TOO_LARGE', 413, `request body exceeds the limit of ${limitBytes} bytes`, {
      details: { limitBytes },
    });
  }
}

export class UnsupportedMediaTypeError extends RunbridgeError {
  constructor(contentType: string | undefined) {
    super(
      'RB_CONTENT_TYPE',
      415,
      `unsupported content type ${JSON.stringify(contentType ?? '')}: send application/json or application/x-www-form-urlencoded`,
    );
  }
}

export class NotFoundError extends RunbridgeError {
  constructor(message: string) {
    super('RB_NOT_FOUND', 404, message);
  }
}

/** A template or parameter problem discovered while rendering one run (422). */
export class RenderError extends RunbridgeError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('RB_RENDER', 422, message, options);
  }
}

/**
 * A run of a kind runbridge has no descriptor for (src/runs/run-kinds.ts), where its status must be
 * read or the run stopped: runbridge cannot tell whether it is still running.
 */
export class UnknownRunKindError extends RunbridgeError {
  constructor(apiVersion: string, kind: string, known: string) {
    super('RB_RUN_KIND', 422, `runbridge cannot read the status of ${apiVersion} ${kind} runs or stop them: not a run kind it knows (${known})`);
  }
}

/** A parameter could not be resolved (missing event field, unresolved upstream artifact). */
export class ParameterError extends RunbridgeError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('RB_PARAMETER', 422, message, options);
  }
}

/** Long enough for a restart or a replica to take over, short enough for a forge's manual redelivery. */
const NOT_READY_RETRY_AFTER_SECONDS = 10;

/** Nothing was taken (shutting down, the intake cannot store): the sender should deliver again after Retry-After. */
export class NotReadyError extends RunbridgeError {
  constructor(message = 'runbridge is not ready', retryAfterSeconds = NOT_READY_RETRY_AFTER_SECONDS) {
    super('RB_NOT_READY', 503, message, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}


/**
 * The sink refused or failed a run. `status` is what the webhook answers: the API server's own
 * 4xx for permanent problems (403 forbidden, 404 kind not installed, 422 schema violation), 503 when
 * retries were exhausted on a transient failure. `retryable` says whether trying later may succeed.
 */
export class SinkError extends RunbridgeError {
  readonly retryable: boolean;
  constructor(
    message: string,
    options: { status: number; retryable: boolean; cause?: unknown; details?: Record<string, unknown> },
  ) {
    super('RB_SINK', options.status, message, options);
    this.retryable = options.retryable;
  }
}

export class StateError extends RunbridgeError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('RB_STATE', 503, message, options);
  }
}

/**
 * The intake cannot take the event now: its backlog is over its bound, or its storage failed (a full
 * or read-only disk, JetStream unreachable). Nothing was accepted; `retryAfterSeconds` says when to
 * try again.
 */
export class IntakeUnavailableError extends RunbridgeError {
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { retryAfterSeconds: number; cause?: unknown }) {
    super('RB_INTAKE_UNAVAILABLE', 503, message, { ...options, headers: { 'Retry-After': String(options.retryAfterSeconds) } });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * Too many requests not yet authenticated are in flight (or too many of their bytes): this one is
 * refused before its body is read. Nothing was accepted; `Retry-After` says when to try again.
 */
export class OverloadedError extends RunbridgeError {
  constructor(message: string, retryAfterSeconds: number) {
    super('RB_OVERLOADED', 503, message, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/** `runbridge retry` for an event the intake does not hold as a dead letter. */
export class IntakeNotFoundError extends RunbridgeError {
  constructor(message: string) {
    super('RB_NOT_FOUND', 404, message);
  }
}

/** One configuration problem, located by its field path (`runConfigurations[2].triggers.git[0].branches[1]`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

export class ConfigError extends RunbridgeError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], source = 'configuration') {
    super(
      'RB_CONFIG',
      500,
      `${source} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n` +
        issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n'),
      { details: { issues } },
    );
    this.issues = issues;
  }
}
