/**
 * What the run-now API may do with one run configuration: start it at all (`manual.enabled`), and
 * which of its parameters a caller may override (`manual.parameters`). A parameter the run
 * configuration does not declare is left to the dispatcher (422, as before); a declared one that is
 * not listed — the pipeline, an artifact reference — is refused here (403) before anything runs.
 */
import { ForbiddenError } from '../../errors.ts';

export interface ManualPolicy {
  readonly enabled: boolean;
  /** Parameters a caller may override. */
  readonly overridable: ReadonlySet<string>;
  /** Every parameter the run configuration declares. */
  readonly declared: ReadonlySet<string>;
}

export function authorizeManualRun(runConfiguration: string, policy: ManualPolicy, params: Readonly<Record<string, string>>): void {
  if (!policy.enabled) throw new ForbiddenError(`run configuration ${runConfiguration} does not accept manual runs (manual.enabled is not true)`);
  const refused = Object.keys(params).filter((name) => policy.declared.has(name) && !policy.overridable.has(name));
  if (refused.length === 0) return;
  const allowed = [...policy.overridable].join(', ');
  throw new ForbiddenError(
    `run configuration ${runConfiguration} does not let callers override ${refused.join(', ')}; ${allowed ? `overridable: ${allowed}` : 'no parameter is overridable'} (manual.parameters)`,
  );
}
