import type { RequestHandler } from 'express';
import { RunbridgeError } from '../errors.ts';

/** Answers 405 with the Allow header for methods a route does not serve. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, res, next) => {
    res.setHeader('Allow', allow);
    next(new RunbridgeError('RB_METHOD_NOT_ALLOWED', 405, `${req.method} is not allowed here; allowed: ${allow}`));
  };
}
