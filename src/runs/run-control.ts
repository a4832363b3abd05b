import type { RunRef } from './run-ref.ts';

/**
 * What schedules with concurrencyPolicy Forbid/Replace need from where runs live: read a run back,
 * and stop one as its kind allows (Tekton: spec.status RunCancelled/CustomRunCancelled; other kinds:
 * delete). Each sink comes with its own (createSink returns both).
 */
export interface RunControl {
  get(ref: RunRef): Promise<Record<string, unknown> | undefined>;
  cancel(ref: RunRef): Promise<void>;
}
