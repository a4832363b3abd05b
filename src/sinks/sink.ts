/** Where rendered runs go. The dispatcher only knows this interface. */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A rendered run manifest: a Kubernetes object of one of the target kinds. */
export interface RunManifest {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string };
  [key: string]: unknown;
}

export interface SubmitOptions {
  /** Validate and admit without storing (Kubernetes dryRun=All); the file sink writes nothing. */
  dryRun?: boolean;
}

export interface SubmitResult {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  /** False when the run already existed (a redelivery): success, nothing new created. */
  created: boolean;
  dryRun: boolean;
  /** Where it landed, for humans: a file path, or the API path. */
  location: string;
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

/** Names one run object exactly: group/version/kind, never kind alone. */
export interface RunRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * What schedules with concurrencyPolicy Forbid/Replace need from where runs live: read a run back,
 * and stop one as its kind allows (Tekton: spec.status RunCancelled/CustomRunCancelled; other kinds:
 * delete).
 */
export interface RunControl {
  get(ref: RunRef): Promise<Record<string, unknown> | undefined>;
  cancel(ref: RunRef): Promise<void>;
}
