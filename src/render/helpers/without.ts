import { RenderError } from '../../errors.ts';
import { positional, text, type TemplateHelper } from './helper-args.ts';

/**
 * `{{#each (without parameters "provider" "pipeline")}}`: the items of a `{name, …}` list whose
 * name is not one of the given names. How the shipped templates pass on every parameter they do
 * not consume themselves.
 */
export const without: TemplateHelper = (...args) => {
  const [list, ...names] = positional(args);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new RenderError('helper without: the first argument must be a list such as `parameters`');
  const excluded = new Set(names.map((n) => text(n, 'without')));
  return list.filter((item: unknown) => {
    const name = typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;
    return !(typeof name === 'string' && excluded.has(name));
  });
};
