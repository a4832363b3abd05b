/**
 * Every `params.X` a template references, wherever it stands: `{{params.x}}`, `{{@root.params.x}}`,
 * `{{../params.x}}`, `params.[x-y]`, inside helper arguments, subexpressions and block conditions,
 * and `(lookup params "x")` with a literal name. Lets configuration validation report a parameter
 * a template uses but the run configuration never declares.
 *
 * `tested` holds the ones the template checks for itself, so they may be left undeclared: a
 * parameter in the condition of `{{#if}}`, `{{#unless}}` or `{{#with}}` (subexpressions included),
 * or the first argument of `default`.
 */
export interface ParamReferences {
  readonly used: Set<string>;
  readonly tested: Set<string>;
}

const TESTING_BLOCKS = new Set(['if', 'unless', 'with']);

export function usedParams(program: hbs.AST.Program): ParamReferences {
  const used = new Set<string>();
  const tested = new Set<string>();
  const visit = (node: hbs.AST.Node | undefined | null, into: Set<string>[]): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as hbs.AST.Program).body) visit(s, into);
        return;
      case 'PathExpression': {
        const name = paramName(node as hbs.AST.PathExpression);
        if (name !== undefined) for (const set of into) set.add(name);
        return;
      }
      case 'MustacheStatement':
      case 'Decorator':
      case 'SubExpression':
      case 'BlockStatement':
      case 'DecoratorBlock': {
        const call = node as hbs.AST.SubExpression & Partial<Pick<hbs.AST.BlockStatement, 'program' | 'inverse'>>;
        const head = call.path.type === 'PathExpression' ? call.path.original : undefined;
        const testsArguments = node.type === 'BlockStatement' && head !== undefined && TESTING_BLOCKS.has(head);
        visit(call.path, into);
        call.params.forEach((p, i) => visit(p, testsArguments || (head === 'default' && i === 0) ? [...into, tested] : into));
        for (const pair of call.hash?.pairs ?? []) visit(pair.value, into);
        const looked = head === 'lookup' ? lookupName(call) : undefined;
        if (looked !== undefined) for (const set of into) set.add(looked);
        visit(call.program, [used]);
        visit(call.inverse, [used]);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const partial = node as hbs.AST.PartialBlockStatement;
        for (const p of partial.params) visit(p, into);
        for (const pair of partial.hash?.pairs ?? []) visit(pair.value, into);
        visit(partial.program, [used]);
        return;
      }
      default:
        return;
    }
  };
  visit(program, [used]);
  return { used, tested };
}

function paramName(path: hbs.AST.PathExpression): string | undefined {
  const parts = path.data ? (path.parts[0] === 'root' ? path.parts.slice(1) : []) : path.parts;
  return parts[0] === 'params' ? parts[1] : undefined;
}

/** `(lookup params "x")` → `x`. */
function lookupName(call: hbs.AST.SubExpression): string | undefined {
  const [target, key] = call.params;
  if (target?.type !== 'PathExpression' || key?.type !== 'StringLiteral') return undefined;
  const t = target as hbs.AST.PathExpression;
  const parts = t.data ? (t.parts[0] === 'root' ? t.parts.slice(1) : []) : t.parts;
  return parts.length === 1 && parts[0] === 'params' ? (key as hbs.AST.StringLiteral).value : undefined;
}
