/**
 * The artifacts a run configuration exposes: each path is a KFP-Operator artifact path
 * `<COMPONENT>:<OUTPUT>[:<INDEX>][[<FILTER>]]` with a valid filter, so KFP users' paths work unchanged.
 */
import { validateArtifactPath } from '../artifacts/artifact-path.ts';
import type { RunConfiguration } from './schema.ts';
import type { Report } from './report.ts';

export function validateArtifacts(rc: RunConfiguration, path: string, report: Report): void {
  rc.artifacts.forEach((artifact, index) => {
    const problem = validateArtifactPath(artifact.path);
    if (problem) report.error(`${path}.artifacts[${index}].path`, problem);
  });
}
