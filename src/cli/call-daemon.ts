/**
 * One request from a client command to a running runbridge: its status, text and (when it is
 * JSON) its answer, or why the daemon could not be reached, with URL credentials redacted.
 */
import { redactUrlCredentials } from '../observability/redact-url.ts';

export type DaemonReply<T> =
  | { readonly reached: true; readonly status: number; readonly text: string; readonly answer: Partial<T> }
  | { readonly reached: false; readonly reason: string };

export async function callDaemon<T>(url: string, init: RequestInit): Promise<DaemonReply<T>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    return { reached: false, reason: unreachableReason(error) };
  }
  const text = await response.text();
  let answer: Partial<T> = {};
  try {
    answer = JSON.parse(text) as Partial<T>;
  } catch {
    // not runbridge, or not JSON: the caller reports the status and the text
  }
  return { reached: true, status: response.status, text, answer };
}

/** What a failed fetch says: the socket's own error (ECONNREFUSED …) rather than "fetch failed". */
export function unreachableReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
  return redactUrlCredentials(cause);
}
