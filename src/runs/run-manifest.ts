/** A rendered run manifest: a Kubernetes object of one of the target kinds. */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface RunManifest {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string };
  [key: string]: unknown;
}
