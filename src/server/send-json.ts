import type { ServerResponse } from 'node:http';

/**
 * Answers with `body` as JSON, with the headers express's `res.status(status).json(body)` sets when
 * ETags are off (`Content-Type: application/json; charset=utf-8`, `Content-Length`), on a plain
 * node:http response: the webhook routes answer without going through express.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
