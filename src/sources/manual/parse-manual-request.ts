/**
 * The body (`{ "params": { "name": "value" } }`, optional) and the Idempotency-Key header of a
 * run-now request, checked: parameter values are strings, nothing else is in the body, and the
 * key is a short token (it becomes part of the event id). Problems are 400s naming the field.
 */
import { z } from 'zod';
import { MalformedEventError } from '../../errors.ts';

const bodySchema = z.strictObject({ params: z.record(z.string().min(1), z.string()).optional() });
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ManualRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly idempotencyKey: string | undefined;
}

export function parseManualRequest(body: unknown, idempotencyKey: string | string[] | undefined): ManualRequest {
  if (Array.isArray(idempotencyKey)) throw new MalformedEventError('send one Idempotency-Key header');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new MalformedEventError('Idempotency-Key must be 1 to 128 characters of A-Z a-z 0-9 . _ : -');
  }
  const parsed = bodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
    throw new MalformedEventError(`invalid request body: ${problems.join('; ')}`);
  }
  return { params: parsed.data.params ?? {}, idempotencyKey };
}
