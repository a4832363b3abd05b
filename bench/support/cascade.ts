/**
 * A cascade: one completion of a root run configuration, then, as soon as the handler has
 * created a downstream run (rendered, submitted, recorded), that run's completion, and so on down
 * every chain. Timed from the root completion to the last downstream run. The floor renders and
 * submits the same runs straight, with no chaining or state.
 */
import type { CompiledRunConfiguration } from '../../src/config/loaded-config.ts';
import { buildContext } from '../../src/dispatch/build-context.ts';
import { renderRun } from '../../src/render/render-run.ts';
import { runIdentity, runName } from '../../src/render/run-name.ts';
import type { Sink } from '../../src/sinks/sink.ts';
import { resolveParameters } from '../../src/triggers/resolve-parameters.ts';
import type { ChainingStack } from './chaining-stack.ts';
import { completionEvent } from './completion-message.ts';

export interface CascadeResult {
  readonly runs: number;
  readonly seconds: number;
  readonly problems: readonly string[];
}

export async function cascade(stack: ChainingStack, root: string): Promise<CascadeResult> {
  const problems: string[] = [];
  let runs = 0;
  let sequence = 0;
  const complete = async (runConfigurationName: string, name: string): Promise<void> => {
    const event = completionEvent({ runConfigurationName, runName: name, artifacts: [{ name: 'out', location: `s3://bench/${name}` }], sequence: sequence++ });
    const outcome = await stack.handleCompletion(event);
    if (outcome.outcome !== 'dispatched') {
      problems.push(`${runConfigurationName}: ${outcome.outcome}`);
      return;
    }
    await Promise.all(
      outcome.dispatch.matched.map(async (m) => {
        if (m.error || !m.run) problems.push(`${m.runConfiguration}: ${m.error?.message ?? 'no run'}`);
        else if (m.run.created) {
          runs++;
          await complete(m.runConfiguration, m.run.name);
        }
      }),
    );
  };
  const started = performance.now();
  await complete(root, `${root.split('/')[1]}-run`);
  return { runs, seconds: (performance.now() - started) / 1000, problems };
}

/** The same downstream runs rendered from a completion context and submitted, one after the other. */
export async function renderStraight(runConfigurations: readonly CompiledRunConfiguration[], sink: Sink): Promise<CascadeResult> {
  const started = performance.now();
  let runs = 0;
  for (const [i, rc] of runConfigurations.entries()) {
    const upstream = rc.upstreams[0] ?? rc.key;
    const event = completionEvent({ runConfigurationName: upstream, runName: `${upstream.split('/')[1]}-run`, artifacts: [{ name: 'out', location: `s3://bench/${i}` }], sequence: i });
    const { params, parameters } = resolveParameters(rc.spec, event, { resolveArtifact: () => `s3://bench/${i}` });
    const identity = runIdentity(rc.key, event.id);
    const name = runName(rc.spec.name, identity);
    const context = buildContext({ rc: rc.spec, event, params, parameters, name, now: new Date() });
    const manifest = renderRun(rc.template, context, {
      runConfiguration: { name: rc.spec.name, namespace: rc.spec.namespace },
      event: { id: event.id, source: event.source, type: event.type, trigger: event.trigger },
      labels: rc.spec.labels,
      annotations: rc.spec.annotations,
      identity,
    });
    if ((await sink.submit(manifest)).created) runs++;
  }
  return { runs, seconds: (performance.now() - started) / 1000, problems: [] };
}
