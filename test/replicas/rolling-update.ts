/**
 * A Deployment's rolling update with the chart's strategy (maxSurge 1, maxUnavailable 0): a new pod
 * is started first; once it is ready, one old pod is deleted — and, the old pod no longer counting,
 * the next new pod starts while the old one goes through its preStop pause and shutdown. Never
 * fewer ready pods than asked for, at most one more.
 *
 *   const steps = await rollingUpdate(pods, oldPods);
 */
import type { Deleted, Pod, ReplicaPods, Started } from './replica-pods.ts';

export interface RollingStep {
  readonly started: Started;
  readonly deleted: Deleted;
}

/** `preStopMs` overrides the pods' preStop pause (0: a chart with `preStopSleepSeconds: 0`). */
export async function rollingUpdate(pods: ReplicaPods, old: readonly Pod[], preStopMs?: number): Promise<RollingStep[]> {
  const deletions: Promise<RollingStep>[] = [];
  let surge = pods.start();
  for (const [index, pod] of old.entries()) {
    const started = await surge;
    deletions.push(pods.delete(pod, preStopMs).then((deleted) => ({ started, deleted })));
    if (index < old.length - 1) surge = pods.start();
  }
  return Promise.all(deletions);
}
