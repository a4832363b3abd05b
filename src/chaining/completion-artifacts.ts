/**
 * The artifacts of one completed upstream run. Named artifacts that arrive resolved
 * (`artifacts[] {name, location}`, as KFP-Operator publishes them) are taken as they are. When the
 * completion carries component outputs, the upstream's artifact definitions (KFP-Operator artifact
 * paths) are resolved against them. A declared artifact a succeeded run did not produce is a miss
 * with its reason, never dropped silently; failed runs are not expected to produce their artifacts.
 */
import { resolveRunArtifacts, type ArtifactMiss } from '../artifacts/resolve-artifact-path.ts';
import type { Artifact, RunCompletion } from '../events/event.ts';

export function completionArtifacts(
  completion: RunCompletion,
  definitions: readonly { readonly name: string; readonly path: string }[],
): { artifacts: Artifact[]; misses: ArtifactMiss[] } {
  const given = new Map<string, Artifact>();
  for (const artifact of completion.artifacts) {
    if (artifact.name !== '' && artifact.location !== '' && !given.has(artifact.name)) given.set(artifact.name, artifact);
  }
  const artifacts = [...given.values()];
  const misses: ArtifactMiss[] = [];
  const open = definitions.filter((d) => !given.has(d.name));
  if (completion.componentOutputs !== undefined) {
    const resolved = resolveRunArtifacts(open, completion.componentOutputs);
    artifacts.push(...resolved.artifacts);
    misses.push(...resolved.misses);
  } else {
    for (const { name, path } of open) {
      misses.push({ name, path, reason: `the completion carries no artifact ${JSON.stringify(name)} and no component outputs to resolve ${path} against` });
    }
  }
  return { artifacts, misses: completion.status === 'succeeded' ? misses : [] };
}
