import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body as raw bytes, capped at `limit`, as express.raw({ inflate: false }) does:
 * undefined when the request has no body (neither Content-Length nor Transfer-Encoding); errors
 * carry body-parser's `type` (`entity.too.large`, `encoding.unsupported`, `request.size.invalid`,
 * `request.aborted`) for errorResponse, and are raised once the rest of the request was read off,
 * so the connection can carry the next one.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const lengthHeader = req.headers['content-length'];
  const hasLength = lengthHeader !== undefined && !Number.isNaN(Number(lengthHeader));
  if (req.headers['transfer-encoding'] === undefined && !hasLength) return Promise.resolve(undefined);
  const encoding = (req.headers['content-encoding'] || 'identity').toLowerCase();
  if (encoding !== 'identity') return Promise.reject(bodyError('encoding.unsupported', 415, 'content encoding unsupported', { encoding }));
  const length = hasLength ? Number.parseInt(lengthHeader, 10) : undefined;
  if (length !== undefined && length > limit) return readOff(req, bodyError('entity.too.large', 413, 'request entity too large', { limit }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error: Error | undefined, body?: Buffer): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
      req.off('aborted', onAborted);
      if (error) readOff(req, error).catch(reject);
      else resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) finish(bodyError('entity.too.large', 413, 'request entity too large', { limit }));
      else chunks.push(chunk);
    };
    const onEnd = (error?: Error): void => {
      // An error of the request stream is the caller's doing: a 400, as body-parser answers it.
      if (error) finish(Object.assign(error, { status: 400, statusCode: 400, expose: true }));
      else if (length !== undefined && received !== length) finish(bodyError('request.size.invalid', 400, 'request size did not match content length'));
      else finish(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onAborted = (): void => finish(bodyError('request.aborted', 400, 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
    req.on('aborted', onAborted);
  });
}

/** Rejects with `error` once the request has been read to its end (or its connection is gone). */
function readOff(req: IncomingMessage, error: Error): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (req.complete || req.destroyed) return reject(error);
    const done = (): void => reject(error);
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}

function bodyError(type: string, status: number, message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { type, status, statusCode: status, expose: true, ...fields });
}
