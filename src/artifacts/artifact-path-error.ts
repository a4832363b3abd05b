import { RunbridgeError } from '../errors.ts';

/**
 * An artifact path that is not `<COMPONENT>:<OUTPUT>[:<INDEX>][[<FILTER>]]`, or whose filter does not
 * parse. `problem` is the message without the path (what config validation reports under the field
 * path); `position` is the 0-based offset of the problem in the path.
 */
export class ArtifactPathError extends RunbridgeError {
  readonly path: string;
  readonly position: number;
  readonly problem: string;

  constructor(path: string, position: number, reason: string, options: { cause?: unknown } = {}) {
    const problem = `${reason} at column ${position + 1}`;
    super('RB_ARTIFACT_PATH', 422, `invalid artifact path ${JSON.stringify(path)}: ${problem}`, {
      ...options,
      details: { path, position },
    });
    this.path = path;
    this.position = position;
    this.problem = problem;
  }
}
