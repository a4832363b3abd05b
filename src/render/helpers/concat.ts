import { positional, text, type TemplateHelper } from './helper-args.ts';

/** `{{concat git.repository "@" git.shortSha}}`: the arguments joined as text. */
export const concat: TemplateHelper = (...args) =>
  positional(args)
    .map((value) => text(value, 'concat'))
    .join('');
