import express, { type Request } from 'express';

/**
 * Reads a request's body as bytes, at most `limitBytes`, with express's raw body parser as it is:
 * its error types (413, 400, 415 for a compressed body) for errorResponse, and the rest of a
 * refused request read off so that the connection can carry the next one.
 */
export function rawBodyReader(limitBytes: number): (req: Request) => Promise<Buffer> {
  const rawBody = express.raw({ type: () => true, limit: limitBytes, inflate: false });
  return (req) =>
    new Promise((resolve, reject) => {
      rawBody(req, req.res!, (error?: unknown) => {
        if (error) reject(error);
        else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      });
    });
}
