/**
 * A run's type, always as group/version/kind: two different kinds are both called `Run`
 * (pipelines.kubeflow.org and tekton.dev), so nothing may be keyed by kind alone.
 */
export interface GroupVersionKind {
  /** '' for the core group (`apiVersion: v1`). */
  group: string;
  version: string;
  kind: string;
}

export function parseGroupVersionKind(apiVersion: string, kind: string): GroupVersionKind {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return { group: '', version: apiVersion, kind };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/** `tekton.dev/v1alpha1 Run`, as people and error messages write it. */
export function formatGroupVersionKind(gvk: GroupVersionKind): string {
  return `${gvk.group === '' ? '' : `${gvk.group}/`}${gvk.version} ${gvk.kind}`;
}
