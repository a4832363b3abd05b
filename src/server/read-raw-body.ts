import express, { type Request } from 'express';
import { MalformedEventError } from '../errors.ts';

/**
 * Reads a request's body as bytes, at most `limitBytes`, with express's raw body parser as it is:
 * its error types (413, 400, 415 for a compressed body) for errorResponse, and the rest of a
 * refused request read off so that the connection can carry the next one. With `idleTimeoutMs`, a
 * body that stalls that long (no byte arrives) is abandoned: the connection is closed, so a sender
 * that never finishes its body holds nothing for long.
 */
export function rawBodyReader(limitBytes: number, options: { readonly idleTimeoutMs?: number } = {}): (req: Request) => Promise<Buffer> {
  const rawBody = express.raw({ type: () => true, limit: limitBytes, inflate: false });
  const { idleTimeoutMs } = options;
  return (req) =>
    new Promise<Buffer>((resolve, reject) => {
      const stalled = (): void => {
        req.destroy();
        reject(new MalformedEventError(`request body stalled for ${idleTimeoutMs} ms: connection closed`));
      };
      if (idleTimeoutMs !== undefined) req.setTimeout(idleTimeoutMs, stalled);
      rawBody(req, req.res!, (error?: unknown) => {
        if (idleTimeoutMs !== undefined) {
          req.off('timeout', stalled);
          req.socket?.setTimeout(0);
        }
        if (error) reject(error);
        else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      });
    });
}
