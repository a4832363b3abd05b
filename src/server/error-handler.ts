import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { deliveryContext } from './delivery-context.ts';
import { errorResponse } from './error-response.ts';

/**
 * The express error handler: answers with `errorResponse`, adding the delivery's `eventId` when it
 * is known. Unexpected errors (500) are logged with their stack; the caller only learns their code.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const context = deliveryContext(res);
    const { status, body } = errorResponse(err, context?.eventId);
    if (context) {
      context.reason = body.error.message;
      if (status === 500) context.error = err;
    } else if (status === 500) {
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
    }
    res.status(status).json(body);
  };
}
