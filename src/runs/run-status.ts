/** A run's status as runbridge understands it, whatever its kind (see RunKind.readStatus). */
import type { Artifact } from '../events/event.ts';

export type RunPhase = 'running' | 'succeeded' | 'failed';

export interface RunStatus {
  readonly phase: RunPhase;
  /** Results the run published, as artifacts for downstream run configurations. */
  readonly artifacts: readonly Artifact[];
  readonly startTime?: string;
  readonly endTime?: string;
  readonly message?: string;
}
