/**
 * How every Tekton run kind writes its status: the `Succeeded` condition (`True`, `False`, or
 * `Unknown` while running) with its message, `startTime`/`completionTime`, and `results[]`
 * `{name, value}` whose text values become artifacts.
 */
import type { RunObject } from './run-kind.ts';
import type { RunStatus } from '../run-status.ts';
import { commonTimes, condition, namedValues, optional, phaseOfCondition, record } from './status-fields.ts';

export function readTektonStatus(run: RunObject): RunStatus {
  const status = record(run.status);
  const succeeded = condition(status, 'Succeeded');
  return {
    phase: phaseOfCondition(succeeded.status),
    artifacts: namedValues(status['results']),
    ...optional({ ...commonTimes(status), message: succeeded.message }),
  };
}
