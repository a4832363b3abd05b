/**
 * Resolves a run configuration's parameters for one event: static values, named event fields,
 * paths into the raw payload, and upstream artifacts (`runConfigurationRef`, KFP-Operator style).
 *
 * Every value is a string. A missing value takes the parameter's `default`; an optional upstream
 * artifact that is missing leaves the parameter out (listed in `omitted`). Anything else missing is
 * an error, and all such parameters are reported in one ParameterError
 * (`Unable to resolve parameters: parameter "pr": event has no pullRequestNumber (<forge>.push); …`).
 * A manual event's parameter overrides replace declared parameters of the same name.
 */
import { qualifyRunConfigurationName, type Parameter, type RunConfiguration } from '../config/schema.ts';
import { ParameterError } from '../errors.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import { eventFieldValue } from './event-field.ts';
import { parsePayloadPath, readPayloadPath } from './payload-path.ts';

export interface ArtifactReference {
  /** Qualified `namespace/name` of the upstream run configuration. */
  readonly name: string;
  readonly outputArtifact: string;
  readonly optional: boolean;
}

export interface ResolveParametersOptions {
  /** The upstream's latest artifact location, or undefined when none is known. */
  readonly resolveArtifact?: (ref: ArtifactReference) => string | undefined;
}

export interface ResolvedParameters {
  readonly params: Record<string, string>;
  readonly parameters: { name: string; value: string }[];
  /** Optional upstream artifacts that were not available. */
  readonly omitted: string[];
}

type Outcome = { value: string } | { omit: true } | { problem: string };

function payloadValue(event: RunbridgeEvent, path: string): string | undefined | { problem: string } {
  const segments = parsePayloadPath(path);
  if (!Array.isArray(segments)) return { problem: segments.error };
  const value = readPayloadPath(event.data, segments);
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return undefined;
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return { problem: `payload ${path} is ${kind}, not a string (${event.type})` };
}

function resolveOne(
  parameter: Parameter,
  rc: Pick<RunConfiguration, 'namespace'>,
  event: RunbridgeEvent,
  options: ResolveParametersOptions,
): Outcome {
  if ('value' in parameter) return { value: parameter.value };
  const { valueFrom } = parameter;
  const fallback = (problem: string): Outcome =>
    parameter.default === undefined ? { problem } : { value: parameter.default };
  if ('event' in valueFrom) {
    const value = eventFieldValue(event, valueFrom.event);
    return value === undefined ? fallback(`event has no ${valueFrom.event} (${event.type})`) : { value };
  }
  if ('payload' in valueFrom) {
    const value = payloadValue(event, valueFrom.payload);
    if (typeof value === 'string') return { value };
    return value === undefined ? fallback(`payload has no ${valueFrom.payload} (${event.type})`) : value;
  }
  const ref = valueFrom.runConfigurationRef;
  const name = qualifyRunConfigurationName(ref.name, rc.namespace);
  const value = options.resolveArtifact?.({ name, outputArtifact: ref.outputArtifact, optional: ref.optional });
  if (value !== undefined) return { value };
  if (parameter.default !== undefined) return { value: parameter.default };
  if (ref.optional) return { omit: true };
  return { problem: `upstream ${name} has no artifact ${ref.outputArtifact}` };
}

export function resolveParameters(
  rc: Pick<RunConfiguration, 'name' | 'namespace' | 'parameters'>,
  event: RunbridgeEvent,
  options: ResolveParametersOptions = {},
): ResolvedParameters {
  const overrides = event.manual?.params;
  const parameters: { name: string; value: string }[] = [];
  const omitted: string[] = [];
  const problems: { parameter: string; message: string }[] = [];
  for (const parameter of rc.parameters) {
    const outcome =
      overrides !== undefined && Object.hasOwn(overrides, parameter.name)
        ? { value: overrides[parameter.name] ?? '' }
        : resolveOne(parameter, rc, event, options);
    if ('value' in outcome) parameters.push({ name: parameter.name, value: outcome.value });
    else if ('omit' in outcome) omitted.push(parameter.name);
    else problems.push({ parameter: parameter.name, message: `parameter "${parameter.name}": ${outcome.problem}` });
  }
  if (problems.length > 0) {
    throw new ParameterError(`Unable to resolve parameters: ${problems.map((p) => p.message).join('; ')}`, {
      details: { runConfiguration: `${rc.namespace}/${rc.name}`, eventId: event.id, problems },
    });
  }
  // fromEntries defines own properties, so a parameter named __proto__ stays a plain entry.
  const params: Record<string, string> = Object.fromEntries(parameters.map((p) => [p.name, p.value]));
  return { params, parameters, omitted };
}
