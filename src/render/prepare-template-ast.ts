/**
 * Makes a parsed template safe to render, in place:
 *
 * - every escaped `{{expression …}}` becomes `{{__rbSlot (expression …) <site>}}`, so it renders
 *   a slot marker and its value is set into the parsed YAML afterwards (never spliced into text);
 * - everything that could put text into the output other than template source or a slot marker is
 *   refused: `{{{ }}}` and `{{& }}`, partials, decorators, and block calls of helpers other than
 *   if/unless/each/with (Handlebars outputs a block helper's return value unescaped);
 * - helper calls lose their source location once it has been recorded: Handlebars would otherwise
 *   build a location object for every helper call of every render (errors name the slot site).
 *
 * Also returns the names of the helpers the template calls.
 */
import { SLOT_HELPER, type SlotSite } from './slot-helper.ts';

export interface TemplateProblem {
  readonly line: number;
  readonly message: string;
}

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const EXPRESSION_SHOWN_MAX = 80;

export function prepareTemplateAst(
  program: hbs.AST.Program,
  source: string,
  helperNames: ReadonlySet<string>,
): { sites: SlotSite[]; problems: TemplateProblem[]; helpers: Set<string> } {
  const sites: SlotSite[] = [];
  const helpers = new Set<string>();
  const problems: TemplateProblem[] = [];
  const lineStarts = lineOffsets(source);
  const excerpt = (loc: hbs.AST.SourceLocation): string => {
    const start = (lineStarts[loc.start.line - 1] ?? 0) + loc.start.column;
    const end = (lineStarts[loc.end.line - 1] ?? 0) + loc.end.column;
    const text = source.slice(start, end).replace(/\s+/g, ' ');
    return text.length > EXPRESSION_SHOWN_MAX ? `${text.slice(0, EXPRESSION_SHOWN_MAX - 1)}…` : text;
  };
  const refuse = (node: hbs.AST.Node, message: string): void => {
    problems.push({ line: node.loc.start.line, message: `${excerpt(node.loc)}: ${message}` });
  };

  const visitProgram = (p: hbs.AST.Program | undefined, blockParams: ReadonlySet<string>): void => {
    const inScope = p?.blockParams?.length ? new Set([...blockParams, ...p.blockParams]) : blockParams;
    for (const statement of p?.body ?? []) visitStatement(statement, inScope);
  };
  const visitStatement = (node: hbs.AST.Statement, blockParams: ReadonlySet<string>): void => {
    switch (node.type) {
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (!m.escaped) {
          refuse(m, '{{{ }}} and {{& }} insert raw text that could change the manifest structure; use {{ }}');
        } else {
          sites.push({ line: m.loc.start.line, expression: excerpt(m.loc) });
          toSlot(m, sites.length - 1, helperNames, blockParams);
          finishCall(m, helpers, helperNames);
        }
        return;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const head = simpleName(b.path);
        if (head !== undefined && helperNames.has(head) && !BLOCK_HELPERS.has(head)) {
          refuse(b, `{{#${head}}} is not a block helper (blocks may use if, unless, each and with); write {{${head} …}}`);
        }
        visitProgram(b.program, blockParams);
        visitProgram(b.inverse, blockParams);
        finishCall(b, helpers, helperNames);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        refuse(node, 'partials are not supported: each template is one self-contained file');
        return;
      case 'Decorator':
      case 'DecoratorBlock':
        refuse(node, 'decorators are not supported');
        return;
      default:
        return; // content and comments
    }
  };
  visitProgram(program, new Set());
  return { sites, problems, helpers };
}

/** `{{expr p… k=v}}` → `{{__rbSlot (expr p… k=v) site}}`; a bare value path → `{{__rbSlot path site}}`. */
function toSlot(m: hbs.AST.MustacheStatement, site: number, helperNames: ReadonlySet<string>, blockParams: ReadonlySet<string>): void {
  const loc = m.loc;
  const hasArguments = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
  let value: hbs.AST.Expression;
  if (m.path.type === 'PathExpression' && !hasArguments && !isHelperCall(m.path as hbs.AST.PathExpression, helperNames, blockParams)) {
    value = m.path;
  } else if (m.path.type === 'StringLiteral' && !hasArguments) {
    // `{{"a b"}}` looks up the property `a b`.
    const literal = m.path as hbs.AST.StringLiteral;
    value = { type: 'PathExpression', data: false, depth: 0, parts: [literal.value], original: literal.value, loc } as hbs.AST.PathExpression;
  } else {
    value = { type: 'SubExpression', path: m.path, params: m.params, hash: m.hash, loc } as hbs.AST.SubExpression;
  }
  const siteLiteral = { type: 'NumberLiteral', value: site, original: site, loc } as hbs.AST.NumberLiteral;
  m.path = { type: 'PathExpression', data: false, depth: 0, parts: [SLOT_HELPER], original: SLOT_HELPER, loc } as hbs.AST.PathExpression;
  m.params = [value, siteLiteral];
  delete (m as { hash?: hbs.AST.Hash }).hash;
}

/**
 * Records the helper a call (and every call nested in its arguments) names, and drops its `loc`,
 * which would become the runtime `options.loc` of the helper call.
 */
function finishCall(node: hbs.AST.Node | undefined, helpers: Set<string>, helperNames: ReadonlySet<string>): void {
  if (node?.type !== 'MustacheStatement' && node?.type !== 'SubExpression' && node?.type !== 'BlockStatement') return;
  const call = node as hbs.AST.SubExpression;
  const name = simpleName(call.path);
  if (name !== undefined && helperNames.has(name)) helpers.add(name);
  delete (call as { loc?: hbs.AST.SourceLocation }).loc;
  for (const param of call.params) finishCall(param, helpers, helperNames);
  for (const pair of call.hash?.pairs ?? []) finishCall(pair.value, helpers, helperNames);
}

/** A single-segment, unscoped name (`foo`, not `this.foo`, `./foo`, `@foo` or `../foo`). */
function simpleName(path: hbs.AST.PathExpression | hbs.AST.Literal): string | undefined {
  if (path.type !== 'PathExpression') return undefined;
  const p = path as hbs.AST.PathExpression;
  if (p.data || p.depth !== 0 || p.parts.length !== 1 || /^(this|\.)(\.|\/|$)/.test(p.original)) return undefined;
  return p.parts[0];
}

/** As Handlebars decides: a block parameter of that name wins over a helper. */
function isHelperCall(path: hbs.AST.PathExpression, helperNames: ReadonlySet<string>, blockParams: ReadonlySet<string>): boolean {
  const name = simpleName(path);
  return name !== undefined && helperNames.has(name) && !blockParams.has(name);
}

function lineOffsets(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
