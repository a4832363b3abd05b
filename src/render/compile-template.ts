/**
 * Compiles one template source into a CompiledTemplate, or reports its problems with line numbers.
 * The source is parsed to a Handlebars AST (parseWithoutProcessing: the compiler applies the
 * standalone-line whitespace rules itself), rewritten (prepare-template-ast.ts) and compiled from
 * the AST. Rendering is: Handlebars (values become slot markers) → the text's structure, parsed as
 * YAML once per distinct structure (shape-cache.ts) → filled with this render's values → checked
 * and named.
 */
import type { TemplateDelegate } from 'handlebars';
import { RenderError, RunbridgeError } from '../errors.ts';
import type { RunManifest } from '../runs/run-manifest.ts';
import { assignRunName } from './assign-run-name.ts';
import { buildFromSkeleton } from './build-from-skeleton.ts';
import { createTemplateEnvironment, type TemplateEnvironment } from './create-template-environment.ts';
import { prepareTemplateAst, type TemplateProblem } from './prepare-template-ast.ts';
import { SLOT_DATA_KEY, type SlotSite, type SlotState } from './slot-helper.ts';
import { ShapeCache } from './shape-cache.ts';
import { newSlotMarker } from './slot-marker.ts';
import type { TemplateContext } from './template-context.ts';
import { usedParams as findUsedParams } from './used-params.ts';

export interface CompiledTemplate {
  readonly name: string;
  /** The file it was loaded from. */
  readonly file: string;
  /** Every `params.X` the template references anywhere. */
  readonly usedParams: ReadonlySet<string>;
  /** The used parameters the template does not test for itself (`#if`, `#unless`, `#with`, `default`): declare these. */
  readonly requiredParams: ReadonlySet<string>;
  /**
   * Renders one run. `identity`: the run's runIdentity(run configuration, event id), which names
   * the run when the template gives a `generateName`. Throws RenderError naming the template.
   */
  render(ctx: TemplateContext, identity: string): RunManifest;
}

export type CompileResult =
  | { readonly ok: true; readonly template: CompiledTemplate }
  | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

/** Distinct rendered structures remembered per template; beyond that the oldest is parsed again when met. */
const SHAPES_PER_TEMPLATE = 256;
const RESERVED = /rbslot/i;

interface HandlebarsInternals {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: object): unknown };
  JavaScriptCompiler: new () => { compile(environment: unknown, options: object, context: undefined, asObject: true): unknown };
  template(spec: unknown): TemplateDelegate;
}

export function compileTemplate(
  source: string,
  options: { name: string; file: string; environment: TemplateEnvironment },
): CompileResult {
  const { name, file, environment } = options;
  const reserved = RESERVED.exec(source);
  if (reserved) {
    const line = source.slice(0, reserved.index).split('\n').length;
    return { ok: false, problems: [{ line, message: '`rbslot` is reserved for runbridge value slots and may not appear in a template' }] };
  }
  let ast: hbs.AST.Program;
  try {
    ast = environment.handlebars.parseWithoutProcessing(source);
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(error)] };
  }
  const { used, tested } = findUsedParams(ast);
  const { sites, problems, helpers } = prepareTemplateAst(ast, source, environment.helperNames);
  if (problems.length > 0) return { ok: false, problems };
  let delegate: TemplateDelegate;
  try {
    delegate = precompile(createTemplateEnvironment(helpers), ast);
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(error)] };
  }
  const template: CompiledTemplate = {
    name,
    file,
    usedParams: used,
    requiredParams: new Set([...used].filter((p) => !tested.has(p))),
    render: renderer(name, delegate, sites),
  };
  return { ok: true, template };
}

function precompile(environment: TemplateEnvironment, ast: hbs.AST.Program): TemplateDelegate {
  const hb = environment.handlebars as unknown as HandlebarsInternals;
  const knownHelpers = Object.fromEntries(Object.keys(environment.handlebars.helpers).map((n) => [n, true]));
  const compileOptions = { data: true, noEscape: true, strict: false, knownHelpers, knownHelpersOnly: false };
  const spec = new hb.JavaScriptCompiler().compile(new hb.Compiler().compile(ast, compileOptions), compileOptions, undefined, true);
  return hb.template(spec);
}

function renderer(name: string, delegate: TemplateDelegate, sites: readonly SlotSite[]): CompiledTemplate['render'] {
  const shapes = new ShapeCache(SHAPES_PER_TEMPLATE);
  return (ctx, identity) => {
    try {
      const state: SlotState = { marker: newSlotMarker(), values: [], sites };
      const text = delegate(ctx, { data: { [SLOT_DATA_KEY]: state } });
      const skeleton = shapes.skeletonOf(text, state.marker, state.values.length);
      return toManifest(buildFromSkeleton(skeleton, state.values) as Record<string, unknown>, ctx.name, identity);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RenderError(`template ${name}: ${message}`, { cause: error, details: { template: name } });
    }
  };
}

function toManifest(object: Record<string, unknown>, fallbackName: string, identity: string): RunManifest {
  const { apiVersion, kind, metadata } = object;
  if (typeof apiVersion !== 'string' || apiVersion === '') throw new RenderError('the manifest has no apiVersion');
  if (typeof kind !== 'string' || kind === '') throw new RenderError('the manifest has no kind');
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new RenderError('the manifest has no metadata mapping');
  }
  const named = assignRunName(metadata as Record<string, unknown>, { identity, fallbackName });
  return { ...object, apiVersion, kind, metadata: named };
}

function syntaxProblem(error: unknown): TemplateProblem {
  if (error instanceof RunbridgeError) return { line: 1, message: error.message };
  const e = error as { message?: unknown; lineNumber?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const line = typeof e.lineNumber === 'number' ? e.lineNumber : Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
  const lines = message.split('\n');
  const detail = lines.length > 1 ? (lines.at(-1) ?? message) : message.replace(/ - \d+:\d+$/, '');
  return { line, message: `template syntax error: ${detail}` };
}
