import { positional, text, type TemplateHelper } from './helper-args.ts';

/** `{{trimPrefix git.ref "refs/heads/"}}`: the text without that prefix (unchanged when it does not start with it). */
export const trimPrefix: TemplateHelper = (...args) => {
  const [value, prefix] = positional(args);
  const s = text(value, 'trimPrefix');
  const p = text(prefix, 'trimPrefix');
  return p !== '' && s.startsWith(p) ? s.slice(p.length) : s;
};
