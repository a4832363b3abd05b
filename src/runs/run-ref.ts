/** Names one run object exactly: group/version/kind, never kind alone. */
export interface RunRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}
