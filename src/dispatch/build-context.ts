/** Builds what a template sees from the run configuration, the event and the resolved parameters. */
import type { RunbridgeEvent } from '../events/event.ts';
import type { RunConfiguration } from '../config/schema.ts';
import type { TemplateContext } from '../render/template-context.ts';

export function buildContext(input: {
  rc: RunConfiguration;
  event: RunbridgeEvent;
  params: Record<string, string>;
  parameters: { name: string; value: string }[];
  name: string;
  now: Date;
}): TemplateContext {
  const { rc, event } = input;
  const completion = event.completion;
  return {
    runConfiguration: { name: rc.name, namespace: rc.namespace },
    params: input.params,
    parameters: input.parameters,
    labels: rc.labels,
    annotations: rc.annotations,
    artifacts: rc.artifacts,
    event: { id: event.id, source: event.source, type: event.type, time: event.time, trigger: event.trigger },
    ...(event.git ? { git: event.git } : {}),
    ...(event.schedule ? { schedule: event.schedule } : {}),
    ...(completion
      ? {
          upstream: {
            status: completion.status,
            artifacts: Object.fromEntries(completion.artifacts.map((a) => [a.name, a.location])),
            ...(completion.runConfigurationName ? { runConfiguration: completion.runConfigurationName } : {}),
            ...(completion.runName ? { runName: completion.runName } : {}),
            ...(completion.runId ? { runId: completion.runId } : {}),
          },
        }
      : {}),
    name: input.name,
    now: input.now.toISOString(),
  };
}
