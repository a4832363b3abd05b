/** Builds what a template sees from the run configuration, the event and the resolved parameters. */
import type { RunbridgeEvent, RunCompletion } from '../events/event.ts';
import type { RunConfiguration } from '../config/schema.ts';
import type { TemplateContext } from '../render/template-context.ts';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

// Built field by field (no object spreads, which cost a copy each on every run); the fields come
// in the order documented in TemplateContext.
export function buildContext(input: {
  rc: RunConfiguration;
  event: RunbridgeEvent;
  params: Record<string, string>;
  parameters: { name: string; value: string }[];
  name: string;
  /** The time now, ISO-8601 UTC (a Date is turned into that). */
  now: Date | string;
}): TemplateContext {
  const { rc, event } = input;
  const context: Partial<Writable<TemplateContext>> = {
    runConfiguration: { name: rc.name, namespace: rc.namespace },
    params: input.params,
    parameters: input.parameters,
    labels: rc.labels,
    annotations: rc.annotations,
    artifacts: rc.artifacts,
    event: { id: event.id, source: event.source, type: event.type, time: event.time, trigger: event.trigger },
  };
  if (event.git) context.git = event.git;
  if (event.schedule) context.schedule = event.schedule;
  if (event.completion) context.upstream = upstreamOf(event.completion);
  context.name = input.name;
  context.now = typeof input.now === 'string' ? input.now : input.now.toISOString();
  return context as TemplateContext;
}

function upstreamOf(completion: RunCompletion): NonNullable<TemplateContext['upstream']> {
  const upstream: Writable<NonNullable<TemplateContext['upstream']>> = {
    status: completion.status,
    // fromEntries defines own properties, so an artifact named __proto__ stays a plain entry.
    artifacts: Object.fromEntries(completion.artifacts.map((a) => [a.name, a.location])),
  };
  if (completion.runConfigurationName) upstream.runConfiguration = completion.runConfigurationName;
  if (completion.runName) upstream.runName = completion.runName;
  if (completion.runId) upstream.runId = completion.runId;
  return upstream;
}
