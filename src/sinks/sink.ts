/** Where rendered runs go. The dispatcher only knows this interface. */
import type { RunManifest } from '../runs/run-manifest.ts';
import type { SubmitResult } from '../runs/submitted-run.ts';

export interface SubmitOptions {
  /** Validate and admit without storing (Kubernetes dryRun=All); the file sink writes nothing. */
  dryRun?: boolean;
}

export interface Sink {
  readonly kind: string;
  /**
   * Creates the run. Idempotent by `metadata.name`: a run of that name that already exists is
   * success with `created: false`. Throws SinkError on failure, never returns a half result.
   */
  submit(run: RunManifest, options?: SubmitOptions): Promise<SubmitResult>;
  /** Whether the sink can take runs now (readiness). */
  ready(): boolean;
  close(): Promise<void>;
}
