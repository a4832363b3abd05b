/** Comparison and boolean helpers for `{{#if}}` conditions: `{{#if (and params.a (ne params.b "x"))}}`. */
import { positional, truthy, type TemplateHelper } from './helper-args.ts';

/** `(eq a b)`: strict equality. */
export const eq: TemplateHelper = (...args) => {
  const [a, b] = positional(args);
  return a === b;
};

/** `(ne a b)`: strict inequality. */
export const ne: TemplateHelper = (...args) => {
  const [a, b] = positional(args);
  return a !== b;
};

/** `(and a b …)`: every argument is truthy (as `{{#if}}` sees it). */
export const and: TemplateHelper = (...args) => positional(args).every(truthy);

/** `(or a b …)`: at least one argument is truthy. */
export const or: TemplateHelper = (...args) => positional(args).some(truthy);

/** `(not a)`: the argument is falsy. */
export const not: TemplateHelper = (...args) => !truthy(positional(args)[0]);
