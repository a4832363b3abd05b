/** The public listener's pre-authentication bounds as the configuration's defaults set them, for tests that mount a webhook route alone. */
import { serverLimitsSchema } from '../../src/config/server-schema.ts';
import { gateOf, type PreAuthGate } from '../../src/server/pre-auth-gate.ts';

export function preAuthDefaults(): { bodyIdleTimeoutMs: number; gate: PreAuthGate } {
  const limits = serverLimitsSchema.parse({});
  return { bodyIdleTimeoutMs: limits.bodyIdleTimeoutSeconds * 1000, gate: gateOf(limits) };
}
