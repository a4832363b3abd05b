/** A run as a sink reports it once submitted. */
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
