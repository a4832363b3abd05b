import type { ResourceTarget } from './kube-client.ts';

/** The object's API path: `/apis/<group>/<version>[/namespaces/<ns>]/<plural>/<name>`. */
export function resourcePath(target: ResourceTarget, name: string): string {
  const scope = target.namespace === undefined ? '' : `/namespaces/${encodeURIComponent(target.namespace)}`;
  return `/apis/${target.group}/${target.version}${scope}/${target.plural}/${encodeURIComponent(name)}`;
}
