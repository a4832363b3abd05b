import { positional, type TemplateHelper } from './helper-args.ts';

/** `{{default params.kind "ClusterWorkflow"}}`: the value, or the fallback when it is undefined, null or ''. */
export const defaultValue: TemplateHelper = (...args) => {
  const [value, fallback] = positional(args);
  return value === undefined || value === null || value === '' ? fallback : value;
};
