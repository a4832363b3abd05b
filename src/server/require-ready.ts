import { NotReadyError } from '../errors.ts';

export type Readiness = () => { ready: boolean; reasons: string[] };

/**
 * Refuses work while runbridge is not ready (503), so that the sender sees a failure and can
 * deliver again, instead of an acceptance that leads nowhere.
 */
export function requireReady(readiness: Readiness): void {
  const { ready, reasons } = readiness();
  if (!ready) throw new NotReadyError(reasons.length > 0 ? `runbridge is not ready: ${reasons.join('; ')}` : undefined);
}
