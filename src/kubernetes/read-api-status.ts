/**
 * Reads the API server's answer to a failed request: a `Status` object (`kind: Status`) with the
 * server's own `message`, a machine `reason` (AlreadyExists, Forbidden, Invalid, …) and, for a
 * 422, `details.causes[]` naming each offending field. client-node 2.x hands the body over as the
 * raw response text, so both text and parsed objects are accepted.
 */
export interface StatusCause {
  field?: string;
  message: string;
  reason?: string;
}

export interface ApiStatus {
  code: number;
  reason: string | undefined;
  message: string;
  causes: StatusCause[];
}

export function readApiStatus(code: number, body: unknown): ApiStatus {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  if (!isRecord(parsed) || parsed['kind'] !== 'Status') {
    const text = typeof body === 'string' ? body.trim() : '';
    return { code, reason: undefined, message: text === '' ? `HTTP ${code}` : truncate(text), causes: [] };
  }
  const message = typeof parsed['message'] === 'string' && parsed['message'] !== '' ? parsed['message'] : `HTTP ${code}`;
  const details = isRecord(parsed['details']) ? parsed['details'] : {};
  const causes = Array.isArray(details['causes']) ? details['causes'].flatMap(readCause) : [];
  return { code, reason: typeof parsed['reason'] === 'string' ? parsed['reason'] : undefined, message, causes };
}

/**
 * The message to show a person: the server's message, followed by each cause the message does not
 * already spell out (`spec.provider: Invalid value: …`).
 */
export function describeApiStatus(status: ApiStatus): string {
  const extra = status.causes
    .map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message))
    .filter((text) => !status.message.includes(text));
  return extra.length === 0 ? status.message : `${status.message} (${extra.join('; ')})`;
}

function readCause(value: unknown): StatusCause[] {
  if (!isRecord(value) || typeof value['message'] !== 'string') return [];
  const cause: StatusCause = { message: value['message'] };
  if (typeof value['field'] === 'string' && value['field'] !== '') cause.field = value['field'];
  if (typeof value['reason'] === 'string') cause.reason = value['reason'];
  return [cause];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
