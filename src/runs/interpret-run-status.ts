/**
 * Reads a run object's status the way its engine writes it (the kind's descriptor, run-kinds.ts), so
 * that a run runbridge created can be known finished without the engine publishing events. A kind
 * without a descriptor is an UnknownRunKindError, never a run that is "running" forever.
 */
import { UnknownRunKindError } from '../errors.ts';
import { describeRunKinds, findRunKind } from './run-kinds.ts';
import type { RunStatus } from './run-status.ts';

export function interpretRunStatus(run: { apiVersion?: unknown; kind?: unknown; spec?: unknown; status?: unknown }): RunStatus {
  const apiVersion = typeof run.apiVersion === 'string' ? run.apiVersion : '';
  const kind = typeof run.kind === 'string' ? run.kind : '';
  const known = findRunKind(apiVersion, kind);
  if (!known) throw new UnknownRunKindError(apiVersion || '(no apiVersion)', kind || '(no kind)', describeRunKinds());
  return known.readStatus(run);
}
